"""Machine output, version 1 (documented in README.md; keep it stable)."""

from __future__ import annotations

import json

from openjd_lint import __version__
from openjd_lint.reporters import edit_ranges


def render(run, color: bool = False) -> str:
    document = {
        "version": 1,
        "tool": {"name": "openjd-lint", "version": __version__},
        "files_checked": run.files_checked,
        "findings": [
            {
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "end_line": d.end_line,
                "end_column": d.end_column,
                "rule": d.rule,
                "name": d.name,
                "severity": d.severity.label,
                "message": d.message,
                "hint": d.hint,
                "related": [
                    {"file": r.file, "line": r.line, "column": r.column, "end_line": r.end_line,
                     "end_column": r.end_column, "message": r.message}
                    for r in d.related
                ],
                "fix": _fix(d.fix, run.sources.get(d.file)),
            }
            for d in run.diagnostics
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _fix(fix, source):
    if fix is None or source is None:
        return None
    return {"description": fix.description, "safe": fix.safe, "edits": edit_ranges(fix, source)}
