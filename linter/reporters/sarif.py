"""SARIF 2.1.0 (what GitHub code scanning and other viewers read): one run, every rule with its
documentation, one result per diagnostic with its region, related locations and fixes.

Columns count Unicode code points (`columnKind`), as every openjd-lint position does. Relative paths
are relative to `%SRCROOT%`, the working directory of the run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from openjd_lint import __version__
from openjd_lint.findings import Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_ROOT = "%SRCROOT%"


def render(run, color: bool = False) -> str:
    from openjd_lint.docs import rule_markdown, rule_page
    from openjd_lint.rules import REGISTRY

    rules = list(REGISTRY)
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
                "defaultConfiguration": {"level": _LEVELS[rule.severity]},
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
            "results": [_result(d, index[d.rule], run.sources.get(d.file)) for d in run.diagnostics],
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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
                "replacements": [_replacement(source, edit) for edit in d.fix.edits],
            }],
        }]
    return result


def _replacement(source, edit) -> dict:
    start, end = source.position(edit.start), source.position(edit.end)
    return {"deletedRegion": {"startLine": start.line, "startColumn": start.column,
                              "endLine": end.line, "endColumn": end.column},
            "insertedContent": {"text": edit.text}}


def _location(file: str, line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": _artifact(file),
        "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
    }}


def _artifact(file: str) -> dict:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    relative = os.path.normpath(file).replace(os.sep, "/")
    if relative.startswith("../"):
        return {"uri": path.resolve().as_uri()}
    return {"uri": quote(relative), "uriBaseId": _ROOT}
