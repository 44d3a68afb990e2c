"""The H family: wrap hooks that run, but lose something of the wrapped action on the way.

RFC 0008 asks a wrap hook to propagate the wrapped exit status, forward stdout verbatim (the runtime
reads `openjd_env`, `openjd_progress` ... from the hook's stdout), deliver cancelation to the wrapped
process and honour its timeout. These checks look at the hook's argv and at the shell text it (or an
embedded script it runs) hands to an interpreter.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from openjd_lint.context import per_template
from openjd_lint.findings import Finding, Related, Severity
from openjd_lint.load.tree import MapNode, ScalarNode, SeqNode
from openjd_lint.model.fields import ARG, CANCELATION_MODE, NOTIFY_PERIOD, TIMEOUT
from openjd_lint.model.symbols import uses_wrap_draft
from openjd_lint.rule_api import Rule, share_of
from openjd_lint.session.stack import wrapped_actions
from openjd_lint.shell.argmax import exceeded, limits_for
from openjd_lint.shell.hooks import (
    WRAPPED_COMMAND, WRAPPED_TIMEOUT, Action, Element, element_of, forwards_timeout, hook_at, hook_fields,
    once_per_place, runs_wrapped, wrap_hooks,
)
from openjd_lint.shell.interpreters import PY, SH, interpreter_of_program, invocation, program_name
from openjd_lint.shell.words import COMMENT, UNQUOTED, commands, scan

_GOOD = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS, EXPR, FEATURE_BUNDLE_1]
environment:
  name: Wrapper
  script:
    actions:
      onWrapEnvEnter:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
        timeout: "{{WrappedAction.Timeout}}"
      onWrapTaskRun:
        command: bash
        args: ["-c", "exec timeout {{ WrappedAction.Timeout or 0 }} {{ repr_sh(WrappedAction.Command) }} {{ repr_sh(WrappedAction.Args) }}"]
      onWrapEnvExit:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
        timeout: "{{WrappedAction.Timeout}}"
"""
_TASK_LINE = "exec timeout {{ WrappedAction.Timeout or 0 }} {{ repr_sh(WrappedAction.Command) }} {{ repr_sh(WrappedAction.Args) }}"
_RUN = "{{ repr_sh(WrappedAction.Command) }} {{ repr_sh(WrappedAction.Args) }}"


_check = share_of(lambda ctx: _analyse(ctx))  # _analyse is defined below the rules


NULLABLE_IN_TEXT = Rule(
    "H001", "unguarded-nullable", Severity.WARNING,
    "A value that may be null is used inside a larger string or in arithmetic without a guard.",
    "`WrappedAction.Timeout`, `WrappedAction.Cancelation.Mode` and `.NotifyPeriodInSeconds` are null when the "
    "wrapped action does not set them. Inside a longer string null renders as nothing (`timeout {{WrappedAction."
    "Timeout}}s` becomes `timeout s`), and arithmetic on null fails. Give a default (`WrappedAction.Timeout or 0`) "
    "or branch (`... if WrappedAction.Timeout != null else ...`). A whole-field `timeout: \"{{WrappedAction."
    "Timeout}}\"` is fine: null there leaves the field out. Text only printed by `echo`/`printf` is not reported.",
    bad=_GOOD.replace("{{ WrappedAction.Timeout or 0 }}", "{{ WrappedAction.Timeout }}"),
    good=_GOOD,
    check=_check("H001"),
)

TIMEOUT_NOT_FORWARDED = Rule(
    "H002", "wrapped-timeout-ignored", Severity.INFO,
    "A wrap hook neither forwards nor enforces the wrapped action's timeout.",
    "The hook's own `timeout` replaces the wrapped action's: unless the hook uses `WrappedAction.Timeout` (as its "
    "`timeout`, or passed on to something that enforces it), a wrapped action with a short timeout runs under the "
    "hook's default instead. This is informational: a wrap script the linter cannot see into may enforce it.",
    bad=_GOOD.replace('        timeout: "{{WrappedAction.Timeout}}"\n      onWrapTaskRun', "      onWrapTaskRun"),
    good=_GOOD,
    check=_check("H002"),
)

