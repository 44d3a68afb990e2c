"""The actions of a template, as argv with parsed format strings and typed interpolations.

`actions(ctx)` lists every action with an argv and `wrap_hooks(ctx)` the wrap hooks among them (both
revisions); each `Action` knows its argv elements, which interpreter parses which element
(`openjd_lint.shell.interpreters`), and the embedded file it runs. Interpolations are classified for
the quoting and hazard rules: what the expression yields (type, from the EXPR checker), whether it
carries text a wrapped action controls, and which `repr_*` function (if any) quotes it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from openjd_lint.context import per_template
from openjd_lint.expr import ast
from openjd_lint.expr import types as T
from openjd_lint.expr.check import check_expression
from openjd_lint.expr.format_string import parse_format_string
from openjd_lint.findings import Related
from openjd_lint.load.tree import MapNode, ScalarNode, SeqNode
from openjd_lint.model.fields import ARG, COMMAND, DATA, SIMPLE_ACTIONS, WRAP_HOOKS, Field, format_string_fields
from openjd_lint.model.symbols import expr_enabled, visible_symbols
from openjd_lint.shell.interpreters import Invocation, invocation, script_interpreter

QUOTING_FUNCTIONS = frozenset({"repr_sh", "repr_cmd", "repr_pwsh", "repr_py", "repr_json"})

# Values whose text a wrapped action controls (spaces, quotes, `$`, `;` ...).
WRAPPED_TEXT = frozenset({"WrappedAction.Command", "WrappedAction.Args", "WrappedAction.Environment",
                          "WrappedEnv.Name", "WrappedStep.Name", "Task.Command", "Task.Args", "Task.Environment"})
WRAPPED_COMMAND = frozenset({"WrappedAction.Command", "WrappedAction.Args", "Task.Command", "Task.Args"})
WRAPPED_TIMEOUT = frozenset({"WrappedAction.Timeout", "Env.Action.Timeout"})
_SHELL_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


@dataclass(frozen=True)
class Hole:
    """One interpolation of an element. `quoting` is the `repr_*` function the value passes through
    last on every branch (None when some branch is unquoted); `controlled` names the
    wrapped-action values that reach the text unquoted."""

    interpolation: ast.Interpolation
    type: Optional[T.Type]
    names: tuple
    quoting: Optional[str]
    quoting_call: Optional[ast.Call]
    controlled: tuple
    null_hazards: tuple
    quoted_twice: bool = False  # `repr_sh(repr_sh(x))`: the quoting function applied to its own result
    null_as_text: tuple = ()  # `string(...)` calls whose argument may be null (they render `null`)

    @property
    def is_list(self) -> bool:
        return self.type is not None and all(isinstance(m, T.ListOf) for m in T.members(T.resolved(self.type))
                                             if m != T.NULL)

    @property
    def nullable(self) -> bool:
        return self.type is not None and T.is_nullable(T.resolved(self.type))


@dataclass(frozen=True)
class Element:
    """One argv element (index 0 is the command) or one embedded file's `data`."""

    index: int
    field: Field
    parsed: ast.FormatString
    holes: tuple

    @property
    def whole(self) -> Optional[Hole]:
        whole = self.parsed.whole_field
        return next((h for h in self.holes if h.interpolation is whole), None) if whole else None

    @property
    def literal_text(self) -> str:
        """The element with every interpolation blanked out (same length)."""
        text = self.field.value
        for hole in self.holes:
            i = hole.interpolation
            text = text[:i.start] + " " * (i.end - i.start) + text[i.end:]
        return text


@dataclass(frozen=True)
class ScriptFile:
    """An embedded file an action runs: its `data` element and the interpreter that reads it.
    `forwards_wrapped` is true when the action passes the wrapped command on to it as arguments."""

    path: tuple
    name: str
    data: Optional[Element]
    interpreter: Optional[str]
    forwards_wrapped: bool


