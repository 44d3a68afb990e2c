"""The Q family: how wrap hooks hand text to an interpreter.

A wrap hook usually rebuilds the wrapped command line. Given as separate argv elements
(`"{{WrappedAction.Command}}"`, `"{{WrappedAction.Args}}"`) nothing re-parses it; pasted into a
string that a shell, cmd.exe, PowerShell or Python parses, it must pass through that interpreter's
`repr_*` function, and a quoted value must not be handed to a program that no interpreter stands
in front of. The checks cover the hooks' command and args and the embedded scripts they run.
"""

from __future__ import annotations

from typing import Iterator, Optional

from openjd_lint.context import per_template
from openjd_lint.findings import Finding, Fix, Severity
from openjd_lint.rule_api import Rule, share_of
from openjd_lint.shell.contexts import places
from openjd_lint.shell.hooks import WRAPPED_COMMAND, WRAPPED_TEXT, Action, Element, Hole, once_per_place, wrap_hooks
from openjd_lint.shell.interpreters import (
    ARGUMENT_AFTER_CODE, ARGUMENT_IN_SCRIPT, DESCRIPTION, JS, PY, QUOTING_FUNCTION, SH, invocation, program_name,
)
from openjd_lint.shell.source_edits import replace_in_scalar
from openjd_lint.shell.words import COMMENT, DOUBLE, SINGLE, UNQUOTED, commands, scan

_GOOD = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS, EXPR]
environment:
  name: Wrapper
  script:
    actions:
      onWrapEnvEnter:
        command: bash
        args: ["-c", "exec {{ repr_sh(WrappedAction.Command) }} {{ repr_sh(WrappedAction.Args) }}"]
      onWrapTaskRun:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
      onWrapEnvExit:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
