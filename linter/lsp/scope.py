"""Where the cursor is inside an expression (a `{{ }}` interpolation or a `let` right-hand side),
which symbols are visible there, and where each of them comes from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from openjd_lint.load.source import Source
from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode
from openjd_lint.model.fields import Field, format_string_fields
from openjd_lint.model.symbols import let_name, visible_symbols
from openjd_lint.rules.expressions import let_types

_NAME_CHAR = re.compile(r"[A-Za-z0-9_.]")

RUNTIME_SYMBOLS = {
    "Session.WorkingDirectory": "the session's working directory, created by the worker",
    "Session.PathMappingRulesFile": "a JSON file holding the session's path mapping rules",
    "Session.HasPathMappingRules": "whether the session has any path mapping rules",
    "WrappedAction.Command": "the command of the action being wrapped",
    "WrappedAction.Args": "the arguments of the action being wrapped",
    "WrappedAction.Environment": "the environment variables the wrapped action would receive (`NAME=value`)",
    "WrappedAction.Timeout": "the wrapped action's timeout in seconds, or None",
    "WrappedAction.Cancelation.Mode": "the wrapped action's cancelation mode, or None",
    "WrappedAction.Cancelation.NotifyPeriodInSeconds": "the wrapped action's notify period, or None",
    "WrappedEnv.Name": "the name of the environment being wrapped",
    "WrappedStep.Name": "the name of the step whose task run is being wrapped",
    "Task.Command": "the command of the task run being wrapped (WRAP_TASK_RUN draft)",
    "Task.Args": "the arguments of the task run being wrapped (WRAP_TASK_RUN draft)",
    "Task.Environment": "the environment variables of the wrapped task run (WRAP_TASK_RUN draft)",
    "Env.Action.Timeout": "the wrapped action's timeout (WRAP_TASK_RUN draft)",
}


@dataclass(frozen=True)
class ExpressionCursor:
    """The cursor inside the expression part of `field`. [token_start, token_end) are the source
    offsets of the dotted name around the cursor (empty when the cursor is between tokens)."""

    field: Field
    offset: int
    token_start: int
    token_end: int
    token: str

    @property
    def prefix(self) -> str:
        return self.token[: self.offset - self.token_start]


def field_at(ctx, offset: int) -> Optional[Field]:
    """The innermost format-string field or `let` item whose scalar contains `offset`."""
    best = None
    for field in format_string_fields(ctx):
        node = field.node
        if node.start_index <= offset <= node.end_index:
            if best is None or node.end_index - node.start_index < best.node.end_index - best.node.start_index:
                best = field
    return best


def cursor_at(ctx, source: Source, offset: int) -> Optional[ExpressionCursor]:
    field = field_at(ctx, offset)
    if field is None:
        return None
    start = _expression_start(field, source.text, offset)
    if start is None:
        return None
    text = source.text
    token_start = offset
    while token_start > start and _NAME_CHAR.match(text[token_start - 1]):
        token_start -= 1
    token_end = offset
    while token_end < field.node.end_index and _NAME_CHAR.match(text[token_end]):
        token_end += 1
    token = text[token_start:token_end]
    if token[:1].isdigit():
        return None
    return ExpressionCursor(field, offset, token_start, token_end, token)


def _expression_start(field: Field, text: str, offset: int) -> Optional[int]:
    """Where the expression containing `offset` begins, or None when `offset` is in literal text.
    Scanning is textual (as the format-string scanner itself is): an interpolation opens at the
    last `{{` before the cursor that no `}}` has closed yet."""
    before = text[field.node.start_index:offset]
    if field.is_let:
        equals = before.find("=")
        return None if equals == -1 else field.node.start_index + equals + 1
    opening = before.rfind("{{")
    if opening == -1 or "}}" in before[opening + 2:]:
        return None
    return field.node.start_index + opening + 2


def symbols_for(ctx, field: Field) -> dict:
    """Dotted name -> Type of every symbol `field` sees, `let` names typed by their right-hand side."""
    return visible_symbols(ctx, field, let_types(ctx))


def symbol_in(token: str, symbols: dict) -> Optional[str]:
    """The symbol a dotted token refers to: the longest visible name that is the token or a prefix
    of it followed by a property (`Param.Scene.stem` refers to `Param.Scene`)."""
    best = None
    for name in symbols:
        if (token == name or token.startswith(name + ".")) and (best is None or len(name) > len(best)):
            best = name
    return best


def definition_of(ctx, field: Field, name: str) -> Optional[tuple]:
    """(description, node) of the template entry that defines `name` as seen from `field`, or None
    for symbols the runtime provides."""
    root = ctx.root
    parts = name.split(".")
    if parts[0] in ("Param", "RawParam") and len(parts) == 2:
        node = _named(_get(root, "parameterDefinitions"), parts[1])
        return ("the job parameter" if ctx.is_job else "the environment template parameter", node) if node else None
    if parts[:2] in (["Task", "Param"], ["Task", "RawParam"]) and len(parts) == 3 and field.step is not None:
        step = _item(_get(root, "steps"), field.step)
        definitions = _get(_get(step, "parameterSpace"), "taskParameterDefinitions")
        node = _named(definitions, parts[2])
        return ("the task parameter", node) if node else None
    if parts[:2] in (["Task", "File"], ["Env", "File"]) and len(parts) == 3 and field.script is not None:
        node = _named(_get(_at(root, field.script), "embeddedFiles"), parts[2])
        return ("the embedded file", node) if node else None
    if name == "Job.Name":
        return ("the job's `name`", _get(root, "name"))
    if name == "Step.Name" and field.step is not None:
        return ("the step's `name`", _get(_item(_get(root, "steps"), field.step), "name"))
    if len(parts) == 1:
        blocks = list(field.lets) + ([field.let_block] if field.let_block is not None else [])
        for block in blocks:
            for item in block.items:
                if let_name(item.node.value) == name:
                    return ("the `let` binding", item.node)
    return None


def _named(definitions: Optional[Node], name: str) -> Optional[Node]:
    for item in definitions.items if isinstance(definitions, SeqNode) else ():
        node = _get(item, "name")
        if isinstance(node, ScalarNode) and node.value == name:
            return node
    return None


def _at(root: Node, path: tuple) -> Optional[Node]:
    node: Optional[Node] = root
    for element in path:
        node = _item(node, element) if isinstance(element, int) else _get(node, element)
    return node


def _get(node: Optional[Node], key: str) -> Optional[Node]:
    return node.get(key) if isinstance(node, MapNode) else None


def _item(node: Optional[Node], index: int) -> Optional[Node]:
    return node.items[index] if isinstance(node, SeqNode) and 0 <= index < len(node.items) else None
