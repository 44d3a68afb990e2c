"""Which symbols a format-string field or `let` item can see, and with which types.

Implements the value-reference scope matrix (schema.md §0.1), the `let` table (§3.6.2) and the
symbol types (format-strings.md §C.2). `visible_symbols` gives a field's symbol table;
`symbol_definitions` gives every symbol the template defines anywhere with a description of where
it is visible, so a rule can tell "not visible here" from "undefined".

Types are type names (`int?`, `list[path]`) as `openjd_lint.expr.types.parse_type` reads them.
Without EXPR every value is interpolated as text, so every symbol is a `string`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from openjd_lint.context import per_template
from openjd_lint.expr.let import parse_let_binding
from openjd_lint.expr.types import Type, parse_type
from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode
from openjd_lint.model.fields import (
    ARG, CANCELATION_MODE, COMMAND, JOB_NAME, NOTIFY_PERIOD, SIMPLE_ACTIONS, TASK,
    TEMPLATE, TIMEOUT, WRAP_HOOKS, Field, format_string_fields,
)

EXPR = "EXPR"
WRAP_ACTIONS = "WRAP_ACTIONS"
WRAP_TASK_RUN = "WRAP_TASK_RUN"

# Job parameter type -> (Param type, RawParam type, resolved on the worker only).
_PARAMETER_TYPES = {
    "STRING": ("string", "string", False),
    "PATH": ("path", "string", True),
    "INT": ("int", "int", False),
    "FLOAT": ("float", "float", False),
    "BOOL": ("bool", "bool", False),
    "RANGE_EXPR": ("range_expr", "range_expr", False),
    "LIST[STRING]": ("list[string]", "list[string]", False),
    "LIST[PATH]": ("list[path]", "list[string]", True),
    "LIST[INT]": ("list[int]", "list[int]", False),
    "LIST[FLOAT]": ("list[float]", "list[float]", False),
    "LIST[BOOL]": ("list[bool]", "list[bool]", False),
    "LIST[LIST[INT]]": ("list[list[int]]", "list[list[int]]", False),
}
_UNKNOWN_PARAMETER = ("any", "any", False)

# Task parameter type -> (Task.Param type, Task.RawParam type).
_TASK_PARAMETER_TYPES = {
    "INT": ("int", "int"),
    "FLOAT": ("float", "float"),
    "STRING": ("string", "string"),
    "PATH": ("path", "string"),
    "CHUNK[INT]": ("range_expr", "range_expr"),
}

SESSION_SYMBOLS = {
    "Session.WorkingDirectory": "path",
    "Session.PathMappingRulesFile": "path",
    "Session.HasPathMappingRules": "bool",
}

WRAPPED_ACTION_SYMBOLS = {
    "WrappedAction.Command": "string",
    "WrappedAction.Args": "list[string]",
    "WrappedAction.Environment": "list[string]",
    "WrappedAction.Timeout": "int?",
    "WrappedAction.Cancelation.Mode": "string?",
    "WrappedAction.Cancelation.NotifyPeriodInSeconds": "int?",
}

# The WRAP_TASK_RUN draft's names (wrap-task-run.md): command/args see all, timeout/cancelation the timeout.
DRAFT_COMMAND_SYMBOLS = {
    "Task.Command": "string",
    "Task.Args": "list[string]",
    "Task.Environment": "list[string]",
    "Env.Action.Timeout": "int?",
}
DRAFT_DEFERRED_SYMBOLS = {"Env.Action.Timeout": "int?"}

_HOOK_SUBJECT = {"onWrapEnvEnter": "WrappedEnv.Name", "onWrapEnvExit": "WrappedEnv.Name",
                 "onWrapTaskRun": "WrappedStep.Name"}

WORKER_FIELDS = ("fields resolved on the worker: environment variables, action commands and args, "
                 "embedded files and script-level `let`s (not timeouts or cancelation)")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # upper-cased type name as declared


def expr_enabled(ctx) -> bool:
    return EXPR in ctx.extensions


def uses_wrap_draft(ctx) -> bool:
    """The WRAP_TASK_RUN draft names apply only when the template declares the draft and not RFC 0008."""
    return WRAP_TASK_RUN in ctx.extensions and WRAP_ACTIONS not in ctx.extensions


@per_template
def job_parameters(ctx) -> list:
    return _parameters(ctx.root.get("parameterDefinitions"))


def task_parameters(ctx, step: int) -> list:
    space = _get(_step(ctx, step), "parameterSpace")
    return _parameters(_get(space, "taskParameterDefinitions"))


def embedded_file_names(ctx, script_path: tuple) -> list:
    script = _node(ctx.root, script_path)
    names = []
    for embedded in _seq(_get(script, "embeddedFiles")):
        name = _string(_get(embedded, "name"))
        if name is not None and name not in names:
            names.append(name)
    return names


def step_name(ctx, step: Optional[int]) -> Optional[str]:
    return _string(_get(_step(ctx, step), "name")) if step is not None else None


def environment_name(ctx, environment_path: Optional[tuple]) -> Optional[str]:
    return _string(_get(_node(ctx.root, environment_path), "name")) if environment_path else None


def visible_symbols(ctx, field: Field, let_bindings: dict) -> dict:
    """The symbol table of `field`: dotted name -> Type.

    `let_bindings` maps the path of each `let` item already analysed to its (name, Type); the
    caller fills it in document order, which visits every `let` block before the fields that see
    it. A `let` item sees the items of its own block that come before it."""
    symbols = {name: _type(text) for name, text in base_symbols(ctx, field).items()}
    if not expr_enabled(ctx):
        return symbols
    blocks = [(block, None) for block in field.lets]
    if field.let_block is not None:
        blocks.append((field.let_block, field.let_index))
    for block, before in blocks:
        for item in block.items:
            if before is not None and item.index >= before:
                break
            binding = let_bindings.get(item.path)
            if binding is not None:
                symbols[binding[0]] = binding[1]
    return symbols


@lru_cache(maxsize=None)
def _type(text: str) -> Type:
    return parse_type(text)


def base_symbols(ctx, field: Field) -> dict:
    """The symbols `field` sees apart from `let` names: name -> type name."""
    expr = expr_enabled(ctx)
    symbols: dict = {}
    on_worker = field.scope != TEMPLATE
    for parameter in job_parameters(ctx):
        param_type, raw_type, worker_only = _PARAMETER_TYPES.get(parameter.type, _UNKNOWN_PARAMETER)
        if on_worker or not worker_only:
            symbols[f"Param.{parameter.name}"] = param_type
        symbols[f"RawParam.{parameter.name}"] = raw_type
    if on_worker:
        symbols.update(SESSION_SYMBOLS)
    if field.scope == TASK and field.step is not None and field.environment is None:
        for parameter in task_parameters(ctx, field.step):
            param_type, raw_type = _TASK_PARAMETER_TYPES.get(parameter.type, ("any", "any"))
            symbols[f"Task.Param.{parameter.name}"] = param_type
            symbols[f"Task.RawParam.{parameter.name}"] = raw_type
    if on_worker and field.script is not None:
        namespace = "Env.File" if field.environment is not None else "Task.File"
        for name in embedded_file_names(ctx, field.script):
            symbols[f"{namespace}.{name}"] = "path"
    if expr:
        if field.role != JOB_NAME:
            symbols["Job.Name"] = "string"
        if field.step is not None:
            symbols["Step.Name"] = "string"
    symbols.update(wrap_symbols(ctx, field))
    if not expr:
        symbols = dict.fromkeys(symbols, "string")
    return symbols


def wrap_symbols(ctx, field: Field) -> dict:
    if field.action not in WRAP_HOOKS or field.is_let:
        return {}
    command_or_args = field.role in (COMMAND, ARG)
    if field.role not in (COMMAND, ARG, TIMEOUT, CANCELATION_MODE, NOTIFY_PERIOD):
        return {}
    if uses_wrap_draft(ctx):
        if field.action != "onWrapTaskRun":
            return {}
        return dict(DRAFT_COMMAND_SYMBOLS if command_or_args else DRAFT_DEFERRED_SYMBOLS)
    symbols = dict(WRAPPED_ACTION_SYMBOLS)
    if command_or_args:
        symbols[_HOOK_SUBJECT[field.action]] = "string"
    return symbols


@per_template
def symbol_definitions(ctx) -> dict:
    """Every symbol defined anywhere in the template -> where it is visible (a phrase that completes
    "visible ..."). `let` names are included with EXPR only."""
    places: dict = {}

    def define(name: str, where: str) -> None:
        places.setdefault(name, [])
        if where not in places[name]:
            places[name].append(where)

    for parameter in job_parameters(ctx):
        if _PARAMETER_TYPES.get(parameter.type, _UNKNOWN_PARAMETER)[2]:
            define(f"Param.{parameter.name}", f"in {WORKER_FIELDS}")
        else:
            define(f"Param.{parameter.name}", "everywhere")
        define(f"RawParam.{parameter.name}", "everywhere")
    for name in SESSION_SYMBOLS:
        define(name, f"in {WORKER_FIELDS}")
    expr = expr_enabled(ctx)
    if expr:
        define("Job.Name", "everywhere except the job `name`")
    for index, step in enumerate(_seq(ctx.root.get("steps")) if ctx.is_job else ()):
        label = _quoted(_string(_get(step, "name")))
        if expr:
            define("Step.Name", "inside a step (its `let`, host requirements, parameter space, step environments "
                                "and script), not in `jobEnvironments` or the job `name`")
        for parameter in task_parameters(ctx, index):
            for namespace in ("Task.Param", "Task.RawParam"):
                define(f"{namespace}.{parameter.name}", f"in the script of step {label} (commands, args, embedded "
                                                        "files and script `let`s; not its timeouts or ranges)")
        for key in ("script",) + SIMPLE_ACTIONS:
            if isinstance(_get(step, key), MapNode):
                for name in embedded_file_names(ctx, ("steps", index, key)):
                    define(f"Task.File.{name}", f"in the script of step {label}")
    for path, environment in _environments(ctx):
        label = _quoted(_string(_get(environment, "name")))
        for name in embedded_file_names(ctx, path + ("script",)):
            define(f"Env.File.{name}", f"in the script of environment {label} (not in its `variables`)")
        actions = _get(_get(environment, "script"), "actions")
        if any(isinstance(_get(actions, hook), MapNode) for hook in WRAP_HOOKS):
            for name, where in _wrap_definitions(ctx):
                define(name, where)
    if expr:
        for field in format_string_fields(ctx):
            if field.is_let:
                name = let_name(field.value)
                if name is not None:
                    define(name, _let_visibility(ctx, field))
    return {name: "; or ".join(wheres) for name, wheres in places.items()}


def let_name(text: str) -> Optional[str]:
    """The name a `let` item binds (None when the item has no valid name)."""
    binding, errors = parse_let_binding(text)
    equals = text.find("=")
    if binding is None or any(error.start < equals for error in errors):
        return None
    return binding.name


def _wrap_definitions(ctx) -> list:
    if uses_wrap_draft(ctx):
        return [(name, "in the command and args of `onWrapTaskRun`") for name in DRAFT_COMMAND_SYMBOLS]
    hooks = "in the `command`, `args`, `timeout` and `cancelation` of the wrap hooks"
    return ([(name, hooks) for name in WRAPPED_ACTION_SYMBOLS]
            + [("WrappedEnv.Name", "in the command and args of `onWrapEnvEnter` and `onWrapEnvExit`"),
               ("WrappedStep.Name", "in the command and args of `onWrapTaskRun`")])


def _let_visibility(ctx, field: Field) -> str:
    level = field.let_block.level
    if level == "step":
        return f"inside step {_quoted(step_name(ctx, field.step))}"
    if field.environment is not None:
        return (f"in the actions and embedded files of environment {_quoted(environment_name(ctx, field.environment))}"
                " (not its `variables`, timeouts or cancelation)")
    return (f"in the script of step {_quoted(step_name(ctx, field.step))} (actions and embedded files; "
            "not timeouts or cancelation)")


def _environments(ctx):
    if not ctx.is_job:
        environment = ctx.root.get("environment")
        if isinstance(environment, MapNode):
            yield ("environment",), environment
        return
    for index, environment in enumerate(_seq(ctx.root.get("jobEnvironments"))):
        if isinstance(environment, MapNode):
            yield ("jobEnvironments", index), environment
    for index, step in enumerate(_seq(ctx.root.get("steps"))):
        for env_index, environment in enumerate(_seq(_get(step, "stepEnvironments"))):
            if isinstance(environment, MapNode):
                yield ("steps", index, "stepEnvironments", env_index), environment


def _parameters(definitions: Optional[Node]) -> list:
    parameters, seen = [], set()
    for definition in _seq(definitions):
        name = _string(_get(definition, "name"))
        kind = _string(_get(definition, "type"))
        if name is not None and name not in seen:
            seen.add(name)
            parameters.append(Parameter(name, kind.upper() if kind else ""))
    return parameters


def _step(ctx, step: Optional[int]) -> Optional[Node]:
    steps = list(_seq(ctx.root.get("steps")))
    return steps[step] if step is not None and 0 <= step < len(steps) else None


def _node(root: Node, path: Optional[tuple]) -> Optional[Node]:
    node = root
    for element in path or ():
        if isinstance(node, MapNode):
            node = node.get(element)
        elif isinstance(node, SeqNode) and isinstance(element, int) and 0 <= element < len(node.items):
            node = node.items[element]
        else:
            return None
    return node


def _get(node: Optional[Node], key: str) -> Optional[Node]:
    return node.get(key) if isinstance(node, MapNode) else None


def _seq(node: Optional[Node]) -> list:
    return node.items if isinstance(node, SeqNode) else []


def _string(node: Optional[Node]) -> Optional[str]:
    return node.value if isinstance(node, ScalarNode) and isinstance(node.value, str) else None


def _quoted(name: Optional[str]) -> str:
    return f"'{name}'" if name else "(unnamed)"