"""
_SHELL_LINE = '"-c", "exec {{ repr_sh(WrappedAction.Command) }} {{ repr_sh(WrappedAction.Args) }}"'


_check = share_of(lambda ctx: _analyse(ctx))  # _analyse is defined below the rules


UNQUOTED_IN_INTERPRETER = Rule(
    "Q001", "unquoted-wrap-value", Severity.WARNING,
    "A wrapped command is pasted into text an interpreter parses, without quoting.",
    "When a hook runs `bash -c`, `sh -c`, `ssh host ...`, `cmd /c`, `powershell -Command`, `python -c` or an "
    "embedded script, the interpreter parses the text again: a space splits an argument, a quote or `$(...)` "
    "changes the command, and a list such as `WrappedAction.Args` renders as bracketed text `[\"a\", \"b\"]`. "
    "Quote every wrapped value with the function of that interpreter (`repr_sh`, `repr_cmd`, `repr_pwsh`, "
    "`repr_py`), or forward the wrapped command as argv (`command: \"{{WrappedAction.Command}}\"`, "
    "`args: [\"{{WrappedAction.Args}}\"]`), which needs no quoting. The unsafe fix wraps the expression in the "
    "interpreter's `repr_*` function. Job parameters pasted there are the injection rules' (I001-I005).",
    bad=_GOOD.replace(_SHELL_LINE, '"-c", "{{WrappedAction.Command}} {{WrappedAction.Args}}"'),
    good=_GOOD,
    check=_check("Q001"),
)

WRONG_QUOTING_FUNCTION = Rule(
    "Q002", "wrong-quoting-function", Severity.WARNING,
    "A value is quoted for a different interpreter than the one that parses it, or quoted twice.",
    "`repr_sh` quotes for POSIX shells, `repr_cmd` for cmd.exe, `repr_pwsh` for PowerShell and `repr_py` for "
    "Python; each interpreter reads the others' quoting differently (`'a b'` is two words for cmd.exe). A "
    "`repr_sh` result placed inside shell quotes keeps its own quotes as literal characters, and so does a value "
    "quoted twice (`repr_sh(repr_sh(x))`) where only one interpreter parses it (quoting twice is right for a word "
    "that a second shell parses again, such as the command of `ssh host` or `sh -c` inside the script).",
    bad=_GOOD.replace("exec {{ repr_sh(WrappedAction.Command) }}", "exec {{ repr_cmd(WrappedAction.Command) }}"),
    good=_GOOD,
    check=_check("Q002"),
)

QUOTED_PLAIN_ARGUMENT = Rule(
    "Q003", "quoted-plain-argument", Severity.WARNING,
    "A `repr_*` result is passed as a plain argument that no interpreter parses, so its quotes reach the program.",
    "Only an interpreter removes quoting. An argv element of a program that is not a shell (`docker exec ...`, the "
    "`$0 $1 ...` after a `-c` script) receives the text as is: `repr_sh(\"a b\")` arrives as `'a b'`, quotes "
    "included. Pass the value itself; argv needs no quoting.",
    bad=_GOOD.replace('args: ["{{WrappedAction.Args}}"]\n      onWrapEnvExit',
                      'args: ["{{ repr_sh(WrappedAction.Args) }}"]\n      onWrapEnvExit'),
    good=_GOOD,
    check=_check("Q003"),
)

LIST_IN_STRING = Rule(
    "Q004", "list-inside-string", Severity.WARNING,
    "A list is interpolated inside a larger string, where it renders as bracketed text.",
    "A list value such as `WrappedAction.Args` spliced into argv must be the whole element (`\"{{WrappedAction.Args}}"
    "\"`), which adds one argument per item. Inside a longer string it becomes one argument holding "
    "`[\"a\", \"b\"]`. Use the whole element, `join(...)` with a separator, or a comprehension.",
    bad=_GOOD.replace('args: ["{{WrappedAction.Args}}"]\n      onWrapEnvExit',
                      'args: ["--args={{WrappedAction.Args}}"]\n      onWrapEnvExit'),
    good=_GOOD,
    check=_check("Q004"),
)

_PWSH_GOOD = _GOOD.replace('command: bash\n        args: ["-c", "exec {{ repr_sh(WrappedAction.Command) }} '
                           '{{ repr_sh(WrappedAction.Args) }}"]',
                           'command: pwsh\n        args: ["-NoProfile", "-Command", "& {{ repr_pwsh(WrappedAction.Command) }} '
                           '{{ repr_pwsh(WrappedAction.Args) }}"]')

ENCODED_COMMAND = Rule(
    "Q005", "wrap-value-in-encoded-command", Severity.ERROR,
    "A wrap value is interpolated into PowerShell's `-EncodedCommand` argument, which must be base64.",
    "`powershell`/`pwsh -EncodedCommand` (`-enc`, `-e`, `-ec`) reads its argument as base64 of UTF-16LE source "
    "code. No expression function produces that encoding, so a wrapped command, its arguments or a wrapped "
    "environment or step name interpolated there makes the argument undecodable or decodes to something else. "
    "Pass the command with `-Command` and `repr_pwsh`, or forward it as argv.",
    bad=_PWSH_GOOD.replace('"-NoProfile", "-Command", "& {{ repr_pwsh(WrappedAction.Command) }} '
                           '{{ repr_pwsh(WrappedAction.Args) }}"',
                           '"-NoProfile", "-EncodedCommand", "{{WrappedAction.Command}}"'),
    good=_PWSH_GOOD,
    check=_check("Q005"),
)

RULES = [UNQUOTED_IN_INTERPRETER, WRONG_QUOTING_FUNCTION, QUOTED_PLAIN_ARGUMENT, LIST_IN_STRING, ENCODED_COMMAND]


@per_template
def _analyse(ctx) -> list:
    return once_per_place((action, list(_action_findings(ctx, action))) for action in wrap_hooks(ctx))


def _action_findings(ctx, action: Action) -> Iterator[Finding]:
    program = _program_label(action)
    label = f"`{program}`" if program != "the program" else program
    for element in action.elements:
        if element is None or not element.holes:
            continue
        interpreter = action.invocation.parsed.get(element.index)
        if element.index == action.invocation.encoded_index:
            yield from _encoded(element, label)
        elif interpreter is None:
            yield from _plain_argument(element, label)
        else:
            yield from _parsed_text(ctx, element, interpreter, f"argument {element.index} of {label}")
    for script in action.files:
        if script.data is not None and script.interpreter is not None:
            yield from _parsed_text(ctx, script.data, script.interpreter, f"the embedded file `{script.name}`",
                                    f"Env.File.{script.name}")


def _parsed_text(ctx, element: Element, interpreter: str, where: str, file: Optional[str] = None) -> Iterator[Finding]:
    """`file` is the reference of the embedded file whose text this is (`Env.File.Run`), None for argv."""
    contexts, nested = {}, set()
    holes = [(h.interpolation.start, h.interpolation.end) for h in element.holes]
    if interpreter == SH:
        scanned = scan(element.field.value, holes)
        contexts, nested = scanned.contexts, _parsed_again(scanned)
    found_places = places(interpreter, element.field.value, holes)
    expected = QUOTING_FUNCTION[interpreter]
    for number, hole in enumerate(element.holes):
        context = contexts.get(number, UNQUOTED)
        if context == COMMENT:
            continue
        i = hole.interpolation
        if hole.quoting is not None:
            if hole.quoted_twice and number not in nested:
                yield WRONG_QUOTING_FUNCTION.finding(
                    f"`{hole.quoting}` is applied to its own result, but only {DESCRIPTION[interpreter]} parses this "
                    f"text ({where}): one layer of quotes reaches the command literally", element.field.path,
                    chars=(i.start, i.end), hint=f"quote once: `{hole.quoting}(...)`",
                    fix=_unnest_fix(ctx, element, hole))
            elif hole.quoting != expected and not (interpreter == PY and hole.quoting == "repr_json"):
                yield WRONG_QUOTING_FUNCTION.finding(
                    f"`{hole.quoting}` quotes for {_quoted_for(hole.quoting)}, but {DESCRIPTION[interpreter]} "
                    f"parses this text ({where})", element.field.path, chars=(i.start, i.end),
                    hint=f"use `{expected}`", fix=_rename_fix(ctx, element, hole, expected))
            elif interpreter == SH and context in (SINGLE, DOUBLE):
                yield WRONG_QUOTING_FUNCTION.finding(
                    f"the `{hole.quoting}` result sits inside {context.split('-')[0]} quotes, so its own quotes "
                    "become literal characters", element.field.path, chars=(i.start, i.end),
                    hint="remove the surrounding quotes; `repr_sh` already makes one shell word")
            continue
        if not hole.controlled:
            continue
        names = ", ".join(f"`{name}`" for name in hole.controlled)
        detail = " (and a list renders as bracketed text)" if hole.is_list else ""
        place = found_places.get(number)
        how = place.context if place is not None else "unquoted"
        yield UNQUOTED_IN_INTERPRETER.finding(
            f"{names} is pasted {how} into text that {DESCRIPTION[interpreter]} parses ({where}){detail}",
            element.field.path, chars=(i.start, i.end), hint=_unquoted_hint(hole, interpreter, place, file),
            fix=_quote_fix(ctx, element, hole, expected) if context == UNQUOTED and interpreter == SH else None)


def _unquoted_hint(hole: Hole, interpreter: str, place, file: Optional[str]) -> str:
    """A hint whose code works where the value sits: `repr_*` quotes a value as a whole literal, so inside
    a string literal it replaces the literal's quotes, or the literal is closed around it."""
    inner = hole.interpolation.text.strip()
    quoted = f"`{{{{ {QUOTING_FUNCTION[interpreter]}({inner}) }}}}`"
    if set(hole.controlled) & WRAPPED_COMMAND:
        other = "forward the wrapped command as separate argv elements"
    elif file is not None:
        other = (f"pass it as its own argument (`args: [\"{{{{{file}}}}}\", \"{{{{{inner}}}}}\"]`) and read "
                 f"`{ARGUMENT_IN_SCRIPT[interpreter]}` in the file")
    else:
        other = ARGUMENT_AFTER_CODE[interpreter].replace("{value}", "{{" + inner + "}}")
    if place is None or place.quote is None:
        return f"quote it with {quoted}, or {other}"
    if place.at_open and place.at_close:
        return f"replace the surrounding quotes with {quoted}, or {other}"
    if interpreter in _CONCATENATES:
        q = place.quote
        return f"{other}, or close the literal around it: `{q}...{q}{_CONCATENATES[interpreter]}{quoted[1:-1]}`"
    return other


