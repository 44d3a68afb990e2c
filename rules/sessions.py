"""The N family: what only a whole session shows, across the job template and the environment
templates that enclose it (queue environments, `check --env`).

The W rules see one template; these rules add the enclosing environment templates: a second wrapping
layer that comes from another file, job parameter definitions that cannot merge (schema.md §1.2.1),
and wrap hooks whose `WrappedEnv.Name` / `WrappedStep.Name` never get a value because nothing in any
session stack is there for them to wrap.
"""

from __future__ import annotations

import re
from typing import Iterator

from openjd_lint.findings import Finding, Related, Severity
from openjd_lint.load.tree import MapNode, ScalarNode, SeqNode
from openjd_lint.rule_api import Rule
from openjd_lint.session import parameters
from openjd_lint.session.stack import (
    ENCLOSING, ENTER_HOOK, EXIT_HOOK, enclosing_environments, session_stack, steps, wrapped_actions,
)
from openjd_lint.shell.hooks import forwards_timeout, hook_at, runs_wrapped

_SUBJECT = re.compile(r"\{\{[^}]*\bWrapped(Env|Step)\.Name\b")

_WRAPPER = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS, EXPR]
environment:
  name: Container
  script:
    actions:
      onWrapEnvEnter:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
      onWrapTaskRun:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
      onWrapEnvExit:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
"""
_PARAMETERS = """\
specificationVersion: environment-2023-09
parameterDefinitions:
- name: Frames
  type: STRING
environment:
  name: Queue
  variables:
    FRAMES: "{{Param.Frames}}"
"""


def _label(environment) -> str:
    return f"'{environment.name}'"


def _related(environment, message: str) -> Related:
    node = environment.node.get("name")
    span = (node if isinstance(node, ScalarNode) else environment.node).span
    return Related(message, span=span, file=environment.file)


def _layer_conflicts(ctx) -> Iterator[Finding]:
    outer = [environment for environment in enclosing_environments(ctx.enclosing) if environment.wraps]
    if not ctx.is_job or not outer:
        return
    first = outer[0]
    hint = "keep one wrapping environment per session: drop one of them or move its hooks into the other"
    for extra in outer[1:]:
        yield LAYERS.finding(
            f"the environment templates {_label(first)} ({first.file}) and {_label(extra)} ({extra.file}) both "
            "define wrap hooks: every session of this job would have two wrapping environments", (),
            hint=hint, related=(_related(extra, f"the second wrapping environment, {_label(extra)}"),
                                _related(first, f"the first wrapping environment, {_label(first)}")))
    reported = set()
    for index, step in steps(ctx):
        for environment in session_stack(ctx, index, step):
            if environment.level == ENCLOSING or not environment.wraps or environment.path in reported:
                continue
            reported.add(environment.path)
            yield LAYERS.finding(
                f"environment {_label(environment)} defines wrap hooks, but the enclosing environment template "
                f"{_label(first)} ({first.file}) already does: at most one environment per session may",
                environment.name_path, hint=hint,
                related=(_related(first, f"the first wrapping environment, {_label(first)}"),))


LAYERS = Rule(
    "N001", "wrap-layers-across-templates", Severity.ERROR,
    "An enclosing environment template and the job (or two enclosing templates) both define wrap hooks.",
    "RFC 0008 allows one wrapping environment per session stack, and the stack includes the environment "
    "templates that enclose the job (queue environments; `check --env`), outermost first. A scheduler rejects "
    "the session before entering any environment. W001 reports two wrapping environments inside one job "
    "template; this rule reports the pairs that involve an enclosing template, at the extra environment (or, "
    "when both are enclosing templates, at the top of the job), naming the first.",
    bad="""\
specificationVersion: jobtemplate-2023-09
extensions: [WRAP_ACTIONS, EXPR]
name: Render
jobEnvironments:
- name: Sandbox
  script:
    actions:
      onWrapEnvEnter:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
      onWrapTaskRun:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
      onWrapEnvExit:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
steps:
- name: Render
  script:
    actions:
      onRun:
        command: render
""",
    good="""\
specificationVersion: jobtemplate-2023-09
name: Render
jobEnvironments:
- name: Sandbox
  script:
    actions:
      onEnter:
        command: prepare
steps:
- name: Render
  script:
    actions:
      onRun:
        command: render
