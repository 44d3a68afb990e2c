"""The I family: parameter values pasted into text a shell or another interpreter parses.

A job's parameter values are chosen by whoever submits the job, and an environment template's are set by
every job that runs in it (a queue environment runs with the queue's credentials). Pasted raw into a
`bash -c` line, an embedded script or a simple action's script, a value with a quote, `;` or `$(...)` in
it runs commands of the submitter's choosing. One rule per interpreter family; each reports the
interpolation where a value can break out, with its type and provenance taken into account: numbers,
booleans, ranges, values every `allowedValues` entry of which stays inside the quoting, values quoted
with the interpreter's `repr_*` function, and values passed as their own argv element stay silent.
"""

from __future__ import annotations

from typing import Iterator, Optional

from openjd_lint.context import per_template
from openjd_lint.expr import quoting
from openjd_lint.findings import Finding, Fix, Related, Severity
from openjd_lint.model.symbols import expr_enabled
from openjd_lint.rule_api import MINIMAL_JOB, Rule, share_of
from openjd_lint.shell.contexts import Place, places
from openjd_lint.shell.hooks import Hole, carries_text
from openjd_lint.shell.interpreters import (
    ARGUMENT_AFTER_CODE, ARGUMENT_IN_SCRIPT, CMD, DESCRIPTION, JS, PWSH, PY, QUOTING_FUNCTION, SH,
)
from openjd_lint.shell.provenance import Reach, reaching
from openjd_lint.shell.sites import ARGUMENT, FILE, Site, sites
from openjd_lint.shell.source_edits import replace_in_scalar

_check = share_of(lambda ctx: _analyse(ctx))  # _analyse is defined below the rules

_QUEUE_ENVIRONMENT = """\
specificationVersion: environment-2023-09
parameterDefinitions:
- name: Packages
  type: STRING
  default: ""
environment:
  name: Packages
  script:
    actions:
      onEnter:
        command: bash
        args: ["{{Env.File.Enter}}"]
    embeddedFiles:
    - name: Enter
      type: TEXT
      filename: enter.sh
      data: |
        set -euo pipefail
        PACKAGES='{{Param.Packages}}'
        pip install $PACKAGES
"""

_PYTHON_JOB = MINIMAL_JOB.replace("name: Render\n", "name: Render\nparameterDefinitions:\n- name: Message\n"
                                  "  type: STRING\n  default: hello\n").replace(
    "        command: render\n", "        command: python3\n        args: [\"-c\", \"print('{{Param.Message}}')\"]\n")

_SIMPLE_ACTION = """\
specificationVersion: jobtemplate-2023-09
extensions: [FEATURE_BUNDLE_1, EXPR]
name: Render
parameterDefinitions:
- name: Scene
  type: PATH
steps:
- name: Frame
  {key}:
    script: |
      {line}
"""

_CMD_JOB = MINIMAL_JOB.replace("name: Render\n", "name: Render\nparameterDefinitions:\n- name: Quality\n"
                               "  type: STRING\n  default: draft\n").replace(
    "        command: render\n",
    "        command: cmd\n        args: [\"/c\", \"render.exe --quality {{Param.Quality}}\"]\n")

