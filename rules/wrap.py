"""The W family: validity and migration of the environment wrap extension, both revisions.

The schema layer already gates the hook keys, the all-or-nothing set of WRAP_ACTIONS, the EXPR
prerequisite and the two revisions declared together; the X rules report wrap variables outside
their hooks. This module adds what neither can see (several wrapping environments in one job's
session stacks) and the migration from the WRAP_TASK_RUN draft to WRAP_ACTIONS (the spellings are in
`openjd_lint.model.wrap_names`).
"""

from __future__ import annotations

from typing import Iterator, Optional

from openjd_lint.expr import ast
from openjd_lint.findings import Edit, Finding, Fix, Related, Severity
from openjd_lint.load.tree import MapNode, Position, ScalarNode, SeqNode
from openjd_lint.model.fields import WRAP_HOOKS
from openjd_lint.model.symbols import WRAP_ACTIONS, WRAP_TASK_RUN
from openjd_lint.model.wrap_names import DRAFT_VALUES, RENAMED_NAMES
from openjd_lint.rule_api import Rule
from openjd_lint.shell.hooks import element_of, hook_fields
from openjd_lint.shell.source_edits import replace_in_scalar

_ENV = """\
  - name: {name}
    script:
      actions:
        onEnter:
          command: echo
          args: [enter]
{hooks}"""
_HOOKS = """\
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
_JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [WRAP_ACTIONS, EXPR]
name: Wrapped
jobEnvironments:
{first}steps:
- name: Render
  stepEnvironments:
{second}  script:
    actions:
      onRun:
        command: render
"""
_DRAFT = """\
specificationVersion: environment-2023-09
extensions: [WRAP_TASK_RUN, EXPR]
environment:
  name: Container
  script:
    actions:
      onWrapTaskRun:
        command: "{{Task.Command}}"
        args: ["{{Task.Args}}"]
"""


def _multiple_wrapping(ctx) -> Iterator[Finding]:
    if not ctx.is_job:
        return
    job = list(_wrapping_environments(ctx.root.get("jobEnvironments"), ("jobEnvironments",)))
    for extra in job[1:]:
        yield _conflict(extra, job[0], "jobEnvironments")
    for index, step in enumerate(_seq(ctx.root.get("steps"))):
        path = ("steps", index, "stepEnvironments")
        own = list(_wrapping_environments(step.get("stepEnvironments") if isinstance(step, MapNode) else None, path))
        stack = job[:1] + own
        for extra in stack[1:]:
            yield _conflict(extra, stack[0], f"the session stack of step {_label(step)}")


def _wrapping_environments(node, path: tuple):
    for i, environment in enumerate(_seq(node)):
        actions = _get(_get(environment, "script"), "actions")
        if isinstance(actions, MapNode) and any(isinstance(actions.get(h), MapNode) for h in WRAP_HOOKS):
            yield path + (i,), environment


def _conflict(extra: tuple, first: tuple, where: str) -> Finding:
    path, environment = extra
    first_path, first_environment = first
    return MULTIPLE_WRAPPING.finding(
        f"environment {_label(environment)} defines wrap hooks, but {_label(first_environment)} already does in "
        f"{where}: at most one environment per session may", _name_path(path, environment),
        hint="merge the two wrapping environments, or move one to a step that does not use the other",
        related=(Related(f"the first wrapping environment, {_label(first_environment)}",
                         _name_path(first_path, first_environment)),))


def _name_path(path: tuple, environment) -> tuple:
    return path + ("name",) if isinstance(_get(environment, "name"), ScalarNode) else path


def _label(node) -> str:
    name = _get(node, "name")
    return f"'{name.value}'" if isinstance(name, ScalarNode) else "(unnamed)"


MULTIPLE_WRAPPING = Rule(
    "W001", "multiple-wrapping-environments", Severity.ERROR,
    "More than one environment in one session stack defines wrap hooks.",
    "RFC 0008 allows at most one wrapping environment per session: the job's `jobEnvironments` plus one step's "
    "`stepEnvironments` form a session stack, and a scheduler rejects the job before entering any environment "
    "when two of them define `onWrapEnvEnter`/`onWrapTaskRun`/`onWrapEnvExit` (or the draft's `onWrapTaskRun`). "
    "Two different steps may each have their own. The finding is reported at each extra environment and names "
    "the first.",
    bad=_JOB.format(first=_ENV.format(name="Outer", hooks=_HOOKS), second=_ENV.format(name="Inner", hooks=_HOOKS)),
    good=_JOB.format(first=_ENV.format(name="Outer", hooks=_HOOKS), second=_ENV.format(name="Inner", hooks="")),
    check=lambda ctx: list(_multiple_wrapping(ctx)),
)