""",
    check=lambda ctx: list(_layer_conflicts(ctx)),
    example_enclosing=(_WRAPPER,),
)


def _merge_conflicts(ctx) -> Iterator[Finding]:
    if not ctx.is_job or not ctx.enclosing:
        return
    _, conflicts = parameters.merge([*ctx.enclosing, ctx])
    for conflict in conflicts:
        other = () if conflict.other is None else (_definition_related(conflict.other, "the other definition"),)
        if conflict.at.context is ctx:
            yield MERGE.finding(conflict.message, conflict.at.path + ("name",), related=other,
                                hint="give the parameters different names, or make the definitions agree")
        else:
            yield MERGE.finding(f"{conflict.message} (in {conflict.at.context.source.name})", (),
                                related=(_definition_related(conflict.at, "this definition"), *other),
                                hint="the environment templates that enclose this job disagree about a parameter")


def _definition_related(definition, message: str) -> Related:
    node = definition.context.root
    for key in definition.path + ("name",):
        node = node.get(key) if isinstance(node, MapNode) else node.items[key] if isinstance(node, SeqNode) else node
    return Related(message, span=node.span, file=definition.context.source.name)


MERGE = Rule(
    "N002", "parameter-merge-conflict", Severity.ERROR,
    "Job parameter definitions of the job and its enclosing environment templates cannot be merged.",
    "When a job is created, the parameter definitions of the environment templates that enclose it and of the "
    "job template are merged by name (the job last; schema.md §1.2.1): the types must agree, PATH `objectType` "
    "and `dataFlow` must agree when both give them, constraints only tighten (allowed values intersect, the "
    "larger minimum and the smaller maximum win) and must leave some value possible, and the last `default` "
    "must satisfy the merged definition.",
    bad="""\
specificationVersion: jobtemplate-2023-09
name: Render
parameterDefinitions:
- name: Frames
  type: INT
  default: 10
steps:
- name: Render
  script:
    actions:
      onRun:
        command: render
        args: ["{{Param.Frames}}"]
""",
    good="""\
specificationVersion: jobtemplate-2023-09
name: Render
parameterDefinitions:
- name: Frames
  type: STRING
  default: "1-10"
steps:
- name: Render
  script:
    actions:
      onRun:
        command: render
        args: ["{{Param.Frames}}"]
""",
    check=lambda ctx: list(_merge_conflicts(ctx)),
    example_enclosing=(_PARAMETERS,),
)


def _idle_hooks(ctx) -> Iterator[Finding]:
    if not ctx.is_job:
        return
    wrapped: dict = {}  # (template file, environment path, hook) -> (environment, ever wraps something)
    for index, step in steps(ctx):
        stack = session_stack(ctx, index, step)
        for position, environment in enumerate(stack):
            if not environment.wraps or environment.uses_draft:
                continue
            inner = stack[position + 1:]
            for hook, wrapped_key in ((ENTER_HOOK, "onEnter"), (EXIT_HOOK, "onExit")):
                key = (environment.file, environment.path, hook)
                runs = any(other.action(wrapped_key) is not None for other in inner)
                previous = wrapped.get(key, (environment, False))[1]
                wrapped[key] = (environment, previous or runs)
    for (_, _, hook), (environment, runs) in wrapped.items():
        action = environment.action(hook)
        subject = _subject_named(action) if action is not None and not runs else None
        if subject is None:
            continue
        wrapped_key = "onEnter" if hook == ENTER_HOOK else "onExit"
        message = (f"`{hook}` of {_label(environment)} uses `{subject}` but never runs: no environment "
                   f"inside it in any session of this job defines `{wrapped_key}`")
        hint = f"the hook replaces the `{wrapped_key}` of inner environments; with none, it has nothing to wrap"
        if environment.context is ctx:
            yield IDLE_HOOK.finding(message, environment.path + ("script", "actions", hook), on_key=True, hint=hint)
        else:
            yield IDLE_HOOK.finding(f"{message} (environment template {environment.file})", (), hint=hint,
                                    related=(_related(environment, f"the wrapping environment {_label(environment)}"),))


def _subject_named(action: MapNode):
    """The first of `WrappedEnv.Name` / `WrappedStep.Name` the hook's command or args use, as written."""
    texts = [action.get("command")]
    args = action.get("args")
    texts += args.items if isinstance(args, SeqNode) else []
    for node in texts:
        found = _SUBJECT.search(node.value) if isinstance(node, ScalarNode) and isinstance(node.value, str) else None
        if found:
            return f"Wrapped{found.group(1)}.Name"
    return None


_IDLE_HOOK_BAD = """\
specificationVersion: jobtemplate-2023-09
extensions: [WRAP_ACTIONS, EXPR]
name: Render
jobEnvironments:
- name: Container
  script:
    actions:
      onWrapEnvEnter:
        command: echo
        args: ["entering {{WrappedEnv.Name}}"]
      onWrapTaskRun:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
      onWrapEnvExit:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedAction.Args}}"]
steps:
- name: Render
  script:
    actions:
      onRun:
        command: render
"""