SHELL = Rule(
    "I001", "shell-injection", Severity.WARNING,
    "A parameter value is pasted into text a POSIX shell parses, where it can break out and run commands.",
    "A shell parses `bash -c` lines, embedded files it runs (by the action's command, a shebang or a `.sh` "
    "extension), `bash:` simple-action scripts and `ssh` command lines. A STRING or PATH value pasted there "
    "raw is shell code: inside single quotes a `'` ends them, inside double quotes `$(...)` runs, unquoted a "
    "`;` starts another command. A queue environment's parameters are set by every job submitted to the "
    "queue, so its scripts run whatever a submitter writes. Quote the value with `repr_sh(...)` (EXPR; the "
    "result is a whole shell word, so it must not sit inside other quotes), or pass it as its own argument "
    "(`args: [\"{{Env.File.Enter}}\", \"{{Param.X}}\"]`) and read `\"$1\"` in the script. Numbers, booleans, "
    "ranges and parameters whose every `allowedValues` entry stays inside the quoting are not reported. A value "
    "the template itself supplies that already breaks out (a default with a `'` inside single quotes) is an error.",
    bad=_QUEUE_ENVIRONMENT,
    good=_QUEUE_ENVIRONMENT.replace('args: ["{{Env.File.Enter}}"]',
                                    'args: ["{{Env.File.Enter}}", "{{Param.Packages}}"]').replace(
        "PACKAGES='{{Param.Packages}}'", 'PACKAGES="$1"'),
    check=_check("I001"),
)

PYTHON = Rule(
    "I002", "python-injection", Severity.WARNING,
    "A parameter value is pasted into Python source, where it can break out of its string literal and run code.",
    "`python -c` code, embedded files run by Python (by the command, a shebang or a `.py` extension) and "
    "`python:` simple-action scripts are Python source: a `'` in a value pasted into `'...'` ends the literal "
    "and the rest is code. Quote it with `repr_py(...)` (EXPR) in place of the literal, or pass it as an "
    "argument and read `sys.argv`.",
    bad=_PYTHON_JOB,
    good=_PYTHON_JOB.replace("\"print('{{Param.Message}}')\"]",
                             "\"import sys; print(sys.argv[1])\", \"{{Param.Message}}\"]"),
    check=_check("I002"),
)

POWERSHELL = Rule(
    "I003", "powershell-injection", Severity.WARNING,
    "A parameter value is pasted into PowerShell source, where it can break out of its string and run commands.",
    "`powershell -Command` text, `.ps1` files and `powershell:` simple-action scripts are PowerShell source: a "
    "`'` (or a typographic quote) ends a single-quoted string, and `$(...)` runs inside a double-quoted one. "
    "Quote the value with `repr_pwsh(...)` (EXPR) in place of the string, or pass it as an argument (`$args`).",
    bad=_SIMPLE_ACTION.format(key="powershell", line="Write-Output '{{Param.Scene}}'"),
    good=_SIMPLE_ACTION.format(key="powershell", line="Write-Output {{repr_pwsh(Param.Scene)}}"),
    check=_check("I003"),
)

CMD_SHELL = Rule(
    "I004", "cmd-injection", Severity.WARNING,
    "A parameter value is pasted into a cmd.exe command line or batch file, where `&` and `|` run commands.",
    "`cmd /c` lines, `.bat`/`.cmd` files and `cmd:` simple-action scripts are parsed by cmd.exe: unquoted, `&`, "
    "`|` and `>` in a value start other commands; inside double quotes a `\"` ends the quotes. Quote it with "
    "`repr_cmd(...)` (EXPR), constrain it with `allowedValues`, or pass it as an argument (`%~1`).",
    bad=_CMD_JOB,
    good=_CMD_JOB.replace("  default: draft\n", "  default: draft\n  allowedValues: [draft, final]\n"),
    check=_check("I004"),
)

NODE = Rule(
    "I005", "node-injection", Severity.WARNING,
    "A parameter value is pasted into JavaScript source run by Node.js, where it can break out and run code.",
    "`node -e` code, `.js` files and `node:` simple-action scripts are JavaScript: a quote in a value pasted "
    "into a string literal ends it, and `${...}` runs inside a template literal. Quote it with "
    "`repr_json(...)` (EXPR; JSON text is a JavaScript literal) in place of the literal, or pass it as an "
    "argument (`process.argv`).",
    bad=_SIMPLE_ACTION.format(key="node", line="console.log('{{Param.Scene}}')"),
    good=_SIMPLE_ACTION.format(key="node", line="console.log({{repr_json(Param.Scene)}})"),
    check=_check("I005"),
)

