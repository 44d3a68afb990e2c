"""Typed overloads and multiple dispatch (functions.md conventions).

An overload is written as a signature string, `"with_number(path, int) -> path"`, with type
variables `T`, `T1`... bound per call. Dispatch first looks for an exact match on every argument,
then for one allowing the implicit argument coercions (int -> float, path -> string, range_expr ->
list[int], `[]` -> any list); a method receiver (`x.f()`) is never coerced.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from openjd_lint.expr import types as T
from openjd_lint.expr.values import EvalError

_SIGNATURE = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<params>.*)\)\s*->\s*(?P<result>.+)$")

ARGUMENT_COERCIONS = {(T.INT, T.FLOAT), (T.PATH, T.STRING)}

OPERATOR_SYMBOLS = {
    "__add__": "+", "__sub__": "-", "__mul__": "*", "__truediv__": "/", "__floordiv__": "//",
    "__mod__": "%", "__pow__": "**", "__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">=",
    "__contains__": "in",
}  # fmt: skip


@dataclass(frozen=True)
class Overload:
    name: str
    params: tuple
    result: Any  # a Type, or a callable(bindings, argument types) -> Type
    implementation: Callable
    host_only: bool = False
    coerce: bool = True  # False: arguments must match exactly (`bool(path)` is not `bool(string)`)

    def __str__(self) -> str:
        return f"{self.name}({', '.join(str(p) for p in self.params)})"


def _split_params(text: str) -> list:
    params, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            params.append(current)
            current = ""
            continue
        depth += ch in "[("
        depth -= ch in "])"
        current += ch
    if current.strip():
        params.append(current)
    return [p.strip() for p in params]


def parse_signature(
    text: str, implementation: Callable, result: Any = None, host_only: bool = False, coerce: bool = True
) -> Overload:
    m = _SIGNATURE.match(text)
    if not m:
        raise ValueError(f"bad signature {text!r}")
    params = tuple(T.parse_type(p) for p in _split_params(m.group("params")))
    declared = T.parse_type(m.group("result"))
    return Overload(m.group("name"), params, result or declared, implementation, host_only, coerce)


def _match(param: T.Type, arg: T.Type, bindings: dict, coerce: bool) -> bool:
    if arg == T.ANY:
        if isinstance(param, T.TypeVar):
            bindings.setdefault(param.name, T.ANY)
        return True
    if isinstance(param, T.TypeVar):
        bound = bindings.get(param.name)
        if bound is None or bound == T.NULL or bound == T.ANY:
            bindings[param.name] = arg if bound is None or bound == T.NULL else bound
            return True
        if bound == arg:
            return True
        return coerce and (arg, bound) in ARGUMENT_COERCIONS
    if isinstance(param, T.Union):
        return any(_match(m, arg, bindings, coerce) for m in param.members)
    if isinstance(param, T.ListOf):
        if not isinstance(arg, T.ListOf):
            return coerce and arg == T.RANGE_EXPR and param == T.ListOf(T.INT)
        if arg.element == T.NULL:
            if isinstance(param.element, T.TypeVar):
                bindings.setdefault(param.element.name, T.NULL)
            return True
        return _match(param.element, arg.element, bindings, coerce)
    if param == arg:
        return True
    return coerce and (arg, param) in ARGUMENT_COERCIONS


def substitute(t: T.Type, bindings: dict) -> T.Type:
    if isinstance(t, T.TypeVar):
        return bindings.get(t.name, T.NULL)
    if isinstance(t, T.ListOf):
        return T.list_of(substitute(t.element, bindings))
    if isinstance(t, T.Union):
        return T.union(*(substitute(m, bindings) for m in t.members))
    return t


@dataclass(frozen=True)
class Resolution:
    overload: Overload
    params: tuple  # parameter types with bindings substituted (the coercion targets)
    result: T.Type


def _resolve_concrete(overloads: list, arg_types: tuple, receiver: bool) -> Optional[Resolution]:
    for coerce in (False, True):
        for overload in overloads:
            if len(overload.params) != len(arg_types) or (coerce and not overload.coerce):
                continue
            bindings: dict = {}
            if all(
                _match(p, a, bindings, coerce and not (receiver and i == 0))
                for i, (p, a) in enumerate(zip(overload.params, arg_types))
            ):
                if callable(overload.result) and not isinstance(overload.result, T.Type):
                    result = overload.result(bindings, arg_types)
                    if result is None:
                        continue
                else:
                    result = substitute(overload.result, bindings)
                params = tuple(substitute(p, bindings) for p in overload.params)
                return Resolution(overload, params, result)
    return None


def describe_failure(name: str, overloads: list, arg_types: tuple, receiver: bool, property_name: str = "") -> str:
    shown = ", ".join(str(t) for t in arg_types)
    if name in ("__getitem__", "__slice__") and not any(_match(o.params[0], arg_types[0], {}, False) for o in overloads):
        return f"Cannot subscript type {arg_types[0]}"
    if property_name:
        return f"'{property_name}' property is not available for {shown}"
    if name in OPERATOR_SYMBOLS and len(arg_types) == 2:
        left, right = arg_types if name != "__contains__" else arg_types[::-1]
        return f"Cannot use '{OPERATOR_SYMBOLS[name]}' operator with {left} and {right}"
    if receiver and arg_types:
        first = {str(o.params[0]) for o in overloads if o.params}
        if not any(_match(o.params[0], arg_types[0], {}, False) for o in overloads if o.params):
            return f"{name}() is not available for {arg_types[0]}. Available for: {', '.join(sorted(first))}"
    return f"No matching signature for {name}({shown})"


def pick_overload(name: str, overloads: list, arg_types: tuple, receiver: bool = False, property_name: str = "") -> tuple:
    """Dispatch on static argument types (which may be unions or unresolved).

    Returns `(resolution or None, result type, null_sensitive)`: the resolution is the overload for concrete
    argument types; for union arguments every non-null combination of members must match (a
    combination failing only because a member is null is tolerated and reported as
    `null_sensitive`: nullability is a separate lint), and the result is the union of the results. Raises EvalError(kind="type")."""
    any_unresolved = any(T.is_unresolved(t) for t in arg_types)
    expanded = [T.members(t) for t in arg_types]
    if all(len(m) == 1 for m in expanded) and not any_unresolved:
        resolution = _resolve_concrete(overloads, tuple(m[0] for m in expanded), receiver)
        if resolution is None:
            raise EvalError(describe_failure(name, overloads, arg_types, receiver, property_name), kind="type")
        return resolution, resolution.result, False
    results = []
    hard_failure = null_failure = None
    for combination in itertools.product(*expanded):
        resolution = _resolve_concrete(overloads, combination, receiver)
        if resolution is not None:
            results.append(resolution.result)
        elif T.NULL in combination:
            null_failure = null_failure or combination
        else:
            hard_failure = combination
            break
    if hard_failure is not None or not results:
        shown = tuple(T.resolved(t) for t in arg_types)
        raise EvalError(describe_failure(name, overloads, shown, receiver, property_name), kind="type")
    result = T.union(*results)
    return None, T.unresolved(result) if any_unresolved else result, null_failure is not None
