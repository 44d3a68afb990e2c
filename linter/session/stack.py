"""Session stacks: the environments a runtime enters for a step, outermost first.

A stack is the enclosing environment templates (queue environments, `--env`), then the job's
`jobEnvironments`, then one step's `stepEnvironments`. Each entry remembers the template that
defines it, so findings and output can point into the right file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from openjd_lint.load.tree import MapNode, ScalarNode, SeqNode
from openjd_lint.model.symbols import WRAP_ACTIONS, WRAP_TASK_RUN

ENCLOSING, JOB_LEVEL, STEP_LEVEL = "enclosing", "job", "step"
ENTER_HOOK, TASK_HOOK, EXIT_HOOK = "onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit"
FINAL_HOOKS = (ENTER_HOOK, TASK_HOOK, EXIT_HOOK)


@dataclass(frozen=True)
class StackEnvironment:
    context: object  # the Context of the template that defines the environment
    path: tuple  # of the <Environment> node inside that template
    node: MapNode
    level: str  # ENCLOSING, JOB_LEVEL or STEP_LEVEL

    @property
    def name(self) -> str:
        name = self.node.get("name")
        return name.value if isinstance(name, ScalarNode) and isinstance(name.value, str) else "(unnamed)"

    @property
    def file(self) -> str:
        return self.context.source.name

    @property
    def name_path(self) -> tuple:
        return self.path + ("name",) if isinstance(self.node.get("name"), ScalarNode) else self.path

    @property
    def actions(self) -> Optional[MapNode]:
        script = self.node.get("script")
        actions = script.get("actions") if isinstance(script, MapNode) else None
        return actions if isinstance(actions, MapNode) else None

    def action(self, key: str) -> Optional[MapNode]:
        actions = self.actions
        node = actions.get(key) if actions is not None else None
        return node if isinstance(node, MapNode) else None

    @property
    def hooks(self) -> tuple:
        """The wrap hooks this environment defines, in FINAL_HOOKS order."""
        return tuple(hook for hook in FINAL_HOOKS if self.action(hook) is not None)

    @property
    def wraps(self) -> bool:
        return bool(self.hooks)

    @property
    def uses_draft(self) -> bool:
        """Hooks follow the WRAP_TASK_RUN draft (only `onWrapTaskRun`, `Task.*` names)."""
        extensions = self.context.extensions
        return WRAP_TASK_RUN in extensions and WRAP_ACTIONS not in extensions

    def wrapped_hook(self, wrapped_key: str) -> Optional[str]:
        """The hook of this (wrapping) environment that replaces an inner `onEnter`/`onExit`/`onRun`."""
        hook = {"onEnter": ENTER_HOOK, "onRun": TASK_HOOK, "onExit": EXIT_HOOK}[wrapped_key]
        if self.uses_draft and hook != TASK_HOOK:
            return None
        return hook if self.action(hook) is not None else None


def enclosing_environments(contexts) -> list:
    found = []
    for context in contexts:
        node = context.root.get("environment")
        if isinstance(node, MapNode):
            found.append(StackEnvironment(context, ("environment",), node, ENCLOSING))
    return found


def job_environments(context) -> list:
    return [StackEnvironment(context, ("jobEnvironments", i), node, JOB_LEVEL)
            for i, node in enumerate(_seq(context.root.get("jobEnvironments"))) if isinstance(node, MapNode)]


def steps(context) -> list:
    """(index, step node) of every step that is a mapping."""
    return [(i, node) for i, node in enumerate(_seq(context.root.get("steps"))) if isinstance(node, MapNode)]


def step_name(step: MapNode) -> str:
    name = step.get("name")
    return name.value if isinstance(name, ScalarNode) and isinstance(name.value, str) else "(unnamed)"


def step_environments(context, index: int, step: MapNode) -> list:
    return [StackEnvironment(context, ("steps", index, "stepEnvironments", i), node, STEP_LEVEL)
            for i, node in enumerate(_seq(step.get("stepEnvironments"))) if isinstance(node, MapNode)]


def session_stack(context, index: int, step: MapNode) -> list:
    """Every environment a runtime enters around the tasks of one step, outermost first."""
    return (enclosing_environments(context.enclosing) + job_environments(context)
            + step_environments(context, index, step))


@dataclass(frozen=True)
class WrappedAction:
    """An action a wrap hook replaces in some session of a job: `owner` is the step (its onRun) or the
    inner environment (its onEnter/onExit) in the job template, `path` the action inside the job
    template, `wrapper` the wrapping environment and `hook` its hook that runs instead."""

    key: str  # onRun, onEnter or onExit
    path: tuple
    node: MapNode
    owner: str  # "step 'Render'", "environment 'Tools'"
    wrapper: StackEnvironment
    hook: str
    entered: tuple  # the environments entered before the action runs (their `variables` reach it)


def wrapped_actions(context) -> list:
    """Every action of the job template `context` that a wrap hook replaces, once each, in session
    order. Actions of enclosing environment templates are not included (they live in another file)."""
    found, seen = [], set()
    for index, step in steps(context):
        stack = session_stack(context, index, step)
        position = next((p for p, environment in enumerate(stack) if environment.wraps), None)
        if position is None:
            continue
        wrapper = stack[position]
        candidates = [(environment, key, environment.path + ("script", "actions", key),
                       f"environment '{environment.name}'", stack[:p])
                      for p, environment in enumerate(stack) if p > position and environment.context is context
                      for key in ("onEnter", "onExit")]
        script = step.get("script")
        actions = script.get("actions") if isinstance(script, MapNode) else None
        candidates.append((actions, "onRun", ("steps", index, "script", "actions", "onRun"),
                           f"step '{step_name(step)}'", stack))
        for holder, key, path, owner, entered in candidates:
            node = holder.action(key) if isinstance(holder, StackEnvironment) else (
                holder.get(key) if isinstance(holder, MapNode) else None)
            hook = wrapper.wrapped_hook(key)
            if not isinstance(node, MapNode) or hook is None or path in seen:
                continue
            seen.add(path)
            found.append(WrappedAction(key, path, node, owner, wrapper, hook, tuple(entered)))
    return found


def _seq(node) -> list:
    return node.items if isinstance(node, SeqNode) else []
