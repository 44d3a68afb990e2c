"""Step parameter spaces (schema.md §3.4): each task parameter's values from its `range` (a list, a
range expression, or under EXPR a list-valued expression), combined by `combination` (products
and associations) and, for a CHUNK[INT] parameter, grouped into chunks (TASK_CHUNKING).

Counts are computed before anything is expanded, so a range of 10^18 values is an error rather
than an out-of-memory.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

from openjd_lint.expr.combination import Association, ParameterRef, Product, parse_combination
from openjd_lint.expr.library.ranges import compact, parse_range
from openjd_lint.expr.values import EvalError, Float, ListValue, PathValue, RangeValue, to_string

MAX_TASKS = 100_000


class SpaceError(Exception):
    pass


@dataclass(frozen=True)
class TaskParameter:
    name: str
    type: str  # upper case: INT, FLOAT, STRING, PATH, CHUNK[INT]
    values: tuple  # expression values: int, Float, str, or RangeValue chunks for CHUNK[INT]


def task_parameters(space: dict, resolve: Callable) -> list:
    """The parameters of a `parameterSpace` mapping with their values. `resolve(text, target)`
    evaluates a format string at TEMPLATE scope. Raises SpaceError."""
    found = []
    for definition in space.get("taskParameterDefinitions") or []:
        name, kind = definition.get("name"), str(definition.get("type", "")).upper()
        values = _values(definition, kind, resolve)
        if kind == "CHUNK[INT]":
            values = _chunks(values, definition.get("chunks") or {}, resolve)
        found.append(TaskParameter(name, kind, tuple(values)))
    return found


def _values(definition: dict, kind: str, resolve: Callable):
    range_ = definition.get("range")
    integer = kind in ("INT", "CHUNK[INT]")
    if isinstance(range_, list):
        if len(range_) > 1024:
            raise SpaceError(f"task parameter '{definition.get('name')}' lists {len(range_)} values; at most 1024")
        return [_item(resolve(item, _TARGETS[kind]) if isinstance(item, str) else item, kind) for item in range_]
    if not isinstance(range_, str):
        raise SpaceError(f"task parameter '{definition.get('name')}' has no range")
    value = resolve(range_, "range_expr | list[int] | int | string" if integer else f"list[{_TARGETS[kind]}]")
    if integer and isinstance(value, str):
        try:
            value = parse_range(value)
        except EvalError as error:
            raise SpaceError(f"task parameter '{definition.get('name')}': {error.message}") from None
    if isinstance(value, RangeValue):
        _bound(len(value), definition)
        return list(value)
    if isinstance(value, ListValue):
        _bound(len(value), definition)
        return [_item(item, kind) for item in value.items]
    return [_item(value, kind)]


_TARGETS = {"INT": "int", "CHUNK[INT]": "int", "FLOAT": "float", "STRING": "string", "PATH": "path"}


def _bound(count: int, definition: dict) -> None:
    if count > MAX_TASKS:
        raise SpaceError(f"task parameter '{definition.get('name')}' has {count} values; expand handles at most "
                         f"{MAX_TASKS} tasks per step")


def _item(value, kind: str):
    if kind in ("INT", "CHUNK[INT]"):
        if isinstance(value, bool):
            raise SpaceError(f"{value!r} is not an integer")
        if isinstance(value, int):
            return value
        try:
            return int(str(value.render() if isinstance(value, Float) else value).strip(), 10)
        except ValueError:
            raise SpaceError(f"{to_string(value) if not isinstance(value, str) else value!r} is not an integer") from None
    if kind == "FLOAT":
        if isinstance(value, Float):
            return value
        try:
            return Float(float(value), value if isinstance(value, str) else None)
        except (TypeError, ValueError):
            raise SpaceError(f"{value!r} is not a number") from None
    text = value.text if isinstance(value, PathValue) else to_string(value) if not isinstance(value, str) else value
    if kind == "PATH":
        return PathValue(text)
    return text


def _chunks(values: list, chunks: dict, resolve: Callable) -> list:
    count = chunks.get("defaultTaskCount", 1)
    count = resolve(count, "int") if isinstance(count, str) else count
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise SpaceError(f"chunks.defaultTaskCount must be a positive integer, not {count!r}")
    ordered = sorted(set(values))
    if chunks.get("rangeConstraint") == "CONTIGUOUS":
        runs, run = [], []
        for value in ordered:
            if run and value != run[-1] + 1:
                runs.append(run)
                run = []
            run.append(value)
        runs += [run] if run else []
        pieces = [run[i:i + count] for run in runs for i in range(0, len(run), count)]
        return [RangeValue(((piece[0], piece[-1], 1),), as_span=True) for piece in pieces]
    return [compact(ordered[i:i + count]) for i in range(0, len(ordered), count)]


def tasks(parameters: list, combination) -> list:
    """Every task as {name: value}, in the order a runtime iterates them."""
    by_name = {parameter.name: parameter for parameter in parameters}
    if not parameters:
        return [{}]
    if combination is None:
        total = 1
        for parameter in parameters:
            total *= len(parameter.values)
        _check_total(total)
        names = [parameter.name for parameter in parameters]
        return [dict(zip(names, combo)) for combo in itertools.product(*(p.values for p in parameters))]
    tree, errors = parse_combination(combination)
    if tree is None:
        raise SpaceError(f"combination {combination!r}: {errors[0].message}")
    _check_total(_size(tree, by_name))
    return [dict(item) for item in _rows(tree, by_name)]


def _check_total(total: int) -> None:
    if total > MAX_TASKS:
        raise SpaceError(f"the step has {total} tasks; expand handles at most {MAX_TASKS} per step")


def _size(node, by_name: dict) -> int:
    if isinstance(node, ParameterRef):
        if node.name not in by_name:
            raise SpaceError(f"combination names '{node.name}', which is not a task parameter of the step")
        return len(by_name[node.name].values)
    sizes = [_size(child, by_name) for child in (node.factors if isinstance(node, Product) else node.members)]
    if isinstance(node, Association):
        if len(set(sizes)) > 1:
            raise SpaceError("the members of an association '( , )' have different numbers of values: "
                             + ", ".join(map(str, sizes)))
        return sizes[0]
    total = 1
    for size in sizes:
        total *= size
    return total


def _rows(node, by_name: dict) -> list:
    """Lists of (name, value) pairs."""
    if isinstance(node, ParameterRef):
        return [[(node.name, value)] for value in by_name[node.name].values]
    if isinstance(node, Product):
        rows = [[]]
        for factor in node.factors:
            rows = [row + extra for row in rows for extra in _rows(factor, by_name)]
        return rows
    columns = [_rows(member, by_name) for member in node.members]
    return [[pair for part in parts for pair in part] for parts in zip(*columns)]
