"""Runtime values of the EXPR language and the rules every stage shares: the type of a value,
`string()` rendering, equality, ordering, memory estimates and coercion toward a target type.

Python representation: bool, int, str and None stand for themselves; `Float` keeps the source text
of an uncomputed number; `PathValue`, `RangeValue` and `ListValue` wrap the other types;
`UnresolvedValue` is a placeholder whose value is only known at a later stage.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from openjd_lint.expr import types as T
from openjd_lint.load.numerals import to_int


class EvalError(Exception):
    """An expression evaluation error. `kind` says how a static checker should classify it:
    "type" (no matching signature, wrong operand types), "value" (an error computing a value),
    "limit" (resource bounds), "unknown-name", "scope"."""

    def __init__(self, message: str, start: Optional[int] = None, end: Optional[int] = None, kind: str = "value"):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end
        self.kind = kind

    def __repr__(self) -> str:
        return f"EvalError({self.message!r}, {self.start}, {self.end}, kind={self.kind!r})"


@dataclass(frozen=True, eq=False)
class Float:
    """A float; `text` is its source spelling while the number has only been copied."""

    value: float
    text: Optional[str] = None

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Float) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Float({self.render()})"

    def render(self) -> str:
        return self.text if self.text is not None else repr(self.value)


def make_float(value: float) -> Float:
    """A computed float: infinity and NaN are errors, -0.0 becomes 0.0."""
    if math.isinf(value):
        raise EvalError("Float operation produced infinity")
    if math.isnan(value):
        raise EvalError("Float operation produced NaN")
    return Float(value + 0.0)


@dataclass(frozen=True)
class PathValue:
    """A path value; `text` is already normalised for the path style it was built with."""

    text: str


@dataclass(frozen=True)
class RangeValue:
    """An <IntRangeExpr> value as sorted, disjoint, canonical segments `(first, last, step)` with
    step > 0, so a range of 10^18 values stays small."""

    segments: tuple
    # A CONTIGUOUS chunk (TASK_CHUNKING) is always written `a-b`, even when it holds one value (`1-1`).
    as_span: bool = field(default=False, compare=False)

    def __len__(self) -> int:
        return sum((last - first) // step + 1 for first, last, step in self.segments)

    def __iter__(self) -> Iterator[int]:
        for first, last, step in self.segments:
            yield from range(first, last + 1, step)

    def __getitem__(self, index: int) -> int:
        for first, last, step in self.segments:
            count = (last - first) // step + 1
            if index < count:
                return first + index * step
            index -= count
        raise IndexError(index)

    def __contains__(self, value: int) -> bool:
        return any(first <= value <= last and (value - first) % step == 0 for first, last, step in self.segments)

    def render(self) -> str:
        parts = []
        for first, last, step in self.segments:
            if first == last and not self.as_span:
                parts.append(str(first))
            elif step == 1:
                parts.append(f"{first}-{last}")
            else:
                parts.append(f"{first}-{last}:{step}")
        return ",".join(parts)


@dataclass(frozen=True)
class ListValue:
    """A homogeneous list; `type` is its `list[T]` type (kept for empty and sliced lists)."""

    items: tuple
    type: T.Type = field(default=T.ListOf(T.NULL))
    # (memory estimate, values counted deep), computed once: lists repeated inside lists share their items,
    # so anything that walks a list deep must know the cost without walking it
    measure: Optional[tuple] = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class UnresolvedValue:
    """A value not known before a later stage; only its type is."""

    type: T.Type


def type_of(value: Any) -> T.Type:
    if value is None:
        return T.NULL
    if isinstance(value, bool):
        return T.BOOL
    if isinstance(value, int):
        return T.INT
    if isinstance(value, Float):
        return T.FLOAT
    if isinstance(value, str):
        return T.STRING
    if isinstance(value, PathValue):
        return T.PATH
    if isinstance(value, RangeValue):
        return T.RANGE_EXPR
    if isinstance(value, ListValue):
        return value.type
    if isinstance(value, UnresolvedValue):
        return T.unresolved(value.type)
    raise TypeError(f"not an expression value: {value!r}")


def make_list(items: list, element_type: Optional[T.Type] = None) -> ListValue:
    """A list value from Python values, unifying element types (int+float -> float, ...).
    Raises EvalError for null elements and incompatible types."""
    element = element_type
    if element is None:
        element = T.NULL
        for item in items:
            item_type = type_of(item)
            if item_type == T.NULL:
                raise EvalError("List elements cannot be null", kind="type")
            unified = item_type if element == T.NULL else T.unify_elements(element, item_type)
            if unified is None:
                raise EvalError(f"List literal contains incompatible types: {element} and {item_type}", kind="type")
            element = unified
    if T.list_depth(element) >= T.MAX_LIST_DEPTH:
        raise EvalError("Lists may be nested at most 2 levels deep", kind="type")
    return ListValue(tuple(convert_element(item, element) for item in items), T.ListOf(element))


def convert_element(value: Any, element: T.Type) -> Any:
    """An element converted to the unified element type of its list."""
    if element == T.FLOAT and isinstance(value, int) and not isinstance(value, bool):
        return Float(float(value))
    if element == T.STRING and isinstance(value, PathValue):
        return value.text
    if isinstance(element, T.ListOf) and isinstance(value, ListValue) and value.type != element:
        return ListValue(tuple(convert_element(v, element.element) for v in value.items), element)
    return value


# --- rendering ----------------------------------------------------------------------------------


def to_string(value: Any) -> str:
    """The `string()` rendering of a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Float):
        return value.render()
    if isinstance(value, str):
        return value
    if isinstance(value, PathValue):
        return value.text
    if isinstance(value, RangeValue):
        return value.render()
    if isinstance(value, ListValue):
        return "[" + ", ".join(_list_item_text(v) for v in value.items) + "]"
    raise TypeError(f"cannot render {value!r}")


