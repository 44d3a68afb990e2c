"""The catalogue of format-string fields and `let` items of a template.

Each entry says where the string is, when it is resolved (its scope), whether it is resolved on the
worker (a host field), which type a whole-field expression must produce, and which step,
environment, script, action and `let` blocks enclose it. Symbol visibility
(`openjd_lint.model.symbols`) is derived from these facts alone.

Non-string values (an integer `timeout`, a list where a string belongs) are not format strings;
the schema layer reports them when they are wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from openjd_lint.context import per_template
from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode

TEMPLATE = "TEMPLATE"
SESSION = "SESSION"
TASK = "TASK"

# Field roles.
JOB_NAME = "job-name"
AMOUNT_NAME = "amount-name"
AMOUNT_MIN = "amount-min"
AMOUNT_MAX = "amount-max"
ATTRIBUTE_NAME = "attribute-name"
ATTRIBUTE_VALUE = "attribute-value"
RANGE = "range"
RANGE_ITEM = "range-item"
CHUNK_COUNT = "chunks-default-task-count"
CHUNK_RUNTIME = "chunks-target-runtime"
COMMAND = "command"
ARG = "arg"
TIMEOUT = "timeout"
NOTIFY_PERIOD = "notify-period"
CANCELATION_MODE = "cancelation-mode"
DATA = "data"
VARIABLE = "variable"
SCRIPT = "script"
LET = "let"

# `let` block levels.
STEP_LET = "step"
SCRIPT_LET = "script"
ENVIRONMENT_LET = "environment"

ENVIRONMENT_ACTIONS = ("onEnter", "onExit", "onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit")
WRAP_HOOKS = frozenset({"onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit"})
SIMPLE_ACTIONS = ("bash", "cmd", "node", "powershell", "python")

_RANGE_ITEM_TARGETS = {"INT": "int", "CHUNK[INT]": "int", "FLOAT": "float", "STRING": "string", "PATH": "path"}
# An INT range string is text in the base language, so a whole-field int or string stays acceptable.
_RANGE_TARGETS = {"INT": "range_expr | list[int] | int | string", "CHUNK[INT]": "range_expr | list[int] | int | string",
                  "FLOAT": "list[float]", "STRING": "list[string]", "PATH": "list[path]"}


@dataclass(frozen=True)
class LetItem:
    path: tuple
    node: ScalarNode
    index: int


@dataclass(frozen=True)
class LetBlock:
    """One `let:` list. `level` is STEP_LET, SCRIPT_LET (StepScript or SimpleAction) or ENVIRONMENT_LET."""

    path: tuple
    level: str
    items: tuple  # tuple[LetItem, ...]; only the string items


@dataclass(frozen=True)
class Field:
    """A format string (or, with role LET, one `let` item whose text is a bare binding).

    `target` is the type a whole-field expression must fit (None for `let` items and for fields
    whose result is always text). `step` is the step index, `environment` the path of the
    enclosing `<Environment>` (None in the job name and outside environments), `script` the path
    of the enclosing StepScript / SimpleAction / EnvironmentScript, `action` the action key
    (`onRun`, `onEnter`, ..., or the SimpleAction key). `lets` are the blocks whose names are
    visible, outermost first; a `let` item also sees the items of its own `let_block` before
    `let_index`."""

    path: tuple
    node: ScalarNode
    role: str
    scope: str
    host: bool
    target: Optional[str] = None
    step: Optional[int] = None
    environment: Optional[tuple] = None
    script: Optional[tuple] = None
    action: Optional[str] = None
    lets: tuple = ()
    let_block: Optional[LetBlock] = None
    let_index: Optional[int] = None
    task_parameter_type: Optional[str] = None

    @property
    def value(self) -> str:
        return self.node.value

    @property
    def is_let(self) -> bool:
        return self.role == LET

    @property
    def in_wrap_hook(self) -> bool:
        return self.action in WRAP_HOOKS


@per_template
def format_string_fields(ctx) -> list:
    """Every format-string field and `let` item of the template, in document order."""
    return list(_job_fields(ctx.root) if ctx.is_job else _environment_template_fields(ctx.root))


def let_blocks(ctx) -> list:
    """Every `let` block of the template, in document order."""
    seen, blocks = set(), []
    for field in format_string_fields(ctx):
        if field.let_block is not None and field.let_block.path not in seen:
            seen.add(field.let_block.path)
            blocks.append(field.let_block)
    return blocks


def _job_fields(root: MapNode) -> Iterator[Field]:
    name = _string(root.get("name"))
    if name is not None:
        yield Field(("name",), name, JOB_NAME, TEMPLATE, False, "string")
    for index, environment in _items(root.get("jobEnvironments")):
        yield from _environment_fields(environment, ("jobEnvironments", index), None, ())
    for index, step in _items(root.get("steps")):
        if isinstance(step, MapNode):
            yield from _step_fields(step, ("steps", index), index)


def _environment_template_fields(root: MapNode) -> Iterator[Field]:
    environment = root.get("environment")
    if isinstance(environment, MapNode):
        yield from _environment_fields(environment, ("environment",), None, ())


def _step_fields(step: MapNode, path: tuple, index: int) -> Iterator[Field]:
    step_let = _let_block(step, path, STEP_LET)
    lets = (step_let,) if step_let else ()
    if step_let:
        yield from _let_fields(step_let, (), TEMPLATE, step=index)
    template_field = dict(scope=TEMPLATE, host=False, step=index, lets=lets)

    requirements = step.get("hostRequirements")
    if isinstance(requirements, MapNode):
        base = path + ("hostRequirements",)
        for i, amount in _items(requirements.get("amounts")):
            where = base + ("amounts", i)
            yield from _string_field(amount, "name", where, AMOUNT_NAME, "string", **template_field)
            yield from _string_field(amount, "min", where, AMOUNT_MIN, "float?", **template_field)
            yield from _string_field(amount, "max", where, AMOUNT_MAX, "float?", **template_field)
        for i, attribute in _items(requirements.get("attributes")):
            where = base + ("attributes", i)
            yield from _string_field(attribute, "name", where, ATTRIBUTE_NAME, "string", **template_field)
            for key in ("anyOf", "allOf"):
                for j, value in _items(_get(attribute, key)):
                    if _string(value) is not None:
                        yield Field(where + (key, j), value, ATTRIBUTE_VALUE, target="string? | list[string]",
                                    **template_field)

    space = step.get("parameterSpace")
    definitions = space.get("taskParameterDefinitions") if isinstance(space, MapNode) else None
    for i, definition in _items(definitions):
        where = path + ("parameterSpace", "taskParameterDefinitions", i)
        kind = _task_parameter_type(definition)
        yield from _range_fields(definition, where, kind, template_field)
        chunks = _get(definition, "chunks")
        yield from _string_field(chunks, "defaultTaskCount", where + ("chunks",), CHUNK_COUNT, "int",
                                 task_parameter_type=kind, **template_field)
        yield from _string_field(chunks, "targetRuntimeSeconds", where + ("chunks",), CHUNK_RUNTIME, "int?",
                                 task_parameter_type=kind, **template_field)

    for i, environment in _items(step.get("stepEnvironments")):
        yield from _environment_fields(environment, path + ("stepEnvironments", i), index, lets)

    script = step.get("script")
    if isinstance(script, MapNode):
        script_path = path + ("script",)
        script_let = _let_block(script, script_path, SCRIPT_LET)
        inner = lets + ((script_let,) if script_let else ())
        if script_let:
            yield from _let_fields(script_let, lets, TASK, step=index, script=script_path)
        actions = script.get("actions")
        action = _get(actions, "onRun")
        if isinstance(action, MapNode):
            yield from _action_fields(action, script_path + ("actions", "onRun"), TASK, step=index,
                                      script=script_path, action="onRun", outer_lets=lets, inner_lets=inner)
        yield from _embedded_data(script, script_path, TASK, step=index, script=script_path, lets=inner)
    for key in SIMPLE_ACTIONS:
        simple = step.get(key)
        if isinstance(simple, MapNode):
            simple_path = path + (key,)
            simple_let = _let_block(simple, simple_path, SCRIPT_LET)
            inner = lets + ((simple_let,) if simple_let else ())
            if simple_let:
                yield from _let_fields(simple_let, lets, TASK, step=index, script=simple_path, action=key)
            host = dict(scope=TASK, host=True, step=index, script=simple_path, action=key, lets=inner)
            yield from _string_field(simple, "script", simple_path, SCRIPT, "string", **host)
            yield from _args_fields(simple, simple_path, host)
            yield from _deferred_fields(simple, simple_path, step=index, script=simple_path, action=key, lets=lets)


def _range_fields(definition: Node, where: tuple, kind: Optional[str], template_field: dict) -> Iterator[Field]:
    value = _get(definition, "range")
    if _string(value) is not None:
        yield Field(where + ("range",), value, RANGE, target=_RANGE_TARGETS.get(kind),
                    task_parameter_type=kind, **template_field)
    for j, item in _items(value):
        if _string(item) is not None:
            yield Field(where + ("range", j), item, RANGE_ITEM, target=_RANGE_ITEM_TARGETS.get(kind),
                        task_parameter_type=kind, **template_field)


def _environment_fields(environment: Node, path: tuple, step: Optional[int], lets: tuple) -> Iterator[Field]:
    if not isinstance(environment, MapNode):
        return
    variables = environment.get("variables")
    if isinstance(variables, MapNode):
        for key, value in variables.items():
            if _string(value) is not None:
                yield Field(path + ("variables", key), value, VARIABLE, SESSION, True, "string",
                            step=step, environment=path, lets=lets)
    script = environment.get("script")
    if not isinstance(script, MapNode):
        return
    script_path = path + ("script",)
    script_let = _let_block(script, script_path, ENVIRONMENT_LET)
    inner = lets + ((script_let,) if script_let else ())
    if script_let:
        yield from _let_fields(script_let, lets, SESSION, step=step, environment=path, script=script_path)
    actions = script.get("actions")
    for key in ENVIRONMENT_ACTIONS:
        action = _get(actions, key)
        if isinstance(action, MapNode):
            yield from _action_fields(action, script_path + ("actions", key), SESSION, step=step, environment=path,
                                      script=script_path, action=key, outer_lets=lets, inner_lets=inner)
    yield from _embedded_data(script, script_path, SESSION, step=step, environment=path, script=script_path,
                              lets=inner)


def _action_fields(node: MapNode, path: tuple, scope: str, *, outer_lets: tuple, inner_lets: tuple,
                   **where) -> Iterator[Field]:
    host = dict(scope=scope, host=True, lets=inner_lets, **where)
    yield from _string_field(node, "command", path, COMMAND, "string", **host)
    yield from _args_fields(node, path, host)
    yield from _deferred_fields(node, path, lets=outer_lets, **where)


def _args_fields(node: MapNode, path: tuple, host: dict) -> Iterator[Field]:
    for i, arg in _items(node.get("args")):
        if _string(arg) is not None:
            yield Field(path + ("args", i), arg, ARG, target="string? | list[string]", **host)


def _deferred_fields(node: MapNode, path: tuple, **where) -> Iterator[Field]:
    """`timeout` and `cancelation`: validated at TEMPLATE scope wherever the action is."""
    template = dict(scope=TEMPLATE, host=False, **where)
    yield from _string_field(node, "timeout", path, TIMEOUT, "int?", **template)
    cancelation = node.get("cancelation")
    yield from _string_field(cancelation, "mode", path + ("cancelation",), CANCELATION_MODE, "string?", **template)
    yield from _string_field(cancelation, "notifyPeriodInSeconds", path + ("cancelation",), NOTIFY_PERIOD, "int?",
                             **template)


def _embedded_data(owner: MapNode, owner_path: tuple, scope: str, **where) -> Iterator[Field]:
    for i, embedded in _items(owner.get("embeddedFiles")):
        yield from _string_field(embedded, "data", owner_path + ("embeddedFiles", i), DATA, "string",
                                 scope=scope, host=True, **where)


def _let_block(owner: MapNode, owner_path: tuple, level: str) -> Optional[LetBlock]:
    node = owner.get("let")
    if not isinstance(node, SeqNode):
        return None
    path = owner_path + ("let",)
    items = tuple(LetItem(path + (i,), item, i) for i, item in enumerate(node.items) if _string(item) is not None)
    return LetBlock(path, level, items)


def _let_fields(block: LetBlock, outer_lets: tuple, scope: str, **where) -> Iterator[Field]:
    for item in block.items:
        yield Field(item.path, item.node, LET, scope, scope != TEMPLATE, lets=outer_lets, let_block=block,
                    let_index=item.index, **where)


def _string_field(owner: Optional[Node], key: str, owner_path: tuple, role: str, target: Optional[str],
                  **attributes) -> Iterator[Field]:
    value = _string(_get(owner, key))
    if value is not None:
        yield Field(owner_path + (key,), value, role, target=target, **attributes)


def _task_parameter_type(definition: Node) -> Optional[str]:
    kind = _string(_get(definition, "type"))
    return kind.value.upper() if kind is not None else None


def _get(node: Optional[Node], key: str) -> Optional[Node]:
    return node.get(key) if isinstance(node, MapNode) else None


def _items(node: Optional[Node]) -> Iterator[tuple]:
    if isinstance(node, SeqNode):
        yield from enumerate(node.items)


def _string(node: Optional[Node]) -> Optional[ScalarNode]:
    return node if isinstance(node, ScalarNode) and isinstance(node.value, str) else None