@dataclass(frozen=True)
class Action:
    path: tuple
    hook: str
    environment: tuple
    elements: tuple  # Element per argv position; None for a position that is not a string
    invocation: Invocation
    files: tuple

    def texts(self) -> list:
        return [e.field.value if e is not None else None for e in self.elements]

    def holes(self):
        for element in self.elements:
            if element is not None:
                for hole in element.holes:
                    yield element, hole


@per_template
def actions(ctx) -> list:
    """Every action of the template with an argv (document order): `onRun`, `onEnter`, `onExit` and the
    wrap hooks (a FEATURE_BUNDLE_1 simple action has a script instead, see `openjd_lint.shell.sites`)."""
    return _build_actions(ctx)


def wrap_hooks(ctx) -> list:
    """Every wrap hook of the template with an argv (document order)."""
    return [action for action in actions(ctx) if action.hook in WRAP_HOOKS]


def hook_at(ctx, action_path: tuple) -> Optional["Action"]:
    """The wrap hook at `action_path` of the template, if it has an argv."""
    return next((action for action in wrap_hooks(ctx) if action.path == action_path), None)


def runs_wrapped(action: "Action") -> bool:
    """The hook hands the wrapped command on (argv forwarding, or text an interpreter parses)."""
    return any(set(hole.names) & WRAPPED_COMMAND for _, hole in action.holes())


def forwards_timeout(ctx, action: "Action") -> bool:
    """The hook uses the wrapped timeout (its own `timeout`, or passed to what it runs), or runs an embedded
    script that mentions a timeout (which it may enforce: the linter cannot tell)."""
    if any(name in field.value for field in hook_fields(ctx, action.path) for name in WRAPPED_TIMEOUT):
        return True
    return any(script.data is not None and re.search(r"\btimeout\b", script.data.field.value)
               for script in action.files)


def once_per_place(findings_by_hook) -> list:
    """The findings of every hook, (hook, findings) pairs in order, with a finding that several hooks report
    at the same place (an embedded script each of them runs) kept once: the first hook's, naming the
    others as related locations."""
    kept: dict = {}
    for action, findings in findings_by_hook:
        for finding in findings:
            key = (finding.rule, finding.path, finding.on_key, finding.chars, finding.message)
            if key not in kept:
                kept[key] = (finding, [action])
            elif action not in kept[key][1]:
                kept[key][1].append(action)
    return [dataclasses.replace(finding, related=finding.related + tuple(
                Related(f"`{other.hook}` runs it too", path=other.path, on_key=True) for other in hooks[1:]))
            if len(hooks) > 1 else finding for finding, hooks in kept.values()]


def hook_fields(ctx, action_path: tuple) -> list:
    """Every format-string field of one hook (command, args, timeout, cancelation)."""
    return [f for f in format_string_fields(ctx) if f.path[:len(action_path)] == action_path and not f.is_let]


def element_of(ctx, field: Field, index: int = 0) -> Element:
    parsed, _ = _parsed(field.value, expr_enabled(ctx))
    symbols = None
    holes = []
    for interpolation in parsed.interpolations:
        if interpolation.expr is None:
            continue
        if symbols is None:
            symbols = visible_symbols(ctx, field, {})
        holes.append(_hole(ctx, interpolation, symbols))
    return Element(index, field, parsed, tuple(holes))


@lru_cache(maxsize=4096)
def _parsed(value: str, expr: bool) -> tuple:
    return parse_format_string(value, expr)