def _draft_extension(ctx) -> Iterator[Finding]:
    if WRAP_TASK_RUN not in ctx.extensions or WRAP_ACTIONS in ctx.extensions:
        return
    extensions = ctx.root.get("extensions")
    item = next((i for i, node in enumerate(_seq(extensions)) if getattr(node, "value", None) == WRAP_TASK_RUN), None)
    yield DRAFT_REVISION.finding(
        "WRAP_TASK_RUN is the draft revision of the wrap extension; schedulers that implement RFC 0008 accept only "
        "WRAP_ACTIONS", ("extensions", item) if item is not None else ("extensions",),
        hint="migrate: rename the extension to WRAP_ACTIONS, `Task.Command`/`Task.Args`/`Task.Environment`/"
             "`Env.Action.Timeout` to `WrappedAction.*`, and add `onWrapEnvEnter`/`onWrapEnvExit` hooks that run "
             "the wrapped action unchanged",
        fix=_migration(ctx, item))


def _migration(ctx, item: Optional[int]) -> Optional[Fix]:
    if item is None:
        return None
    edits = [replace_in_scalar(ctx.source, _seq(ctx.root.get("extensions"))[item], 0, len(WRAP_TASK_RUN),
                               WRAP_ACTIONS)]
    for actions_path, actions in _draft_hook_owners(ctx):
        for field in hook_fields(ctx, actions_path + ("onWrapTaskRun",)):
            edits.extend(_renames(ctx, field))
        edits.append(_pass_through_hooks(ctx, actions))
    if any(edit is None for edit in edits):
        return None
    return Fix("migrate to WRAP_ACTIONS", tuple(edits))


def _draft_hook_owners(ctx):
    roots = [(("environment",), ctx.root.get("environment"))] if not ctx.is_job else [
        *((("jobEnvironments", i), env) for i, env in enumerate(_seq(ctx.root.get("jobEnvironments")))),
        *((("steps", s, "stepEnvironments", i), env) for s, step in enumerate(_seq(ctx.root.get("steps")))
          for i, env in enumerate(_seq(_get(step, "stepEnvironments"))))]
    for path, environment in roots:
        actions = _get(_get(environment, "script"), "actions")
        if isinstance(actions, MapNode) and isinstance(actions.get("onWrapTaskRun"), MapNode) and not any(
                h in actions for h in ("onWrapEnvEnter", "onWrapEnvExit")):
            yield path + ("script", "actions"), actions


def _renames(ctx, field) -> list:
    edits = []
    for hole in element_of(ctx, field).holes:
        for node in _names(hole.interpolation.expr):
            draft = next((d for d in DRAFT_VALUES if node.dotted == d or node.dotted.startswith(d + ".")), None)
            if draft is None or not field.value.startswith(draft, node.start):
                continue
            edits.append(replace_in_scalar(ctx.source, field.node, node.start, node.start + len(draft),
                                           RENAMED_NAMES[draft]))
    return edits


def _names(expr):
    if isinstance(expr, ast.Name):
        yield expr
        return
    for value in vars(expr).values():
        if isinstance(value, ast.Expr):
            yield from _names(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, ast.Expr):
                    yield from _names(item)


def _pass_through_hooks(ctx, actions: MapNode) -> Optional[Edit]:
    key = actions.key_node("onWrapTaskRun")
    source = ctx.source
    line_start = source.index(Position(key.start.line, 1))
    before = source.text[line_start:key.start_index]
    if before.strip() == "" and source.text[actions.start_index:actions.start_index + 1] != "{":
        forward = '{command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}'
        hooks = "".join(f"{before}{name}: {forward}\n" for name in ("onWrapEnvEnter", "onWrapEnvExit"))
        return Edit(line_start, line_start, hooks)
    # Inside flow mappings (and JSON files) the keys are quoted, which both YAML and JSON accept.
    forward = '{"command": "{{WrappedAction.Command}}", "args": ["{{WrappedAction.Args}}"]}'
    hooks = "".join(f'"{name}": {forward}, ' for name in ("onWrapEnvEnter", "onWrapEnvExit"))
    return Edit(key.start_index, key.start_index, hooks)


DRAFT_REVISION = Rule(
    "W002", "wrap-task-run-draft", Severity.INFO,
    "The template uses WRAP_TASK_RUN, the draft revision of the wrap extension.",
    "WRAP_TASK_RUN (RFC tracking issue #132) wraps only task runs and names the wrapped values `Task.Command`, "
    "`Task.Args`, `Task.Environment` and `Env.Action.Timeout`. RFC 0008 as merged (WRAP_ACTIONS, what openjd-model "
    "0.14 and openjd-rs accept) also wraps inner environments' onEnter/onExit and calls the values "
    "`WrappedAction.*`. The safe fix migrates the template: it renames the extension and the variables and adds "
    "`onWrapEnvEnter`/`onWrapEnvExit` hooks that run the wrapped action unchanged, so behaviour stays the same.",
    bad=_DRAFT,
    good=_DRAFT.replace("WRAP_TASK_RUN", "WRAP_ACTIONS").replace("Task.", "WrappedAction.").replace(
        "      onWrapTaskRun:\n",
        '      onWrapEnvEnter: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}\n'
        '      onWrapEnvExit: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}\n'
        "      onWrapTaskRun:\n"),
    check=lambda ctx: list(_draft_extension(ctx)),
)

RULES = [MULTIPLE_WRAPPING, DRAFT_REVISION]


def _get(node, key):
    return node.get(key) if isinstance(node, MapNode) else None


def _seq(node) -> list:
    return node.items if isinstance(node, SeqNode) else []
