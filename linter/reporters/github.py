"""GitHub Actions workflow commands: one `::error|warning|notice file=...::message` line per diagnostic,
which GitHub shows as an annotation on the file and line (chosen automatically inside Actions)."""

from __future__ import annotations

import os

from openjd_lint.findings import Severity
from openjd_lint.reporters.text import summary

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(run, color: bool = False, quiet: bool = False) -> str:
    lines = [_command(d) for d in run.diagnostics]
    if not quiet:
        lines.append(summary(run))
    return "\n".join(lines) + "\n" if lines else ""


def _command(d) -> str:
    properties = {"file": os.path.normpath(d.file), "line": d.line, "col": d.column, "endLine": d.end_line,
                  "endColumn": d.end_column, "title": f"openjd-lint ({d.rule})"}
    text = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{_COMMANDS[d.severity]} {listed}::{escape_data(text)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
