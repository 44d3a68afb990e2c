"""Every piece of text an interpreter parses in a template: argv elements that a shell, Python, Node.js,
PowerShell or cmd.exe reads as code (`bash -c`, `python -c`, `cmd /c` ...), embedded files run by an
interpreter, and the scripts of FEATURE_BUNDLE_1 simple actions (`bash:`, `python:`, `node:`, `cmd:`,
`powershell:`).

An embedded file's interpreter is the one an action runs it with (`bash {{Task.File.Run}}`), else its
shebang line, else its extension; a file several actions run is one site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from openjd_lint.context import per_template
from openjd_lint.model.fields import DATA, SCRIPT, WRAP_HOOKS, format_string_fields
from openjd_lint.model.parts import items, scripts, text
from openjd_lint.shell.hooks import Element, actions, element_of
from openjd_lint.shell.interpreters import CMD, JS, PWSH, PY, SH, program_name, script_interpreter

ARGUMENT = "argument"
FILE = "file"
SIMPLE_SCRIPT = "simple-action script"

SIMPLE_ACTION_INTERPRETERS = {"bash": SH, "python": PY, "node": JS, "cmd": CMD, "powershell": PWSH}


@dataclass(frozen=True)
class Site:
    """`where` names the text for a message; `reference` is how an action names an embedded file
    (`{{Env.File.Enter}}`); `in_wrap_hook` marks text a wrap hook hands over (the Q rules' ground)."""

    element: Element
    interpreter: str
    kind: str
    where: str
    in_wrap_hook: bool = False
    reference: Optional[str] = None


@per_template
def sites(ctx) -> list:
    return _sites(ctx)


def _sites(ctx) -> list:
    found = []
    run_files: dict = {}
    for action in actions(ctx):
        in_hook = action.hook in WRAP_HOOKS
        command = action.elements[0]
        program = program_name(command.field.value if command is not None else None) or "the program"
        for index, interpreter in sorted(action.invocation.parsed.items()):
            element = action.elements[index] if index < len(action.elements) else None
            if element is not None and element.holes:
                found.append(Site(element, interpreter, ARGUMENT, f"argument {index} of `{program}`", in_hook))
        for script in action.files:
            if script.data is not None and script.interpreter is not None:
                previous = run_files.get(script.path)
                run_files[script.path] = (script.interpreter, (previous[1] if previous else False) or in_hook)
    embedded = {path + ("embeddedFiles", i): node for path, script in scripts(ctx)
                for i, node in items(script.get("embeddedFiles"))}
    for field in format_string_fields(ctx):
        if field.role == DATA:
            site = _file_site(ctx, field, embedded.get(field.path[:-1]), run_files.get(field.path[:-1]))
        elif field.role == SCRIPT:
            site = Site(element_of(ctx, field), SIMPLE_ACTION_INTERPRETERS[field.action], SIMPLE_SCRIPT,
                        f"the `{field.action}` script of the step")
        else:
            continue
        if site is not None and site.element.holes:
            found.append(site)
    return found


def _file_site(ctx, field, owner, run: Optional[tuple]) -> Optional[Site]:
    name = text(owner, "name") or "?"
    interpreter, in_hook = run if run is not None else (script_interpreter(text(owner, "filename"), field.value),
                                                        False)
    if interpreter is None:
        return None
    namespace = "Env.File" if field.environment is not None else "Task.File"
    return Site(element_of(ctx, field), interpreter, FILE, f"the embedded file `{name}`", in_hook,
                "{{" + f"{namespace}.{name}" + "}}")