DETACHED = Rule(
    "H003", "detached-wrapped-process", Severity.WARNING,
    "A wrap hook starts the wrapped command detached from the hook.",
    "With `&`, `nohup`, `setsid` or `docker run --detach` the hook ends before the wrapped command does: its exit "
    "status and output are lost and cancelation reaches the hook, not the wrapped process. Run it in the "
    "foreground, preferably with `exec`.",
    bad=_GOOD.replace(_TASK_LINE, f"{_RUN} &"),
    good=_GOOD,
    check=_check("H003"),
)

STATUS_MASKED = Rule(
    "H004", "masked-exit-status", Severity.WARNING,
    "A wrap hook hides the wrapped command's exit status.",
    "A shell exits with the status of the last command it ran, and a pipeline with the status of its last "
    "element: `|| true`, `; exit 0`, `; echo done` or `| tee -a log` (without `set -o pipefail`) after the wrapped "
    "command make a failed task look successful. RFC 0008 requires the hook to exit with the wrapped status: end "
    "with the wrapped command, `exec` it, or save its status and exit with it (`status=$?; ...; exit $status`). "
    "`&& cleanup` is fine (a failure skips it), and so is `set -e` before a `;`.",
    bad=_GOOD.replace(_TASK_LINE, f"{_RUN} || true"),
    good=_GOOD,
    check=_check("H004"),
)

STDOUT_LOST = Rule(
    "H005", "wrapped-stdout-lost", Severity.WARNING,
    "A wrap hook discards or filters the wrapped command's stdout.",
    "The runtime reads `openjd_env`, `openjd_progress`, `openjd_status` and other stdout messages from the hook's "
    "own stdout. Redirecting the wrapped command's stdout (`>/dev/null`, `>&2`, `subprocess.DEVNULL`) or piping it "
    "through a filter (`| grep`, `| tee file >/dev/null`) loses them, and a pipe also hides the exit status.",
    bad=_GOOD.replace(_TASK_LINE, f"{_RUN} | grep -v DEBUG"),
    good=_GOOD,
    check=_check("H005"),
)

SHELL_SYNTAX_IN_ARGV = Rule(
    "H006", "shell-syntax-without-shell", Severity.WARNING,
    "An argument of a program that is not a shell contains shell syntax, which reaches the program literally.",
    "Actions run their command directly, without a shell: `$VAR`, `${VAR}`, `~`, globs such as `/data/*.exr`, and "
    "`|`, `&&`, `;` or `>` as separate arguments are passed as they are written. Use `{{...}}` interpolation, or "
    "run the command through `bash -c` with quoted values.",
    bad=_GOOD.replace('        command: "{{WrappedAction.Command}}"\n        args: ["{{WrappedAction.Args}}"]\n'
                      '        timeout: "{{WrappedAction.Timeout}}"\n      onWrapTaskRun',
                      '        command: docker\n        args: [exec, "${DOCKER_CONTAINER_ID}", "{{WrappedAction.Command}}",'
                      ' "{{WrappedAction.Args}}"]\n        timeout: "{{WrappedAction.Timeout}}"\n      onWrapTaskRun'),
    good=_GOOD,
    check=_check("H006"),
)

COMMAND_LINE_LENGTH = Rule(
    "H007", "hook-command-line-length", Severity.WARNING,
    "A hook's command line is, or may become, longer than a platform allows.",
    "A hook roughly doubles the wrapped command line. Linux allows about 2 MiB for argv and environment together "
    "and 128 KiB per argument, macOS 256 KiB in all, Windows 32,767 characters per command line and cmd.exe 8,191. "
    "Reported where the hook's literal text alone is over a limit, and, in a job template, at each wrapped action "
    "whose command line the hook would take over a limit: an estimate from the literal text of both (interpolated "
    "values count as nothing, so a real run is longer). Packing the whole wrapped command line into one argument "
    "(`bash -c \"... {{ repr_sh(WrappedAction.Args) }}\"`) makes the per-argument limit apply to all of it; "
    "`openjd-lint expand` measures the real command lines.",
    bad=_GOOD.replace("exec timeout", "exec timeout " + "x" * 9000 + " ").replace("command: bash", "command: cmd")
        .replace('["-c", "exec', '["/c", "exec'),
    good=_GOOD.replace('command: bash\n        args: ["-c", "' + _TASK_LINE + '"]',
                       'command: "{{WrappedAction.Command}}"\n        args: ["{{WrappedAction.Args}}"]\n'
                       '        timeout: "{{WrappedAction.Timeout}}"'),
    check=_check("H007"),
)