def _list_item_text(value: Any) -> str:
    if isinstance(value, (str, PathValue, RangeValue)):
        return json.dumps(to_string(value), ensure_ascii=False)
    return to_string(value)


def interpolation_text(value: Any) -> str:
    """How a value appears inside a larger format string: like `string()`, but null is empty."""
    return "" if value is None else to_string(value)


# --- equality and ordering ----------------------------------------------------------------------


def values_equal(a: Any, b: Any) -> bool:
    """`==` across any two values: never an error (format-strings.md §D.2)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        return _number(a) == _number(b)
    if isinstance(a, (str, PathValue)) and isinstance(b, (str, PathValue)):
        return to_string(a) == to_string(b)
    if isinstance(a, (ListValue, RangeValue)) and isinstance(b, (ListValue, RangeValue)):
        if isinstance(a, RangeValue) and isinstance(b, RangeValue):
            return a.segments == b.segments
        if len(a) != len(b):
            return False
        return all(values_equal(x, y) for x, y in zip(_items(a), _items(b)))
    if a is None or b is None:
        return a is None and b is None
    return False


def _items(value: Any) -> Iterator:
    return iter(value.items) if isinstance(value, ListValue) else iter(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, Float) or (isinstance(value, int) and not isinstance(value, bool))


def _number(value: Any) -> Any:
    return value.value if isinstance(value, Float) else value


def compare(a: Any, b: Any) -> int:
    """Ordering for `< <= > >=`, `sorted`, `min`/`max`: -1, 0 or 1. Raises EvalError for pairs
    that have no order."""
    if isinstance(a, bool) and isinstance(b, bool):
        return (a > b) - (a < b)
    if _is_number(a) and _is_number(b):
        x, y = _number(a), _number(b)
        return (x > y) - (x < y)
    if isinstance(a, (str, PathValue)) and isinstance(b, (str, PathValue)):
        x, y = to_string(a), to_string(b)
        return (x > y) - (x < y)
    if isinstance(a, ListValue) and isinstance(b, ListValue):
        for x, y in zip(a.items, b.items):
            order = compare(x, y)
            if order:
                return order
        return (len(a) > len(b)) - (len(a) < len(b))
    raise EvalError(f"Cannot compare {type_of(a)} with {type_of(b)}", kind="type")


# --- memory estimate ----------------------------------------------------------------------------


def memory_size(value: Any) -> int:
    """A deterministic estimate of the bytes a value occupies, for the §D.4 memory limit."""
    if isinstance(value, str):
        return 32 + _utf8_length(value)
    if isinstance(value, PathValue):
        return 32 + _utf8_length(value.text)
    if isinstance(value, RangeValue):
        return 32 + 24 * len(value.segments)
    if isinstance(value, ListValue):
        return _measure(value)[0]
    return 16


def deep_length(value: Any) -> int:
    """How many values a deep walk of `value` visits (itself and every nested item)."""
    return _measure(value)[1] if isinstance(value, ListValue) else 1


def _measure(value: "ListValue") -> tuple:
    if value.measure is None:
        size, count = 32, 1
        for item in value.items:
            if isinstance(item, ListValue):
                item_size, item_count = _measure(item)
            else:
                item_size, item_count = memory_size(item), 1
            size += 8 + item_size
            count += item_count
        object.__setattr__(value, "measure", (size, count))
    return value.measure


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


# --- coercion toward a target type (§C.3) -------------------------------------------------------


def coerce_value(value: Any, target: T.Type) -> Any:
    """`value` converted for a field or argument of type `target`; EvalError when it cannot be."""
    source = type_of(value)
    fit, goal = T.coercion_target(source, target)
    if fit is T.Fit.NEVER:
        raise EvalError(f"Cannot convert {source} to {target}", kind="type")
    if goal == source:
        return value
    return _convert(value, goal, target)


def _convert(value: Any, goal: T.Type, target: T.Type) -> Any:
    if isinstance(goal, T.ListOf):
        if isinstance(value, RangeValue):
            return ListValue(tuple(value), goal)
        return ListValue(tuple(coerce_value(item, goal.element) for item in value.items), goal)
    if goal == T.STRING:
        return to_string(value)
    if goal == T.PATH:
        return PathValue(value)
    if goal == T.FLOAT:
        if isinstance(value, int):
            return Float(float(value))
        return parse_float(value)
    if goal == T.INT:
        return exact_int(value)
    raise EvalError(f"Cannot convert {type_of(value)} to {target}", kind="type")


def parse_float(text: str) -> Float:
    stripped = text.strip()
    try:
        number = float(stripped)
    except ValueError:
        raise EvalError(f"Cannot convert {text!r} to float") from None
    if stripped.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        raise EvalError(f"Cannot convert {text!r} to float: not a finite number")
    return make_float(number)


def exact_int(value: Any) -> int:
    """int() of a float or string, only when no information is lost."""
    if isinstance(value, Float):
        if value.value != int(value.value):
            raise EvalError(f"Cannot convert {value.render()} to int: not a whole number")
        return check_int(int(value.value))
    text = value.strip()
    try:
        return check_int(to_int(text))
    except ValueError:
        raise EvalError(f"Cannot convert {value!r} to int") from None


INT_MIN = -(2**63)
INT_MAX = 2**63 - 1


def check_int(value: int) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise EvalError("Integer overflow: result is outside the 64-bit signed range")
    return value