RULES = [SHELL, PYTHON, POWERSHELL, CMD_SHELL, NODE]
_RULE_OF = {SH: SHELL, PY: PYTHON, PWSH: POWERSHELL, CMD: CMD_SHELL, JS: NODE}
_WHOLE_CODE_HINT = ("run code the template fixes (an embedded file or a simple action's script) and pass the value to "
                    "it as an argument; if running the submitter's code is the intent, suppress this finding with a "
                    "`# openjd-lint: disable=...` comment on its line")
_FIXABLE_QUOTES = ("'", '"', "'''", '"""', "`")


@per_template
def _analyse(ctx) -> list:
    return [finding for site in sites(ctx) for finding in _site_findings(ctx, site)]


def _site_findings(ctx, site: Site) -> Iterator[Finding]:
    element = site.element
    spans = [(hole.interpolation.start, hole.interpolation.end) for hole in element.holes]
    found = places(site.interpreter, element.field.value, spans)
    for number, hole in enumerate(element.holes):
        place = found.get(number)
        if place is None or (site.in_wrap_hook and (hole.controlled or hole.quoting)):
            continue  # a comment, or a wrap hook's value that the Q rules report
        if hole.type is not None and not carries_text(hole.type):
            continue
        escaping = [r for r in reaching(ctx, element.field, hole.interpolation.expr)
                    if _escapes(r, place, site.interpreter)]
        if escaping:
            yield _finding(ctx, site, hole, place, escaping)


def _matches(function: Optional[str], interpreter: str) -> bool:
    return function == QUOTING_FUNCTION[interpreter] or (interpreter == PY and function == "repr_json")


def _rendered(reach: Reach, value: str) -> str:
    return getattr(quoting, reach.quoting)(value) if reach.quoting else value


def _escapes(reach: Reach, place: Place, interpreter: str) -> bool:
    if reach.quoting is not None and _matches(reach.quoting, interpreter) and place.allowed is not None:
        return False  # quoted for this interpreter, used as a whole word or literal
    values = reach.origin.values
    if values is None:
        return True
    return not all(place.keeps(_rendered(reach, value)) for value in values)


def _finding(ctx, site: Site, hole: Hole, place: Place, escaping: list) -> Finding:
    rule = _RULE_OF[site.interpreter]
    language = DESCRIPTION[site.interpreter]
    names = _names(escaping, hole)
    first = escaping[0]
    whole_code = site.element.whole is hole and first.quoting is None
    if whole_code:
        what = f"{names} is the whole of {site.where}: {language} runs whatever code it holds"
    elif first.quoting is not None and _matches(first.quoting, site.interpreter):
        what = (f"the `{first.quoting}` result of {names} is pasted {place.context} into {site.where}, which "
                f"{language} parses: its own quoting ends them, so {place.how}")
    elif first.quoting is not None:
        what = (f"{names} is quoted with `{first.quoting}`, which does not quote for {language}, and pasted "
                f"{place.context} into {site.where}: {place.how}")
    else:
        what = f"{names} is pasted {place.context} into {site.where}, which {language} parses: {place.how}"
    broken = _declared_breakout(escaping, place)
    if broken is not None:
        reach, value = broken
        what += f"; the value `{value}` that the template gives `{reach.origin.symbol}` already does"
    elif any(r.origin.submitted for r in escaping):
        what += ("; the value comes from the submitter of each job that runs in this environment" if not ctx.is_job
                 else "; whoever submits the job chooses the value")
    related = tuple(Related(f"`{r.origin.symbol}` is defined here", r.origin.definition)
                    for r in escaping if r.origin.definition)
    fix = _fix(ctx, site, hole, place) if expr_enabled(ctx) and not whole_code else None
    hint = _WHOLE_CODE_HINT if whole_code else _hint(ctx, site, hole, place)
    i = hole.interpolation
    return rule.finding(what, site.element.field.path, chars=(i.start, i.end), hint=hint,
                        fix=fix, related=related, severity=Severity.ERROR if broken is not None else None)