def _build_actions(ctx) -> list:
    by_action: dict = {}
    data_fields: dict = {}
    for field in format_string_fields(ctx):
        if field.role == DATA:
            data_fields[field.path[:-1]] = field
        if field.role not in (COMMAND, ARG) or field.action in SIMPLE_ACTIONS:
            continue
        action_path = field.path[:-1] if field.role == COMMAND else field.path[:-2]
        by_action.setdefault(action_path, []).append(field)
    found_actions = []
    for action_path, fields in by_action.items():
        action_node = _node(ctx.root, action_path)
        count = 1 + len(_seq(_get(action_node, "args")))
        elements: list = [None] * count
        for field in fields:
            index = 0 if field.role == COMMAND else field.path[-1] + 1
            elements[index] = element_of(ctx, field, index)
        found = invocation([e.field.value if e is not None else None for e in elements])
        script_path = fields[0].script
        files = _files(ctx, elements, found, script_path, data_fields)
        found_actions.append(Action(action_path, fields[0].action, fields[0].environment, tuple(elements), found, files))
    return found_actions


def _files(ctx, elements: list, found: Invocation, script_path: tuple, data_fields: dict) -> tuple:
    names = _embedded_files(ctx, script_path)
    files = []
    candidates = [(found.script_index, found.script_interpreter), (found.program_index, None)]
    for index, interpreter in candidates:
        element = elements[index] if index is not None and index < len(elements) else None
        whole = element.whole if element is not None else None
        if whole is None or not isinstance(whole.interpolation.expr, ast.Name):
            continue
        parts = whole.interpolation.expr.parts
        if len(parts) != 3 or parts[:2] not in (("Env", "File"), ("Task", "File")) or parts[2] not in names:
            continue
        file_path, filename, data_node = names[parts[2]]
        data_field = data_fields.get(file_path)
        data = element_of(ctx, data_field) if data_field is not None else None
        kind = interpreter or script_interpreter(filename, data_node)
        forwards = any(e is not None and any(set(h.names) & WRAPPED_COMMAND for h in e.holes)
                       for e in elements[index + 1:])
        files.append(ScriptFile(file_path, parts[2], data, kind, forwards))
        break
    return tuple(files)


def _embedded_files(ctx, script_path: tuple) -> dict:
    found = {}
    for i, embedded in enumerate(_seq(_get(_node(ctx.root, script_path), "embeddedFiles"))):
        name = _string(_get(embedded, "name"))
        if name is not None and name not in found:
            found[name] = (script_path + ("embeddedFiles", i), _string(_get(embedded, "filename")),
                           _string(_get(embedded, "data")))
    return found


def _hole(ctx, interpolation: ast.Interpolation, symbols: dict) -> Hole:
    expr = interpolation.expr
    result = check_expression(expr, symbols, host_scope=True)
    names = tuple(dict.fromkeys(n.dotted for n in _walk(expr) if isinstance(n, ast.Name)))
    value_type = None if result.errors else result.type
    quoting, call = _quoting(expr)
    controlled = () if quoting else _controlled(expr, value_type)
    twice = call is not None and _quoting(_quoted_argument(call))[0] == quoting
    return Hole(interpolation, value_type, names, quoting, call, controlled, tuple(result.null_hazards), twice,
                tuple(_null_as_text(expr, symbols)))


def _quoted_argument(call: ast.Call):
    return call.receiver if call.receiver is not None else (call.args[0] if call.args else None)


def _null_as_text(expr, symbols: dict, guarded: frozenset = frozenset()):
    """`string(x)` over a value that may be null renders `null`: no guard, unlike `x or default`. Inside
    `... if x != null else ...` (or `if x`) the body sees `x` guarded."""
    if isinstance(expr, ast.Conditional):
        yield from _null_as_text(expr.condition, symbols, guarded)
        yield from _null_as_text(expr.body, symbols, guarded | _checked_for_null(expr.condition))
        yield from _null_as_text(expr.orelse, symbols, guarded)
        return
    if isinstance(expr, ast.Call) and expr.function == "string":
        argument = _quoted_argument(expr)
        if argument is not None and not (isinstance(argument, ast.Name) and argument.dotted in guarded):
            checked = check_expression(argument, symbols, host_scope=True)
            if not checked.errors and T.is_nullable(T.resolved(checked.type)):
                yield expr
    for child in _children(expr):
        yield from _null_as_text(child, symbols, guarded)


