"""SARIF 2.1.0 (what GitHub code scanning and other viewers read): one run, every rule with its
documentation, one result per diagnostic with its region, related locations and fixes.

Columns count Unicode code points (`columnKind`), as every openjd-lint position does. Paths inside the
working directory of the run (`%SRCROOT%`) are relative to it however they were given (absolute, `../`);
others are absolute `file:` URIs.

Each result has a `partialFingerprints` entry that code scanning uses to track an alert across commits:
a hash of the rule, the text of the flagged span and of its line (stripped), the message with its
numbers masked, and how many equal results come before it in the file. No line or column goes in, so
an edit elsewhere in the file (lines added above) keeps the fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from openjd_lint import __version__
from openjd_lint.findings import Severity
from openjd_lint.reporters import edit_ranges

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_ROOT = "%SRCROOT%"
FINGERPRINT = "openjdLint/v1"
# properties.tags per rule family (the id's letter); `security` makes code scanning file an alert as a
# security finding
FAMILY_TAGS = {
    "L": ("loading",), "S": ("schema",), "T": ("semantics",), "X": ("expressions",), "W": ("wrap",),
    "Q": ("wrap", "quoting", "security"), "H": ("wrap", "reliability"), "N": ("sessions",),
    "M": ("configuration",), "I": ("injection", "security"), "B": ("job-bundles",),
}


def render(run, color: bool = False) -> str:
    from openjd_lint.docs import rule_markdown, rule_page, rule_url
    from openjd_lint.rules import REGISTRY

    rules = list(run.registry if getattr(run, "registry", None) is not None else REGISTRY)
    index = {rule.id: position for position, rule in enumerate(rules)}
    driver = {
        "name": "openjd-lint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": "https://github.com/OpenJobDescription/openjd-specifications",
        "rules": [
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.doc or rule.summary},
                "help": {"text": rule_page(rule), "markdown": rule_markdown(rule)},
                "helpUri": rule_url(rule),
                "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                "properties": {"tags": ["openjd", *FAMILY_TAGS.get(rule.id[0], ())]},
            }
            for rule in rules
        ],
    }
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {_ROOT: {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": _results(run, index),
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _results(run, index: dict) -> list:
    seen: Counter = Counter()
    results = []
    for d in run.diagnostics:
        source = run.sources.get(d.file)
        key = _fingerprint_key(d, source)
        seen[(d.file, key)] += 1
        result = _result(d, index[d.rule], source)
        digest = hashlib.sha256(f"{key}\0{seen[(d.file, key)]}".encode("utf-8", "surrogateescape")).hexdigest()
        result["partialFingerprints"] = {FINGERPRINT: digest[:32]}
        results.append(result)
    return results


def _fingerprint_key(d, source) -> str:
    line = span = ""
    if source is not None and 1 <= d.line <= source.line_count:
        line = source.line_text(d.line)
        span = line[d.column - 1:d.end_column - 1] if d.end_line == d.line else line[d.column - 1:]
    return "\0".join((d.rule, span, line.strip(), re.sub(r"\d+", "#", d.message)))


def _result(d, rule_index: int, source) -> dict:
    text = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
    result = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[d.severity],
        "message": {"text": text},
        "locations": [_location(d.file, d.line, d.column, d.end_line, d.end_column)],
    }
    if d.related:
        result["relatedLocations"] = [
            {"id": number, **_location(r.file, r.line, r.column, r.end_line, r.end_column),
             "message": {"text": r.message}}
            for number, r in enumerate(d.related, start=1)]
    if d.fix is not None and source is not None:
        result["fixes"] = [{
            "description": {"text": d.fix.description + ("" if d.fix.safe else " (unsafe)")},
            "artifactChanges": [{
                "artifactLocation": _artifact(d.file),
                "replacements": [_replacement(edit) for edit in edit_ranges(d.fix, source)],
            }],
        }]
    return result


def _replacement(edit: dict) -> dict:
    return {"deletedRegion": {"startLine": edit["line"], "startColumn": edit["column"],
                              "endLine": edit["end_line"], "endColumn": edit["end_column"]},
            "insertedContent": {"text": edit["text"]}}


def _location(file: str, line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": _artifact(file),
        "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
    }}


def _artifact(file: str) -> dict:
    absolute = os.path.abspath(file)
    relative = os.path.relpath(absolute, os.getcwd()) if _same_drive(absolute) else os.pardir
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return {"uri": Path(absolute).as_uri()}
    return {"uri": quote(os.fsencode(relative.replace(os.sep, "/"))), "uriBaseId": _ROOT}  # a name need not be UTF-8


def _same_drive(path: str) -> bool:
    return os.path.splitdrive(path)[0] == os.path.splitdrive(os.getcwd())[0]