_DOCKER_GOOD = _GOOD.replace(
    'command: bash\n        args: ["-c", "' + _TASK_LINE + '"]',
    'command: docker\n        args: [exec, --workdir, /work, render-box, "{{WrappedAction.Command}}", '
    '"{{WrappedAction.Args}}"]\n        timeout: "{{WrappedAction.Timeout}}"')

OPTION_AFTER_CONTAINER = Rule(
    "H008", "option-after-container", Severity.WARNING,
    "A container runner's option is written after the container or image, where it becomes part of the command.",
    "`docker exec [OPTIONS] CONTAINER COMMAND [ARG...]` and `docker run [OPTIONS] IMAGE [COMMAND] [ARG...]` (and "
    "`podman`, `nerdctl`) read options only before the container or image: `docker exec box -e KEY=value cmd` "
    "runs a program named `-e` in the container (RFC 0008's own example had to be corrected for this). After "
    "`run`'s image only the runner's own options are reported, since an image's entrypoint may take options. "
    "Move the option before the container or image.",
    bad=_DOCKER_GOOD.replace("[exec, --workdir, /work, render-box,", "[exec, render-box, --workdir, /work,"),
    good=_DOCKER_GOOD,
    check=_check("H008"),
)

RULES = [NULLABLE_IN_TEXT, TIMEOUT_NOT_FORWARDED, DETACHED, STATUS_MASKED, STDOUT_LOST, SHELL_SYNTAX_IN_ARGV,
         COMMAND_LINE_LENGTH, OPTION_AFTER_CONTAINER]

_DISPLAY_PROGRAMS = frozenset({"echo", "printf"})
_FILTERS = frozenset({"grep", "egrep", "fgrep", "sed", "awk", "gawk", "head", "tail", "cut", "tr", "sort", "uniq",
                      "wc", "jq", "less", "more", "cat"})
_MASKING = (("true",), (":",), ("exit", "0"))
_SHELL_VARIABLE = re.compile(r"\$(?:\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])")
_PATH_GLOB = re.compile(r"[\\/][^\s]*[*?]|^\*\.")
_STANDALONE_OPERATORS = frozenset({"|", "||", "&&", ";", ">", ">>", "<", "&", "2>&1"})


@per_template
def _analyse(ctx) -> list:
    findings = once_per_place((action, [*_nullable(ctx, action), *_timeout(ctx, action), *_shell_hazards(action),
                                        *_literal_shell_syntax(action), *_length(action),
                                        *_misplaced_options(action)])
                              for action in wrap_hooks(ctx))
    return findings + list(_wrapped_lengths(ctx))


# H001 ------------------------------------------------------------------------------------------------

def _nullable(ctx, action: Action) -> Iterator[Finding]:
    for field in hook_fields(ctx, action.path):
        element = element_of(ctx, field, field.path[-1] + 1 if field.role == ARG else 0)
        display = _display_holes(action, element) if field.role not in (TIMEOUT, NOTIFY_PERIOD, CANCELATION_MODE) \
            else set()
        for number, hole in enumerate(element.holes):
            for hazard in hole.null_hazards:
                written = field.value[hazard.start:hazard.end].strip()
                yield NULLABLE_IN_TEXT.finding(
                    f"`{written}` fails when {_nullable_names(hole)} {_is_or_are(hole)} null", field.path,
                    chars=(hazard.start, hazard.end), hint="give a default first, e.g. `(x or 0)`")
            if number in display:
                continue
            for call in hole.null_as_text:
                text = element.field.value[call.start:call.end]
                yield NULLABLE_IN_TEXT.finding(
                    f"`{text}` renders `null` when {_nullable_names(hole)} {_is_or_are(hole)} null: `string()` "
                    "is no guard", field.path, chars=(call.start, call.end),
                    hint="give the default inside the call, e.g. `string(x or 0)`, or branch with `if x != null`")
            if hole.null_hazards or hole.null_as_text or not hole.nullable or element.whole is hole:
                continue
            i = hole.interpolation
            yield NULLABLE_IN_TEXT.finding(
                f"`{i.text.strip()}` may be null, which renders as an empty string inside this text", field.path,
                chars=(i.start, i.end), hint=f"give a default: `{{{{ {i.text.strip()} or ... }}}}`")