IDLE_HOOK = Rule(
    "N003", "wrap-hook-never-runs", Severity.INFO,
    "A wrap hook that uses `WrappedEnv.Name` has nothing to wrap in any session of the job.",
    "`onWrapEnvEnter` replaces the `onEnter` of each environment entered inside the wrapping one, and "
    "`onWrapEnvExit` each `onExit`; an inner environment without that action is not wrapped (RFC 0008, "
    "\"nothing to replace\"). When no environment inside the wrapping one defines it in any session stack of "
    "the job (including enclosing environment templates), the hook never runs, so the work it does with "
    "`WrappedEnv.Name` never happens.",
    bad=_IDLE_HOOK_BAD,
    good=_IDLE_HOOK_BAD.replace("steps:\n", "- name: Tools\n  script:\n    actions:\n      onEnter:\n"
                                            "        command: install-tools\nsteps:\n"),
    check=lambda ctx: list(_idle_hooks(ctx)),
)

def _unenforced_timeouts(ctx) -> Iterator[Finding]:
    if not ctx.is_job:
        return
    for wrapped in wrapped_actions(ctx):
        timeout = wrapped.node.get("timeout")
        wrapper = wrapped.wrapper
        hook = hook_at(wrapper.context, wrapper.path + ("script", "actions", wrapped.hook))
        if timeout is None or hook is None or not runs_wrapped(hook) or forwards_timeout(wrapper.context, hook):
            continue
        own = wrapper.action(wrapped.hook).get("timeout")
        applies = (f"the hook's own `timeout: {own.value}` applies instead" if isinstance(own, ScalarNode)
                   else "the hook has no timeout of its own, so nothing stops the action")
        value = f"timeout: {timeout.value}" if isinstance(timeout, ScalarNode) else "a timeout"
        variable = "Env.Action.Timeout" if wrapper.uses_draft else "WrappedAction.Timeout"
        where = "" if wrapper.context is ctx else f" ({wrapper.file})"
        yield UNENFORCED_TIMEOUT.finding(
            f"the `{wrapped.key}` of {wrapped.owner} declares `{value}`, but `{wrapped.hook}` of {_label(wrapper)}"
            f"{where} runs it without forwarding or enforcing `{variable}`: {applies}",
            wrapped.path + ("timeout",), on_key=True,
            hint=f'forward it in the hook: `timeout: "{{{{{variable}}}}}"` (needs FEATURE_BUNDLE_1), or pass it to '
                 "the program that runs the wrapped command",
            related=(Related(f"the hook that replaces this `{wrapped.key}`",
                             span=wrapper.actions.key_node(wrapped.hook).span, file=wrapper.file),))


_FORWARD = 'command: "{{WrappedAction.Command}}"\n        args: ["{{WrappedAction.Args}}"]'
_UNENFORCED_BAD = _IDLE_HOOK_BAD.replace('command: echo\n        args: ["entering {{WrappedEnv.Name}}"]', _FORWARD).replace(
    "      onWrapTaskRun:\n        " + _FORWARD,
    '      onWrapTaskRun:\n        command: docker\n'
    '        args: [exec, render-box, "{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]').replace(
    "        command: render\n", "        command: render\n        timeout: 600\n")
_FORWARD_TIMEOUT = '        args: [exec, render-box, "{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]\n'

UNENFORCED_TIMEOUT = Rule(
    "N004", "wrapped-timeout-not-enforced", Severity.WARNING,
    "A wrapped action declares a timeout that the wrap hook replacing it neither forwards nor enforces.",
    "A wrap hook runs instead of the action it wraps, under the hook's own `timeout`: the wrapped action's "
    "`timeout` reaches the hook only as `WrappedAction.Timeout` (the draft's `Env.Action.Timeout`). When a step's "
    "`onRun` (or an inner environment's `onEnter`/`onExit`) declares a timeout and the hook of the wrapping "
    "environment of its session (in the job template or in an enclosing environment template, `check --env`) "
    "never uses that variable, the declared timeout is lost. Forward it as the hook's `timeout` or pass it to the "
    "program that runs the wrapped command (`timeout {{ WrappedAction.Timeout or 0 }} ...`). H002 says the same "
    "about a hook on its own, as advice; this rule reports the timeouts that are really lost.",
    bad=_UNENFORCED_BAD,
    good=_UNENFORCED_BAD.replace(_FORWARD_TIMEOUT, _FORWARD_TIMEOUT + '        timeout: "{{WrappedAction.Timeout}}"\n')
    .replace("[WRAP_ACTIONS, EXPR]", "[WRAP_ACTIONS, EXPR, FEATURE_BUNDLE_1]"),
    check=lambda ctx: list(_unenforced_timeouts(ctx)),
)

RULES = [LAYERS, MERGE, IDLE_HOOK, UNENFORCED_TIMEOUT]
