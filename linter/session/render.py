"""`expand` output: JSON (version 1, documented in README.md) and text for a person, with the
command lines highlighted by pygments when colouring."""

from __future__ import annotations

import json

from openjd_lint.session.expand import Expansion, command_line

_KIND_LABELS = {"env_enter": "enter", "task_run": "run a task of", "env_exit": "exit"}
_NESTED = "nested wrapping: not allowed by either revision of the wrap extension (shown because of --allow-nested)"


def to_json(expansion: Expansion, diagnostics: list) -> str:
    document = {
        "version": 1,
        "platform": expansion.platform,
        "working_directory": expansion.workdir,
        "parameters": expansion.parameters,
        "parameter_origins": expansion.origins,
        "job_fields": expansion.job_fields,
        "actions": [
            {
                "kind": action.kind,
                "environment": action.environment,
                "step": action.step,
                "task": action.task,
                "wrapped_by": action.wrapped_by,
                "argv": action.argv,
                "command_line": command_line(action.argv, expansion.platform),
                "timeout": action.timeout,
                "cancelation": action.cancelation,
                "variables": action.variables,
                "wrapped": action.wrapped,
                "layers": action.layers,
                "nested": action.nested,
                "embedded_files": action.embedded_files,
            }
            for action in expansion.actions
        ],
        "files": expansion.files,
        "runnable": sorted(expansion.runnable),
        "notes": expansion.notes,
        "findings": _findings(expansion, diagnostics),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _findings(expansion: Expansion, diagnostics: list) -> list:
    found = [{"file": d.file, "line": d.line, "column": d.column, "rule": d.rule, "severity": d.severity.label,
              "message": d.message} for d in diagnostics]
    found += [{"file": None, "line": None, "column": None, "rule": problem.code, "severity": problem.severity,
               "message": problem.message} for problem in expansion.problems]
    return found


def to_text(expansion: Expansion, diagnostics: list, color: bool) -> str:
    paint = _Painter(color, expansion.platform)
    lines = []
    if expansion.parameters:
        lines.append(paint.bold("Job parameters"))
        lines += [f"  {name} = {json.dumps(value, ensure_ascii=False)}{_origin(expansion, name)}"
                  for name, value in expansion.parameters.items()]
        lines.append("")
    if expansion.job_fields:
        lines.append(paint.bold("Job fields"))
        lines += [f"  {name} = {json.dumps(value, ensure_ascii=False)}" for name, value in expansion.job_fields.items()]
        lines.append("")
    for number, action in enumerate(expansion.actions, 1):
        lines += _action(number, action, expansion.platform, paint)
        lines.append("")
    if expansion.files:
        lines.append(paint.bold("Files"))
        for path, content in expansion.files.items():
            mark = " (runnable)" if path in expansion.runnable else ""
            lines.append(f"  {path}{mark}")
            lines += [f"    | {line}" for line in content.splitlines()]
        lines.append("")
    for note in expansion.notes:
        lines.append(paint.dim(f"note: {note}"))
    for finding in _findings(expansion, diagnostics):
        where = f"{finding['file']}:{finding['line']}:{finding['column']}: " if finding["file"] else ""
        lines.append(f"{where}{paint.severity(finding['severity'])}[{finding['rule']}] {finding['message']}")
    return "\n".join(lines).rstrip("\n") + "\n"


def _origin(expansion: Expansion, name: str) -> str:
    origin = expansion.origins.get(name)
    return f"  ({origin})" if origin else ""


def _action(number: int, action, platform: str, paint: "_Painter") -> list:
    what = f"environment '{action.environment}'" if action.environment else f"step '{action.step}'"
    header = f"[{number}] {_KIND_LABELS[action.kind]} {what}"
    if action.task:
        header += " task " + ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in action.task.items())
    lines = [paint.bold(header)]
    if action.wrapped_by:
        layers = " <- ".join(layer["hook"] for layer in reversed(action.layers))
        lines.append(f"    wrapped by {layers}")
        if action.nested:
            lines.append("    " + paint.warn(_NESTED))
        lines.append(f"    replaces: {paint.code(command_line(action.wrapped['argv'], platform))}")
        for name, value in action.wrapped["values"].items():
            lines.append(f"      {name} = {json.dumps(value, ensure_ascii=False)}")
    lines.append(f"    argv:    {json.dumps(action.argv, ensure_ascii=False)}")
    lines.append(f"    command: {paint.code(command_line(action.argv, platform))}")
    if action.timeout is not None:
        lines.append(f"    timeout: {action.timeout} s")
    if action.cancelation:
        lines.append(f"    cancelation: {json.dumps(action.cancelation)}")
    if action.variables:
        lines.append("    variables: " + " ".join(f"{k}={v}" for k, v in action.variables.items()))
    return lines


class _Painter:
    def __init__(self, color: bool, platform: str):
        self.color = color
        self.platform = platform

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def warn(self, text: str) -> str:
        return self._wrap("1;33", text)

    def severity(self, label: str) -> str:
        return self._wrap({"error": "1;31", "warning": "1;33"}.get(label, "1;36"), label)

    def code(self, text: str) -> str:
        if not self.color:
            return text
        from pygments import highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import BashLexer, BatchLexer

        lexer = BatchLexer() if self.platform == "windows" else BashLexer()
        return highlight(text, lexer, TerminalFormatter()).rstrip("\n")