def _nullable_names(hole) -> str:
    names = _nullable_in(hole)
    return ", ".join(f"`{n}`" for n in names) or "an operand"


def _nullable_in(hole) -> list:
    return [n for n in hole.names if n in WRAPPED_TIMEOUT or n.startswith("WrappedAction.Cancelation")]


def _is_or_are(hole) -> str:
    return "are" if len(_nullable_in(hole)) > 1 else "is"


def _display_holes(action: Action, element: Element) -> set:
    """Holes that only reach `echo`/`printf` in shell text: printing an empty value is harmless."""
    if action.invocation.parsed.get(element.index) != SH:
        return set()
    holes = [(h.interpolation.start, h.interpolation.end) for h in element.holes]
    found = set()
    for command in commands(scan(element.field.value, holes).tokens):
        if command.program in _DISPLAY_PROGRAMS:
            found.update(command.holes)
    return found


# H002 ------------------------------------------------------------------------------------------------

def _timeout(ctx, action: Action) -> Iterator[Finding]:
    # In a job template the session is known: N004 reports each declared timeout that is really lost.
    if ctx.is_job or not runs_wrapped(action) or forwards_timeout(ctx, action):
        return
    name = "Env.Action.Timeout" if uses_wrap_draft(ctx) else "WrappedAction.Timeout"
    yield TIMEOUT_NOT_FORWARDED.finding(
        f"`{action.hook}` does not forward the wrapped action's timeout", action.path, on_key=True,
        hint=f'add `timeout: "{{{{{name}}}}}"` (needs FEATURE_BUNDLE_1) or pass the timeout to the program that '
             "runs the wrapped command")


# H003, H004, H005 ------------------------------------------------------------------------------------

def _shell_hazards(action: Action) -> Iterator[Finding]:
    if action.invocation.detached_by and runs_wrapped(action):
        element = action.elements[0]
        yield DETACHED.finding(f"`{action.invocation.detached_by}` detaches the wrapped command from the hook",
                               element.field.path, hint="run it in the foreground")
    for element in action.elements:
        if element is None:
            continue
        interpreter = action.invocation.parsed.get(element.index)
        wrapped = {n for n, h in enumerate(element.holes) if set(h.names) & WRAPPED_COMMAND}
        if interpreter == SH and wrapped:
            yield from _shell_text_hazards(element, wrapped, None, _shell_options(action, element.index))
        elif interpreter == PY and wrapped and re.search(r"stdout\s*=\s*(subprocess\.)?DEVNULL", element.field.value):
            match = re.search(r"stdout\s*=\s*(subprocess\.)?DEVNULL", element.field.value)
            yield STDOUT_LOST.finding("the wrapped command's stdout goes to DEVNULL", element.field.path,
                                      chars=match.span(), hint="let the wrapped command inherit stdout")
    for script in action.files:
        if script.data is not None and script.interpreter == SH and script.forwards_wrapped:
            yield from _shell_text_hazards(script.data, set(), _FORWARDED_ARGS,
                                           _shell_options(action, action.invocation.script_index))


def _shell_options(action: Action, index: Optional[int]) -> str:
    """The literal words between the shell and the element it runs (`-e -o pipefail -c`)."""
    if index is None or interpreter_of_program(action.invocation.program) != SH:
        return ""
    texts = action.texts()[action.invocation.program_index + 1:index]
    return " ".join(t for t in texts if t is not None and "{{" not in t)