# How a quoted value joins the literal text before it, where the language has a way.
_CONCATENATES = {SH: "", PY: " + ", JS: " + "}


def _encoded(element: Element, program: str) -> Iterator[Finding]:
    for hole in element.holes:
        names = [name for name in hole.names if name in WRAPPED_TEXT]
        if names:
            i = hole.interpolation
            yield ENCODED_COMMAND.finding(
                f"{', '.join(f'`{n}`' for n in names)} is interpolated into the `-EncodedCommand` argument of "
                f"{program}, which PowerShell decodes as base64 of UTF-16LE source: no expression produces that",
                element.field.path, chars=(i.start, i.end),
                hint="use `-Command` with `repr_pwsh(...)`, or forward the wrapped command as argv")


def _parsed_again(scanned) -> set:
    """Holes of shell text that a second interpreter parses once the shell is done (`ssh host <word>`,
    `sh -c <word>`): quoting them twice is right."""
    found = set()
    for command in commands(scanned.tokens):
        parsed = invocation([w.value for w in command.words]).parsed
        for index, word in enumerate(command.words):
            if index in parsed:
                found.update(word.holes)
    return found


def _unnest_fix(ctx, element: Element, hole: Hole) -> Optional[Fix]:
    outer = hole.quoting_call
    inner = outer.receiver if outer.receiver is not None else outer.args[0]
    text = element.field.value
    edit = replace_in_scalar(ctx.source, element.field.node, outer.start, outer.end, text[inner.start:inner.end])
    return Fix(f"quote once with {hole.quoting}()", (edit,), safe=False) if edit else None


