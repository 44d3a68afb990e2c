"""Evaluation of EXPR expressions and format strings (format-strings.md §D).

The `Interpreter` evaluates concrete values and, for the static checker, `UnresolvedValue`
placeholders: an operation on an unresolved operand is type-checked against the library
signatures and yields an unresolved result (§D.5), while constant sub-expressions are computed.
"""

from __future__ import annotations

import difflib
from typing import Any, Mapping, Optional

from openjd_lint.expr import ast as A
from openjd_lint.expr import types as T
from openjd_lint.expr.library import LIBRARY, Budget, Environment, Invocation, PathMappingRule, pick_overload
from openjd_lint.expr.library.paths import make_path
from openjd_lint.expr.library.registry import NODE_STEPS, VALIDATORS
from openjd_lint.expr.values import (
    EvalError,
    Float,
    ListValue,
    PathValue,
    RangeValue,
    UnresolvedValue,
    coerce_value,
    interpolation_text,
    deep_length,
    make_list,
    memory_size,
    type_of,
    values_equal,
)

__all__ = ["EvalError", "Environment", "PathMappingRule", "Interpreter", "evaluate", "render_format_string", "to_value"]

_BINARY_FUNCTIONS = {
    "+": "__add__", "-": "__sub__", "*": "__mul__", "/": "__truediv__", "//": "__floordiv__",
    "%": "__mod__", "**": "__pow__",
}  # fmt: skip
_UNARY_FUNCTIONS = {"-": "__neg__", "+": "__pos__", "not": "__not__"}
_ORDER_FUNCTIONS = {"<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}
CALLABLE_NAMES = tuple(sorted(name for name in LIBRARY if not name.startswith("__")))


def _is_unresolved(value: Any) -> bool:
    return isinstance(value, UnresolvedValue)


def _unresolved(t: T.Type) -> UnresolvedValue:
    return UnresolvedValue(T.resolved(t))


# The names users bring from Python, Jinja or JavaScript for the functions they mean: suggested before
# spelling matches (difflib offers `strip` for `str`).
FAMILIAR_FUNCTIONS = {
    "str": "string", "to_string": "string", "tostring": "string", "integer": "int", "number": "float",
    "double": "float", "boolean": "bool", "length": "len", "size": "len", "trim": "strip",
    "ltrim": "lstrip", "rtrim": "rstrip", "trimstart": "lstrip", "trimend": "rstrip", "tolowercase": "lower",
    "touppercase": "upper", "to_lower": "lower", "to_upper": "upper", "sort": "sorted", "reverse": "reversed",
    "uniq": "unique", "quote": "repr_sh", "shell_quote": "repr_sh", "shlex_quote": "repr_sh", "repr": "repr_py",
    "tojson": "repr_json", "to_json": "repr_json", "json": "repr_json", "match": "re_match", "search": "re_search",
    "findall": "re_findall", "sub": "re_sub", "gsub": "re_sub", "escape": "re_escape", "concat": "join",
}


def did_you_mean_function(name: str) -> str:
    familiar = FAMILIAR_FUNCTIONS.get(name.lower())
    if familiar is not None:
        return f"; did you mean '{familiar}'?"
    return did_you_mean(name, CALLABLE_NAMES)


def did_you_mean(name: str, candidates) -> str:
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def list_element_type(types: list) -> T.Type:
    """The element type of a list whose items have the given (possibly unresolved) types;
    EvalError for null items and incompatible types (§C.4)."""
    element: T.Type = T.NULL
    for item_type in types:
        resolved = T.resolved(item_type)
        if resolved == T.NULL:
            raise EvalError("List elements cannot be null", kind="type")
        resolved = T.without_null(resolved)
        unified = resolved if element == T.NULL else T.unify_elements(element, resolved)
        if unified is None:
            raise EvalError(f"List literal contains incompatible types: {element} and {resolved}", kind="type")
        element = unified
    if T.list_depth(element) >= T.MAX_LIST_DEPTH:
        raise EvalError("Lists may be nested at most 2 levels deep", kind="type")
    return element


class Interpreter:
    """Evaluates one expression tree. `values` maps dotted symbol names to values."""

    def __init__(self, values: Mapping[str, Any], env: Environment, budget: Optional[Budget] = None):
        self.values = values
        self.env = env
        self.budget = budget or Budget(env.operation_limit, env.memory_limit)
        self.locals: dict = {}

    # --- dispatch -------------------------------------------------------------------------------

    def eval(self, node: A.Expr) -> Any:
        try:
            self.budget.meter.step(NODE_STEPS)
            return getattr(self, "_" + type(node).__name__)(node)
        except EvalError as error:
            if error.start is None:
                error.start, error.end = node.start, node.end
            raise

    def invoke(self, name: str, args: list, receiver: bool = False, property_name: str = "") -> Any:
        arg_types = tuple(type_of(a) for a in args)
        if any(T.resolved(t) == T.ANY for t in arg_types):
            return UnresolvedValue(T.ANY)  # an operand already reported as an error
        resolution, result, null_sensitive = pick_overload(name, LIBRARY[name], arg_types, receiver, property_name)
        self.budget.charge(1)
        self.budget.work(NODE_STEPS)  # choosing the overload costs as much again as evaluating a node
        if null_sensitive:
            self.null_sensitive_operation(name)
        if resolution is None or any(_is_unresolved(a) for a in args):
            if name in VALIDATORS:
                VALIDATORS[name](args)
            return _unresolved(result)
        adapted = [self.adapt(a, p) for a, p in zip(args, resolution.params)]
        invocation = Invocation(name, resolution.result, self.env, self.budget)
        return resolution.overload.implementation(invocation, *adapted)

    def null_sensitive_operation(self, name: str) -> None:
        """An operation on a nullable unresolved operand that fails when it is null."""

    def adapt(self, value: Any, param: T.Type) -> Any:
        """An argument converted to the parameter type its overload matched by coercion."""
        if param == T.FLOAT and isinstance(value, int) and not isinstance(value, bool):
            return Float(float(value))
        if param == T.STRING and isinstance(value, PathValue):
            return value.text
        if isinstance(param, T.ListOf):
            if isinstance(value, RangeValue):
                self.budget.charge(len(value))
                self.budget.allocate(32 + 24 * len(value))
                return ListValue(tuple(value), param)
            if isinstance(value, ListValue) and value.items and param.element in (T.FLOAT, T.STRING):
                if value.type.element != param.element:
                    return ListValue(tuple(self.adapt(v, param.element) for v in value.items), param)
        return value

    # --- leaves ---------------------------------------------------------------------------------

    def _Literal(self, node: A.Literal) -> Any:
        if isinstance(node.value, float):
            return Float(node.value, node.text or None)
        return node.value

    def _Name(self, node: A.Name) -> Any:
        parts = node.parts
        if parts[0] in self.locals:
            value, used = self.locals[parts[0]], 1
        else:
            for used in range(len(parts), 0, -1):
                symbol = ".".join(parts[:used])
                if symbol in self.values:
                    value = self.values[symbol]
                    break
            else:
                raise EvalError(
                    f"Unknown name '{node.dotted}'{did_you_mean(node.dotted, [*self.values, *self.locals])}",
                    node.start,
                    node.end,
                    kind="unknown-name",
                )
        offset = node.start + len(".".join(parts[:used]))
        for part in parts[used:]:
            try:
                value = self.property(value, part)
            except EvalError as error:
                if error.start is None:
                    error.start, error.end = offset + 1, offset + 1 + len(part)
                raise
            offset += 1 + len(part)
        return value

    def property(self, value: Any, name: str) -> Any:
        function = f"__property_{name}__"
        if function not in LIBRARY:
            raise EvalError(f"'{name}' property is not available for {T.resolved(type_of(value))}", kind="type")
        return self.invoke(function, [value], receiver=True, property_name=name)

    def _Attribute(self, node: A.Attribute) -> Any:
        value = self.eval(node.value)
        try:
            return self.property(value, node.name)
        except EvalError as error:
            if error.start is None and node.name_start:
                error.start, error.end = node.name_start, node.name_start + len(node.name)
            raise

    # --- calls and operators --------------------------------------------------------------------

    def _Call(self, node: A.Call) -> Any:
        name = node.function
        if name.startswith("__") and name.endswith("__"):
            raise EvalError(f"Cannot call '{name}' directly", node.function_start, node.function_end, kind="type")
        if name not in LIBRARY:
            raise EvalError(
                f"Unknown function '{name}'{did_you_mean_function(name)}",
                node.function_start,
                node.function_end,
                kind="unknown-name",
            )
        if any(o.host_only for o in LIBRARY[name]) and not self.env.host:
            raise EvalError(
                f"{name}() is only available in fields evaluated on the worker host (SESSION or TASK scope)",
                node.function_start,
                node.function_end,
                kind="scope",
            )
        receiver = [self.eval(node.receiver)] if node.receiver is not None else []
        args = receiver + [self.eval(a) for a in node.args]
        return self.invoke(name, args, receiver=node.receiver is not None)

    def _Unary(self, node: A.Unary) -> Any:
        return self.invoke(_UNARY_FUNCTIONS[node.op], [self.eval(node.operand)])

    def _Binary(self, node: A.Binary) -> Any:
        if node.op in ("and", "or"):
            return self._boolean(node)
        left = self.eval(node.left)
        right = self.eval(node.right)
        return self.invoke(_BINARY_FUNCTIONS[node.op], [left, right])

    def _boolean(self, node: A.Binary) -> Any:
        left = self.eval(node.left)
        if not _is_unresolved(left):
            falsy = left is None or left is False
            if (node.op == "or") == falsy:
                return self.eval(node.right)
            return left
        self.budget.charge(1)
        right = self.eval(node.right)
        left_type = T.resolved(type_of(left))
        if node.op == "or":
            kept = T.without_null(left_type)
        else:
            kept = T.union(*(m for m in T.members(left_type) if m in (T.NULL, T.BOOL, T.ANY)))
        return _unresolved(T.union(kept, type_of(right)))

    def _Compare(self, node: A.Compare) -> Any:
        left = self.eval(node.operands[0])
        outcome: Any = True
        for op, operand in zip(node.ops, node.operands[1:]):
            right = self.eval(operand)
            result = self._compare_pair(op, left, right)
            if result is False and not _is_unresolved(outcome):
                return False
            if _is_unresolved(result):
                outcome = result
            left = right
        return outcome

    def _compare_pair(self, op: str, left: Any, right: Any) -> Any:
        if op in ("==", "!="):
            self.budget.charge(1)
            if _is_unresolved(left) or _is_unresolved(right):
                return UnresolvedValue(T.BOOL)
            if isinstance(left, (ListValue, RangeValue)):
                self.budget.charge(len(left))
                self.budget.work(deep_length(left))
            return values_equal(left, right) == (op == "==")
        if op in ("in", "not in"):
            found = self.invoke("__contains__", [right, left], receiver=True)
            return found if _is_unresolved(found) or op == "in" else not found
        return self.invoke(_ORDER_FUNCTIONS[op], [left, right])

    def _require_bool(self, value: Any, what: str) -> None:
        t = T.resolved(type_of(value))
        if t not in (T.BOOL, T.ANY):
            raise EvalError(f"{what} must be a boolean, got {t}", kind="type")

    def _Conditional(self, node: A.Conditional) -> Any:
        condition = self.eval(node.condition)
        try:
            self._require_bool(condition, "Condition")
        except EvalError as error:
            error.start, error.end = node.condition.start, node.condition.end
            raise
        if _is_unresolved(condition):
            return self.both_branches(node)
        return self.eval(node.body if condition else node.orelse)

    def both_branches(self, node: A.Conditional) -> Any:
        body = self.eval(node.body)
        orelse = self.eval(node.orelse)
        return _unresolved(T.union(type_of(body), type_of(orelse)))

    # --- lists ----------------------------------------------------------------------------------

    def _ListDisplay(self, node: A.ListDisplay) -> Any:
        items = [self.eval(item) for item in node.items]
        self.budget.charge(len(items))
        return self._list_of(items)

    def _list_of(self, items: list) -> Any:
        if any(_is_unresolved(item) for item in items):
            return _unresolved(T.list_of(list_element_type([type_of(i) for i in items])))
        return make_list(items)

    def _Index(self, node: A.Index) -> Any:
        return self.invoke("__getitem__", [self.eval(node.value), self.eval(node.index)], receiver=True)

    def _Slice(self, node: A.Slice) -> Any:
        bounds = [self.eval(b) if b is not None else None for b in (node.lower, node.upper, node.step)]
        return self.invoke("__slice__", [self.eval(node.value), *bounds], receiver=True)

    def _ListComp(self, node: A.ListComp) -> Any:
        variable = node.variable
        if variable in self.locals or any(s == variable or s.startswith(variable + ".") for s in self.values):
            raise EvalError(
                f"Variable '{variable}' bound by a comprehension shadows a variable",
                node.variable_start,
                node.variable_end,
                kind="type",
            )
        iterable = self.eval(node.iterable)
        try:
            source = self._iteration_source(iterable)
        except EvalError as error:
            error.start, error.end = node.iterable.start, node.iterable.end
            raise
        if not _is_unresolved(iterable):
            # Charged up front so a huge iterable fails before the loop starts, not after minutes.
            self.budget.charge(len(source))
            if node.condition is None:
                self.budget.allocate(0, total=32 + 24 * len(source))
        items = []
        size = 32
        try:
            for item in source:
                self.locals[variable] = item
                if node.condition is not None:
                    keep = self.eval(node.condition)
                    self._require_condition(keep, node.condition)
                    if keep is False:
                        continue
                element = self.eval(node.element)
                if _is_unresolved(element) or _is_unresolved(item):
                    items.append(element)
                    continue
                added = 8 + memory_size(element)
                size += added
                self.budget.allocate(added, total=size)
                items.append(element)
        finally:
            self.locals.pop(variable, None)
        if _is_unresolved(iterable):
            return _unresolved(T.list_of(list_element_type([type_of(i) for i in items])))
        return self._list_of(items)

    def _require_condition(self, value: Any, condition: A.Expr) -> None:
        try:
            self._require_bool(value, "Comprehension condition")
        except EvalError as error:
            error.start, error.end = condition.start, condition.end
            raise

    def _iteration_source(self, iterable: Any):
        t = T.resolved(type_of(iterable))
        if _is_unresolved(iterable):
            if t == T.RANGE_EXPR:
                return [UnresolvedValue(T.INT)]
            if isinstance(t, T.ListOf):
                return [UnresolvedValue(t.element)] if t.element != T.NULL else []
            if t == T.ANY:
                return [UnresolvedValue(T.ANY)]
        elif isinstance(iterable, ListValue):
            return iterable.items
        elif isinstance(iterable, RangeValue):
            return iterable
        raise EvalError(f"Cannot iterate over {t}", kind="type")


def to_value(obj: Any, style: str = "posix") -> Any:
    """A Python value (None, bool, int, float, str, list) as an expression value; expression
    values pass through unchanged."""
    if isinstance(obj, float):
        return Float(obj + 0.0)
    if isinstance(obj, (list, tuple)):
        return make_list([to_value(o, style) for o in obj])
    return obj


def evaluate(expr: A.Expr, values: Mapping[str, Any], *, env: Optional[Environment] = None) -> Any:
    """The value of `expr` with dotted symbols bound to `values` (expression values or plain
    Python values). Raises EvalError with the offsets of the failing sub-expression."""
    env = env or Environment()
    bound = {name: to_value(v, env.path_style) for name, v in values.items()}
    interpreter = Interpreter(bound, env)
    interpreter.budget.meter.grant(natural_steps(expr.end - expr.start))
    return interpreter.eval(expr)


def natural_steps(length: int) -> int:
    """The linter's work allowance for evaluating an expression of `length` characters: each of its
    nodes, at most one per character, evaluated a few times over (checking, fitting, expanding)."""
    return 2 * NODE_STEPS * max(length, 1)


def render_format_string(
    fs: A.FormatString, values: Mapping[str, Any], *, target: Optional[T.Type] = None, env: Optional[Environment] = None
) -> Any:
    """Resolve a format string (§D.1). A whole-field `{{expr}}` yields the typed value coerced to
    `target` (None means an optional field is omitted; a list may splice into a list field);
    anything else yields text, each interpolation rendered like `string()` with null as ""."""
    env = env or Environment()
    bound = {name: to_value(v, env.path_style) for name, v in values.items()}
    interpreter = Interpreter(bound, env)
    interpreter.budget.meter.grant(natural_steps(len(fs.value)))

    def value_of(interpolation: A.Interpolation) -> Any:
        if interpolation.expr is None:
            raise EvalError("Interpolation does not parse", interpolation.start, interpolation.end, kind="type")
        return interpreter.eval(interpolation.expr)

    def text_of(interpolation: A.Interpolation) -> str:
        value = value_of(interpolation)
        interpreter.budget.allocate(memory_size(value))  # before rendering: a list may repeat a long string
        return interpolation_text(value)

    whole = fs.whole_field
    if whole is not None:
        result = value_of(whole)
        interpreter.budget.allocate(memory_size(result))
    else:
        result = "".join(part if isinstance(part, str) else text_of(part) for part in fs.parts)
    if target is None:
        return result
    try:
        coerced = coerce_value(result, target)
    except EvalError as error:
        error.start, error.end = 0, len(fs.value)
        raise
    return make_path(coerced.text, env.path_style) if isinstance(coerced, PathValue) else coerced