_FORWARDED_ARGS = re.compile(r"\$(?:@|\*|\{@\}|\{\*\})")


def _shell_text_hazards(element: Element, wrapped: set, marker: Optional[re.Pattern],
                        options: str = "") -> Iterator[Finding]:
    """`options` is the literal text of the shell's own command-line options (`bash -e -o pipefail -c`)."""
    holes = [(h.interpolation.start, h.interpolation.end) for h in element.holes]
    text = element.field.value
    scanned = scan(text, holes)
    if any(scanned.contexts.get(n) == COMMENT for n in wrapped):
        return
    found = commands(scanned.tokens)
    path = element.field.path
    for position, command in enumerate(found):
        runs_wrapped = bool(command.holes & wrapped) or (
            marker is not None and any(marker.search(w.text) for w in command.words))
        if not runs_wrapped:
            continue
        span = (command.words[0].start, command.words[-1].end) if command.words else None
        argv = [w.value for w in command.words]
        detached_by = invocation(argv).detached_by if argv else None
        if command.after == "&":
            yield DETACHED.finding("`&` runs the wrapped command in the background", path, chars=span,
                                   hint="run it in the foreground (and `exec` it)")
        elif detached_by:
            yield DETACHED.finding(f"`{detached_by}` detaches the wrapped command from the hook", path, chars=span,
                                   hint="run it in the foreground")
        following = found[position + 1] if position + 1 < len(found) else None
        before = text[:command.words[0].start if command.words else 0]
        shebang = before.split("\n", 1)[0] if before.startswith("#!") else ""
        yield from _status_hazards(command, found[position + 1:], path, span,
                                   f"{options} {shebang}", before, text[span[1] if span else 0:])
        lost = _stdout_redirect(command)
        if lost:
            yield STDOUT_LOST.finding(f"`{lost}` takes the wrapped command's stdout away from the hook", path,
                                      chars=span, hint="let the wrapped command write to the hook's stdout")
        elif command.after in ("|", "|&") and following is not None:
            yield from _pipe_hazard(following, found[position + 1:], path, span)


_ERREXIT_OPTION = re.compile(r"(?:^|\s)(?:-[a-zA-Z]*e[a-zA-Z]*|-o\s+errexit)(?=\s|$)")
_ERREXIT_SET = re.compile(r"(?:^|[\s;&|])set\s+(?:-[a-zA-Z]*e[a-zA-Z]*|-o\s+errexit)(?=\s|;|$)", re.M)
_STATUS_KEPT = re.compile(r"\$\?|\$\{\?\}|PIPESTATUS")


def _status_hazards(command, rest: list, path: tuple, span, options: str, before_text: str,
                    after_text: str) -> Iterator[Finding]:
    """H004: what runs after the wrapped command decides the hook's exit status. `options` are the shell's
    own options (command line, shebang), `before_text`/`after_text` the script around the command."""
    if command.words and program_name(command.words[0].value) == "exec":
        return
    hint = "end with the wrapped command, `exec` it, or save its status and exit with it (`status=$?; ...; exit $status`)"
    following = rest[0] if rest else None
    if following is not None and command.after in ("||", ";", "\n") and \
            tuple(w.value for w in following.words) in _MASKING and not following.redirects:
        words = " ".join(w.value for w in following.words)
        yield STATUS_MASKED.finding(f"`{command.after.strip() or 'newline'} {words}` after the wrapped command "
                                    "hides its exit status", path,
                                    chars=(following.words[0].start, following.words[-1].end), hint=hint)
        return
    if command.after in ("|", "|&") and following is not None:
        if "pipefail" not in options + before_text and not _STATUS_KEPT.search(after_text):
            yield STATUS_MASKED.finding(
                f"the pipeline exits with the status of `{_shown(following)}`, not the wrapped command's", path, chars=span,
                hint="`set -o pipefail` before the pipeline, or end with the wrapped command")
        return
    if _STATUS_KEPT.search(after_text) or _ERREXIT_OPTION.search(options) or _ERREXIT_SET.search(before_text):
        return
    later = next((c for c in rest if c.before in (";", "\n") and c.words), None)
    if later is None or _exits_with_last_status(later):
        return
    yield STATUS_MASKED.finding(
        f"`{_shown(later)}` runs after the wrapped command, so the hook exits with its status instead of the "
        "wrapped command's", path, chars=(later.words[0].start, later.words[-1].end), hint=hint)