def _names(escaping: list, hole: Hole) -> str:
    described = [f"`{r.origin.symbol}` ({r.origin.description})" for r in escaping]
    names = described[0] if len(described) == 1 else ", ".join(described[:-1]) + " and " + described[-1]
    expression = hole.interpolation.text.strip()
    if all(r.origin.symbol not in expression for r in escaping):
        return f"`{expression}`, which holds {names},"
    return names


def _declared_breakout(escaping: list, place: Place) -> Optional[tuple]:
    """(reach, value) for a value the template supplies that certainly ends the surrounding quotes."""
    if place.quote is None:
        return None
    for reach in escaping:
        for value in reach.origin.declared:
            if place.quote[0] in _rendered(reach, value):
                return reach, value
    return None


def _hint(ctx, site: Site, hole: Hole, place: Place) -> str:
    function = QUOTING_FUNCTION[site.interpreter]
    inner = hole.interpolation.text.strip()
    argument = ARGUMENT_IN_SCRIPT[site.interpreter]
    if site.kind == FILE:
        passing = (f"pass it as its own argument (`args: [\"{site.reference}\", \"{{{{{inner}}}}}\"]`) and read "
                   f"`{argument}` in the file")
    elif site.kind == ARGUMENT:
        passing = ARGUMENT_AFTER_CODE[site.interpreter].replace("{value}", "{{" + inner + "}}")
    else:
        passing = f"pass it in the action's `args` (`args: [\"{{{{{inner}}}}}\"]`) and read `{argument}` in the script"
    if not expr_enabled(ctx):
        return passing
    where = " and take it out of the surrounding quotes" if place.quote is not None else ""
    return f"quote it with `{{{{ {function}({inner}) }}}}`{where}, or {passing}"


def _fix(ctx, site: Site, hole: Hole, place: Place) -> Optional[Fix]:
    function = QUOTING_FUNCTION[site.interpreter]
    i = hole.interpolation
    field = site.element.field
    text = field.value
    if hole.quoting is not None and not _matches(hole.quoting, site.interpreter):
        return None
    inner = text[i.expr_start:i.expr_end].strip()
    quoted = text[i.start:i.end] if hole.quoting else "{{ " + f"{function}({inner})" + " }}"
    start, end = i.start, i.end
    description = f"quote with {function}()"
    if place.quote is None:
        if place.allowed is None:
            return None  # a here-document: no quoting of the value fits
        replacement = quoted
    elif place.quote not in _FIXABLE_QUOTES or "b" in place.prefix.lower():
        return None
    elif place.at_open and place.at_close:
        start, end = start - len(place.quote) - len(place.prefix), end + len(place.quote)
        replacement = quoted
        description += " in place of the quotes"
    elif site.interpreter in (SH, PY) and not hole.is_list:
        # Close the literal before the value and open it again after: adjacent pieces join in the shell
        # (one word) and in Python (implicit concatenation of literals).
        gap = " " if site.interpreter == PY else ""
        left, right = place.quote + gap, gap + place.prefix + place.quote
        if place.at_open:
            start, left = start - len(place.quote) - len(place.prefix), ""
        if place.at_close:
            end, right = end + len(place.quote), ""
        replacement = left + quoted + right
        description += " outside the quotes"
    else:
        return None
    edit = replace_in_scalar(ctx.source, field.node, start, end, _for_scalar(field.node.style, replacement))
    if edit is None:
        return None
    return Fix(description, (edit,), safe=False)


def _for_scalar(style: Optional[str], text: str) -> str:
    """Text as it is written inside a YAML scalar of this style."""
    if style == "'":
        return text.replace("'", "''")
    if style == '"':
        return text.replace("\\", "\\\\").replace('"', '\\"')
    return text