def _plain_argument(element: Element, program: str) -> Iterator[Finding]:
    for hole in element.holes:
        i = hole.interpolation
        if hole.quoting is not None:
            yield QUOTED_PLAIN_ARGUMENT.finding(
                f"`{hole.quoting}` quotes this value, but {program} receives the argument as is: the quotes reach "
                "it literally", element.field.path, chars=(i.start, i.end),
                hint="pass the value without `repr_*`; argv elements need no quoting")
        elif hole.is_list and element.whole is None:
            yield LIST_IN_STRING.finding(
                "a list inside a larger string renders as bracketed text, all in one argument",
                element.field.path, chars=(i.start, i.end),
                hint="make the interpolation the whole argument to add one argument per item, or `join` the list")


def _program_label(action: Action) -> str:
    command = action.elements[0]
    return program_name(command.field.value if command is not None else None) or "the program"


def _quoted_for(function: str) -> str:
    for interpreter, name in QUOTING_FUNCTION.items():
        if name == function:
            return DESCRIPTION[interpreter]
    return "JSON"


def _quote_fix(ctx, element: Element, hole: Hole, function: str) -> Optional[Fix]:
    i = hole.interpolation
    inner = element.field.value[i.expr_start:i.expr_end]
    edit = replace_in_scalar(ctx.source, element.field.node, i.start, i.end,
                             "{{ " + f"{function}({inner.strip()})" + " }}")
    return Fix(f"quote with {function}()", (edit,), safe=False) if edit else None


def _rename_fix(ctx, element: Element, hole: Hole, function: str) -> Optional[Fix]:
    call = hole.quoting_call
    if call is None:
        return None
    edit = replace_in_scalar(ctx.source, element.field.node, call.function_start, call.function_end, function)
    return Fix(f"use {function}()", (edit,), safe=False) if edit else None