def _shown(command) -> str:
    text = " ".join(w.value for w in command.words)
    return text if len(text) <= 40 else text[:39] + "…"


def _exits_with_last_status(command) -> bool:
    return [w.value for w in command.words] == ["exit"]


def _stdout_redirect(command) -> Optional[str]:
    for operator, target in command.redirects:
        text = operator.text
        if text.lstrip("0123456789") != text and not text.startswith("1"):
            continue
        bare = text.lstrip("1")
        target_text = target.value if target is not None else ""
        if bare in (">", ">>", ">|", "&>", "&>>") and target_text:
            return f"{text}{target_text}"
        if bare == ">&" and target_text not in ("1",):
            return f"{text}{target_text}"
    return None


def _pipe_hazard(following, rest: list, path: tuple, span) -> Iterator[Finding]:
    program = program_name(following.program)
    if program in _FILTERS:
        yield STDOUT_LOST.finding(f"`| {program}` filters the wrapped command's stdout", path, chars=span,
                                  hint="let the wrapped command write to the hook's stdout unfiltered")
        return
    if program == "tee":
        tail = following
        for command in rest:
            tail = command
            if command.after not in ("|", "|&"):
                break
        if _stdout_redirect(tail):
            yield STDOUT_LOST.finding("`| tee` writes the wrapped command's stdout to a file only", path, chars=span,
                                      hint="keep tee's own stdout going to the hook's stdout")


# H006 ------------------------------------------------------------------------------------------------

def _literal_shell_syntax(action: Action) -> Iterator[Finding]:
    if action.invocation.is_interpreter and not action.invocation.parsed:
        return  # a script file with plain arguments: the script decides
    for element in action.elements[1:]:
        if element is None or element.index in action.invocation.parsed:
            continue
        if action.invocation.script_index is not None and element.index == action.invocation.script_index:
            continue
        text = element.literal_text
        found = _shell_syntax(text)
        if found is None:
            continue
        what, span = found
        yield SHELL_SYNTAX_IN_ARGV.finding(
            f"{what} in an argument of a program that is not a shell reaches it literally", element.field.path,
            chars=span, hint="use an interpolation, or run the command through a shell with quoted values")


def _shell_syntax(text: str) -> Optional[tuple]:
    match = _SHELL_VARIABLE.search(text)
    if match:
        return f"`{match.group()}`", match.span()
    stripped = text.strip()
    if stripped in _STANDALONE_OPERATORS:
        start = text.index(stripped)
        return f"`{stripped}`", (start, start + len(stripped))
    if text == "~" or text.startswith("~/"):
        return "`~`", (0, 1)
    if not text.startswith("-"):
        match = _PATH_GLOB.search(text)
        if match:
            return "a glob", match.span()
    return None


# H007 ------------------------------------------------------------------------------------------------

def _length(action: Action) -> Iterator[Finding]:
    texts = [e.literal_text if e is not None else "" for e in action.elements]
    for limit, size in exceeded(texts, limits_for(_interpreter(action))):
        yield COMMAND_LINE_LENGTH.finding(
            f"the hook's literal text alone is {size:,} {limit.unit}, over the {limit.platform} limit for "
            f"{limit.description} ({limit.size:,} {limit.unit})", action.path, on_key=True,
            hint="move the text into an embedded file and run that")
        return


def _interpreter(action: Action) -> Optional[str]:
    interpreters = set(action.invocation.parsed.values())
    return next(iter(interpreters)) if len(interpreters) == 1 else None


