"""Output formats. Each module renders a finished run (`openjd_lint.run.RunResult`) as text."""

from __future__ import annotations


def edit_ranges(fix, source) -> list:
    """A fix's edits as 1-based line/column ranges (end exclusive) with their replacement text."""
    ranges = []
    for edit in fix.edits:
        start, end = source.position(edit.start), source.position(edit.end)
        ranges.append({"line": start.line, "column": start.column, "end_line": end.line,
                       "end_column": end.column, "text": edit.text})
    return ranges
