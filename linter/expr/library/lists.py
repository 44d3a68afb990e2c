"""List and range_expr functions and operators (functions.md §1, §2, §4)."""

from __future__ import annotations

import functools

from openjd_lint.expr import types as T
from openjd_lint.expr.library.ranges import compact, parse_range, slice_range
from openjd_lint.expr.library.registry import define
from openjd_lint.expr.values import (
    EvalError,
    Float,
    ListValue,
    compare,
    deep_length,
    make_list,
    memory_size,
    to_string,
    values_equal,
)

INT_LIST = T.ListOf(T.INT)

def _materialise(call, values, list_type: T.Type = INT_LIST) -> ListValue:
    call.budget.charge(len(values))
    call.budget.allocate(32 + 24 * len(values))
    return ListValue(tuple(values), list_type)

def _items(value) -> tuple:
    return value.items if isinstance(value, ListValue) else tuple(value)

@define("len(list[T]) -> int", "len(range_expr) -> int")
def _len(call, value):
    return len(value)

@define("list(range_expr) -> list[int]")
def _list(call, values):
    return _materialise(call, values)

@define("range_expr(string) -> range_expr")
def _range_expr_text(call, text):
    call.budget.charge_text(len(text))
    return parse_range(text)

@define("range_expr(list[int]) -> range_expr")
def _range_expr_list(call, items):
    if not items.items:
        raise EvalError("range_expr() requires a non-empty list")
    call.budget.charge(len(items))
    return compact(list(items.items))

@define("range(int) -> list[int]", "range(int, int) -> list[int]", "range(int, int, int) -> list[int]")
def _range(call, *bounds):
    if len(bounds) == 3 and bounds[2] == 0:
        raise EvalError("range() step must not be zero")
    return _materialise(call, range(*bounds))

def _unified_lists(bindings: dict, arg_types: tuple):
    left = bindings.get("T1", T.NULL)
    right = bindings.get("T2", T.NULL)
    element = right if left == T.NULL else left if right == T.NULL else T.unify_elements(left, right)
    return None if element is None else T.list_of(element)

@define("__add__(list[T1], list[T2]) -> list[T1]", result=_unified_lists)
def _concat_lists(call, a, b):
    call.budget.charge(len(a) + len(b))
    call.budget.work(deep_length(a) + deep_length(b))
    return make_list(list(a.items) + list(b.items), call.result.element)

@define(
    "__add__(range_expr, list[int]) -> list[int]", "__add__(list[int], range_expr) -> list[int]",
    "__add__(range_expr, range_expr) -> list[int]",
)  # fmt: skip
def _concat_ranges(call, a, b):
    call.budget.charge(len(a) + len(b))
    call.budget.allocate(32 + 24 * (len(a) + len(b)))
    return ListValue(_items(a) + _items(b), INT_LIST)

@define("__add__(range_expr, string) -> string", "__add__(string, range_expr) -> string")
def _concat_range_text(call, a, b):
    return to_string(a) + to_string(b)

@define("__mul__(list[T], int) -> list[T]")
def _repeat_list(call, items, count):
    size = len(items) * max(count, 0)
    call.budget.charge(size)
    call.budget.allocate(32 + max(24 * len(items), memory_size(items) - 32) * max(count, 0))
    return ListValue(items.items * count, items.type)

@define("__contains__(list[T], T) -> bool")
def _member(call, items, item):
    call.budget.charge(len(items))
    call.budget.work(deep_length(items))
    return any(values_equal(item, x) for x in items.items)

@define("__contains__(range_expr, int) -> bool")
def _range_member(call, values, item):
    return item in values

def _checked_index(container, index: int, what: str) -> int:
    if not -len(container) <= index < len(container):
        raise EvalError(f"Index {index} out of bounds for {what} of length {len(container)}")
    return index % len(container)

@define("__getitem__(list[T], int) -> T")
def _list_item(call, items, index):
    return items.items[_checked_index(items, index, "list")]

@define("__getitem__(range_expr, int) -> int")
def _range_item(call, values, index):
    return values[_checked_index(values, index, "range_expr")]

def _slice_result(bindings: dict, arg_types: tuple):
    return T.RANGE_EXPR if arg_types[3] == T.NULL else T.union(T.RANGE_EXPR, INT_LIST)

_BOUND = "int?"

def _step(step) -> int:
    if step == 0:
        raise EvalError("Slice step cannot be zero")
    return 1 if step is None else step

@define(f"__slice__(list[T], {_BOUND}, {_BOUND}, {_BOUND}) -> list[T]")
def _slice_list(call, items, start, stop, step):
    chosen = items.items[start:stop:_step(step)]
    call.budget.charge(len(chosen))
    return ListValue(chosen, items.type)

@define(f"__slice__(string, {_BOUND}, {_BOUND}, {_BOUND}) -> string")
def _slice_string(call, text, start, stop, step):
    chosen = text[start:stop:_step(step)]
    call.budget.charge_text(len(chosen))
    return chosen

@define(f"__slice__(range_expr, {_BOUND}, {_BOUND}, {_BOUND}) -> range_expr", result=_slice_result)
def _slice_range(call, values, start, stop, step):
    stride = _step(step)
    if stride > 0:
        return slice_range(values, start, stop, stride)
    indices = range(len(values))[start:stop:stride]
    call.budget.charge(len(indices))
    call.budget.allocate(32 + 24 * len(indices))
    return ListValue(tuple(values[i] for i in indices), INT_LIST)

@define("flatten(list[list[T]]) -> list[T]")
def _flatten(call, items):
    call.budget.charge(len(items) + sum(len(inner) for inner in items.items))
    call.budget.work(deep_length(items))
    flat = [x for inner in items.items for x in inner.items]
    return make_list(flat, call.result.element)

@define("flatten(list[T]) -> list[T]")
def _flatten_identity(call, items):
    call.budget.charge(len(items))
    return items

@define("sorted(list[T]) -> list[T]")
def _sorted(call, items):
    call.budget.charge(len(items))
    call.budget.work(deep_length(items) * max(1, len(items).bit_length()))
    return ListValue(tuple(sorted(items.items, key=functools.cmp_to_key(compare))), items.type)

@define("reversed(list[T]) -> list[T]")
def _reversed(call, items):
    call.budget.charge(len(items))
    return ListValue(tuple(reversed(items.items)), items.type)

def _identity_key(value) -> object:
    if isinstance(value, ListValue):
        return tuple(_identity_key(x) for x in value.items)
    if isinstance(value, Float):
        return value.value
    return (type(value).__name__, to_string(value))

@define("unique(list[T]) -> list[T]")
def _unique(call, items):
    call.budget.charge(len(items))
    call.budget.work(deep_length(items))
    seen: set = set()
    kept = []
    for item in items.items:
        key = _identity_key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return ListValue(tuple(kept), items.type)

@define("any(list[bool]) -> bool")
def _any(call, items):
    call.budget.charge(len(items))
    return any(items.items)

@define("all(list[bool]) -> bool")
def _all(call, items):
    call.budget.charge(len(items))
    return all(items.items)