def _wrapped_lengths(ctx) -> Iterator[Finding]:
    """The command line a hook builds around each wrapped action of the job, estimated from the literal text
    of both (interpolations count as nothing, so the estimate is a lower bound), against the limits the
    wrapped action alone keeps to."""
    if not ctx.is_job:
        return
    for wrapped in wrapped_actions(ctx):
        wrapper = wrapped.wrapper
        hook = hook_at(wrapper.context, wrapper.path + ("script", "actions", wrapped.hook))
        if hook is None or not runs_wrapped(hook):
            continue
        own = _literal_argv(wrapped.node)
        limits = limits_for(_interpreter(hook))
        over_already = {limit for limit, _ in exceeded(own, limits)}  # not the hook's doing
        argv = _composed(hook, own, _entered_variables(wrapped.entered))
        for limit, size in exceeded(argv, [limit for limit in limits if limit not in over_already]):
            where = "" if wrapper.context is ctx else f" ({wrapper.file})"
            made = "an argument" if limit.per_argument else "a command line"
            yield COMMAND_LINE_LENGTH.finding(
                f"`{wrapped.hook}` of '{wrapper.name}'{where} makes the `{wrapped.key}` of {wrapped.owner} {made} of "
                f"at least {size:,} {limit.unit}, over the {limit.platform} limit for {limit.description} "
                f"({limit.size:,} {limit.unit})", wrapped.path, on_key=True,
                hint="move the long text into an embedded file, or forward the wrapped command as separate argv "
                     "elements so each argument keeps its own limit",
                related=(Related(f"the hook that replaces this `{wrapped.key}`",
                                 span=wrapper.actions.key_node(wrapped.hook).span, file=wrapper.file),))
            break


_INTERPOLATION = re.compile(r"\{\{.*?\}\}", re.S)
_ARGS = frozenset({"WrappedAction.Args", "Task.Args"})
_COMMAND = frozenset({"WrappedAction.Command", "Task.Command"})
_ENVIRONMENT = frozenset({"WrappedAction.Environment", "Task.Environment"})


def _literal_argv(action: MapNode) -> list:
    nodes = [action.get("command")] + (action.get("args").items if isinstance(action.get("args"), SeqNode) else [])
    return [_INTERPOLATION.sub("", str(n.value)) if isinstance(n, ScalarNode) else "" for n in nodes]


def _entered_variables(environments) -> list:
    found = []
    for environment in environments:
        variables = environment.node.get("variables")
        if isinstance(variables, MapNode):
            found += [f"{key}={value.value if isinstance(value, ScalarNode) else ''}"
                      for key, value in variables.items()]
    return found


def _composed(hook: Action, wrapped: list, environment: list) -> list:
    """The hook's argv with the wrapped values in place: a whole-element list adds one argument per item;
    anywhere else a value joins the element's text."""
    argv = []
    for element in hook.elements:
        if element is None:
            argv.append("")
            continue
        whole = element.whole
        if whole is not None and set(whole.names) & _ARGS and whole.is_list:
            argv.extend(wrapped[1:])
            continue
        if whole is not None and set(whole.names) & _ENVIRONMENT and whole.is_list:
            argv.extend(environment)
            continue
        text = _INTERPOLATION.sub("", element.field.value)
        for hole in element.holes:
            names = set(hole.names)
            text += (" " + wrapped[0] if names & _COMMAND else "") + (
                " " + " ".join(wrapped[1:]) if names & _ARGS else "") + (
                " " + " ".join(environment) if names & _ENVIRONMENT else "")
        argv.append(text)
    return argv


# H008 ------------------------------------------------------------------------------------------------

def _misplaced_options(action: Action) -> Iterator[Finding]:
    texts = action.texts()
    runner = next((i for i, text in enumerate(texts) if program_name(text) in ("docker", "podman", "nerdctl")), None)
    if runner is None or runner + 1 >= len(texts):
        return
    label = f"{program_name(texts[runner])} {texts[runner + 1]}"
    target = "container" if texts[runner + 1] == "exec" else "image"
    for index in action.invocation.misplaced_options:
        element = action.elements[index]
        option = texts[index]
        yield OPTION_AFTER_CONTAINER.finding(
            f"`{option}` comes after the {target}, so `{label}` passes it to the command instead of reading it",
            element.field.path, hint=f"move `{option}` (and its value) before the {target}")