def _checked_for_null(condition) -> frozenset:
    if isinstance(condition, ast.Name):
        return frozenset({condition.dotted})
    if isinstance(condition, ast.Compare) and condition.ops == ("!=",):
        left, right = condition.operands
        for name, other in ((left, right), (right, left)):
            if isinstance(name, ast.Name) and isinstance(other, ast.Literal) and other.value is None:
                return frozenset({name.dotted})
    return frozenset()


def _quoting(expr) -> tuple:
    """(function, call) when every value the expression can yield comes out of one `repr_*` call."""
    if isinstance(expr, ast.Call) and expr.function in QUOTING_FUNCTIONS:
        return expr.function, expr
    if isinstance(expr, ast.Binary) and expr.op in ("or", "and"):
        left, right = _quoting(expr.left), _quoting(expr.right)
        if left[0] and (left[0] == right[0] or _is_constant_safe(expr.right)):
            return left
        if right[0] and _is_constant_safe(expr.left):
            return right
        return None, None
    if isinstance(expr, ast.Conditional):
        body, orelse = _quoting(expr.body), _quoting(expr.orelse)
        if body[0] and (body[0] == orelse[0] or _is_constant_safe(expr.orelse)):
            return body
        if orelse[0] and _is_constant_safe(expr.body):
            return orelse
    return None, None


def _is_constant_safe(expr) -> bool:
    return isinstance(expr, ast.Literal) and (not isinstance(expr.value, str) or bool(_SHELL_SAFE.fullmatch(expr.value)))


def _controlled(expr, value_type: Optional[T.Type]) -> tuple:
    """The wrapped-action values whose text reaches the result unquoted (parameter values are the
    injection rules' ground, `openjd_lint.shell.provenance`)."""
    if value_type is not None and not carries_text(value_type):
        return ()
    names = []
    for node in _unquoted_names(expr):
        symbol = next((".".join(node.parts[:n]) for n in range(len(node.parts), 0, -1)
                       if ".".join(node.parts[:n]) in WRAPPED_TEXT), None)
        if symbol is not None and symbol not in names:
            names.append(symbol)
    return tuple(names)


def carries_text(value_type: T.Type) -> bool:
    def text(member) -> bool:
        if isinstance(member, T.ListOf):
            return text(member.element)
        if isinstance(member, T.Union):
            return any(text(m) for m in member.members)
        return member in (T.STRING, T.PATH, T.ANY)
    return any(text(m) for m in T.members(T.resolved(value_type)))


def _unquoted_names(expr):
    """Names whose text can reach the result without passing through a `repr_*` call."""
    if isinstance(expr, ast.Name):
        yield expr
    elif isinstance(expr, ast.Call) and expr.function in QUOTING_FUNCTIONS:
        return
    elif isinstance(expr, ast.Call) and expr.function in ("len", "int", "float", "bool", "exists"):
        return
    elif isinstance(expr, ast.Compare):
        return
    else:
        for child in _children(expr):
            yield from _unquoted_names(child)


def _walk(expr):
    yield expr
    for child in _children(expr):
        yield from _walk(child)


def _children(expr):
    for value in vars(expr).values():
        if isinstance(value, ast.Expr):
            yield value
        elif isinstance(value, tuple):
            yield from (item for item in value if isinstance(item, ast.Expr))


def _node(root, path: tuple):
    node = root
    for element in path:
        if isinstance(node, MapNode):
            node = node.get(element)
        elif isinstance(node, SeqNode) and isinstance(element, int) and 0 <= element < len(node.items):
            node = node.items[element]
        else:
            return None
    return node


def _get(node, key):
    return node.get(key) if isinstance(node, MapNode) else None


def _seq(node) -> list:
    return node.items if isinstance(node, SeqNode) else []


def _string(node) -> Optional[str]:
    return node.value if isinstance(node, ScalarNode) and isinstance(node.value, str) else None
