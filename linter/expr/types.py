"""The EXPR type universe (format-strings.md §C): normalised type objects, their names, and the
implicit coercion rules toward a target type set.

Types are immutable and always built through `union`, `list_of` and `unresolved`, which apply the
normalisation rules, so two equal types compare equal with `==`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Optional


class Type:
    """Base of every type object."""


@dataclass(frozen=True)
class Scalar(Type):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ListOf(Type):
    element: Type

    def __str__(self) -> str:
        return f"list[{self.element}]"


@dataclass(frozen=True)
class Union(Type):
    members: tuple  # normalised: flat, unique, sorted, nulltype last, at least two members

    def __str__(self) -> str:
        if len(self.members) == 2 and self.members[1] == NULL:
            return f"{_wrapped(self.members[0])}?"
        return " | ".join(str(m) for m in self.members)


@dataclass(frozen=True)
class Unresolved(Type):
    """A value of type `inner` that is not known until a later stage (static checking only)."""

    inner: Type

    def __str__(self) -> str:
        return f"unresolved[{self.inner}]"


@dataclass(frozen=True)
class TypeVar(Type):
    """`T`, `T1`, ... in library signatures; bound per call."""

    name: str

    def __str__(self) -> str:
        return self.name


def _wrapped(t: Type) -> str:
    return f"({t})" if isinstance(t, Union) else str(t)


BOOL = Scalar("bool")
INT = Scalar("int")
FLOAT = Scalar("float")
STRING = Scalar("string")
PATH = Scalar("path")
RANGE_EXPR = Scalar("range_expr")
NULL = Scalar("nulltype")
NORETURN = Scalar("noreturn")
ANY = Scalar("any")

SCALARS = {t.name: t for t in (BOOL, INT, FLOAT, STRING, PATH, RANGE_EXPR, NULL, NORETURN, ANY)}
_RANK = {BOOL: 0, INT: 1, FLOAT: 2, STRING: 3, PATH: 4, RANGE_EXPR: 5}
MAX_LIST_DEPTH = 2


def _sort_key(t: Type) -> tuple:
    if t == NULL:
        return (9, 0, "")
    if isinstance(t, ListOf):
        return (7, list_depth(t), str(t))
    if isinstance(t, TypeVar):
        return (8, 0, t.name)
    return (_RANK.get(t, 6), 0, str(t))


def union(*types: Type) -> Type:
    """Normalised union: flattened, deduplicated, sorted; `unresolved` hoisted outermost,
    `any` absorbs everything, `noreturn` vanishes (an empty union is `noreturn`)."""
    flat: list = []
    is_unresolved = False
    stack = list(types)
    while stack:
        t = stack.pop(0)
        if isinstance(t, Unresolved):
            is_unresolved = True
            stack.insert(0, t.inner)
        elif isinstance(t, Union):
            stack[0:0] = list(t.members)
        elif t != NORETURN and t not in flat:
            flat.append(t)
    if ANY in flat:
        result: Type = ANY
    elif not flat:
        result = NORETURN
    elif len(flat) == 1:
        result = flat[0]
    else:
        result = Union(tuple(sorted(flat, key=_sort_key)))
    return Unresolved(result) if is_unresolved else result


def list_of(element: Type) -> Type:
    if isinstance(element, Unresolved):
        return Unresolved(list_of(element.inner))
    if isinstance(element, Union) and any(isinstance(m, Unresolved) for m in element.members):
        return list_of(union(element))
    return ListOf(element)


def unresolved(t: Type) -> Type:
    return t if isinstance(t, Unresolved) else Unresolved(t)


def optional(t: Type) -> Type:
    return union(t, NULL)


def resolved(t: Type) -> Type:
    """`t` without its `unresolved` wrapper."""
    return t.inner if isinstance(t, Unresolved) else t


def is_unresolved(t: Type) -> bool:
    return isinstance(t, Unresolved)


def members(t: Type) -> tuple:
    """The union members of `t` (itself when not a union); `unresolved` is looked through."""
    t = resolved(t)
    return t.members if isinstance(t, Union) else (t,)


def is_nullable(t: Type) -> bool:
    return NULL in members(t)


def without_null(t: Type) -> Type:
    kept = union(*(m for m in members(t) if m != NULL))
    return unresolved(kept) if is_unresolved(t) else kept


def list_depth(t: Type) -> int:
    """How many list levels the deepest member of `t` nests."""
    depths = [1 + list_depth(m.element) if isinstance(m, ListOf) else 0 for m in members(t)]
    return max(depths)


def is_list(t: Type) -> bool:
    return isinstance(t, ListOf)


# --- type names ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[\[\]|?()]))")


class TypeSyntaxError(ValueError):
    pass


def parse_type(text: str) -> Type:
    """Parse a type name: `int`, `int?`, `list[string]`, `int | string`, `unresolved[path]`,
    `(int | string)?`. Type variables are `T`, `T1`, `T2`..."""
    tokens = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise TypeSyntaxError(f"unexpected character {text[pos]!r} in type {text!r}")
        tokens.append(m.group("name") or m.group("punct"))
        pos = m.end()
    parser = _TypeParser(tokens, text)
    result = parser.union()
    if parser.pos != len(tokens):
        raise TypeSyntaxError(f"unexpected {tokens[parser.pos]!r} in type {text!r}")
    return result


class _TypeParser:
    def __init__(self, tokens: list, text: str):
        self.tokens = tokens
        self.text = text
        self.pos = 0

    def _peek(self) -> Optional[str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _expect(self, token: str) -> None:
        if self._peek() != token:
            raise TypeSyntaxError(f"expected {token!r} in type {self.text!r}")
        self.pos += 1

    def union(self) -> Type:
        parts = [self.postfix()]
        while self._peek() == "|":
            self.pos += 1
            parts.append(self.postfix())
        return union(*parts)

    def postfix(self) -> Type:
        t = self.atom()
        while self._peek() == "?":
            self.pos += 1
            t = optional(t)
        return t

    def atom(self) -> Type:
        token = self._peek()
        if token is None:
            raise TypeSyntaxError(f"incomplete type {self.text!r}")
        self.pos += 1
        if token == "(":
            inner = self.union()
            self._expect(")")
            return inner
        if token in ("list", "unresolved"):
            self._expect("[")
            inner = self.union()
            self._expect("]")
            return list_of(inner) if token == "list" else unresolved(inner)
        if token in SCALARS:
            return SCALARS[token]
        if re.fullmatch(r"T[0-9]*", token):
            return TypeVar(token)
        raise TypeSyntaxError(f"unknown type {token!r} in {self.text!r}")


# --- list literal element inference (§C.4) ------------------------------------------------------


def unify_elements(a: Type, b: Type) -> Optional[Type]:
    """The common element type of two list elements, or None when they cannot share a list."""
    if a == b:
        return a
    if ANY in (a, b):
        return ANY
    if {a, b} == {INT, FLOAT}:
        return FLOAT
    if {a, b} == {PATH, STRING}:
        return STRING
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        if a.element == NULL:
            return b
        if b.element == NULL:
            return a
        inner = unify_elements(a.element, b.element)
        return None if inner is None or isinstance(inner, ListOf) else ListOf(inner)
    return None


# --- coercion toward a target type set (§C.3) ---------------------------------------------------


class Fit(enum.Enum):
    ALWAYS = "always"  # every value of the type is accepted (possibly after coercion)
    MAYBE = "maybe"  # depends on the value (e.g. string -> int only when the text is an integer)
    NEVER = "never"


def _scalar_targets(targets: tuple) -> list:
    return [t for t in targets if isinstance(t, Scalar) and t not in (NULL, ANY, NORETURN)]


def _list_targets(targets: tuple) -> list:
    return [t for t in targets if isinstance(t, ListOf) and t.element != NULL]


def coercion_target(source: Type, target: Type) -> tuple:
    """For one concrete (non-union) source type: `(fit, resulting type)` toward `target`."""
    targets = members(target)
    if source in targets or ANY in targets or source in (ANY, NORETURN):
        return Fit.ALWAYS, source
    if source == NULL:
        return Fit.NEVER, source
    scalars = _scalar_targets(targets)
    lists = _list_targets(targets)
    if source == INT and FLOAT in targets and INT not in targets:
        return Fit.ALWAYS, FLOAT
    if source == PATH and STRING in targets and PATH not in targets:
        return Fit.ALWAYS, STRING
    if source == RANGE_EXPR and RANGE_EXPR not in targets:
        if STRING in targets:
            return Fit.ALWAYS, STRING
        if ListOf(INT) in targets:
            return Fit.ALWAYS, ListOf(INT)
    if isinstance(source, ListOf):
        if source.element == NULL and any(isinstance(t, ListOf) for t in targets):
            return Fit.ALWAYS, next(t for t in targets if isinstance(t, ListOf))
        if len(lists) == 1:
            fit, element = coercion_target(source.element, lists[0].element)
            return fit, ListOf(element)
        return Fit.NEVER, source
    if len(scalars) == 1 and isinstance(source, Scalar):
        return _scalar_coercion(source, scalars[0])
    return Fit.NEVER, source


def _scalar_coercion(source: Scalar, goal: Scalar) -> tuple:
    if goal == STRING and source in (BOOL, INT, FLOAT, PATH, RANGE_EXPR):
        return Fit.ALWAYS, STRING
    if goal == PATH and source == STRING:
        return Fit.ALWAYS, PATH
    if goal == INT and source in (FLOAT, STRING):
        return Fit.MAYBE, INT
    if goal == FLOAT and source == INT:
        return Fit.ALWAYS, FLOAT
    if goal == FLOAT and source == STRING:
        return Fit.MAYBE, FLOAT
    return Fit.NEVER, source


def target_fit(source: Type, target: Type) -> Fit:
    """How a value of static type `source` fits a field whose target type is `target`.
    `unresolved` is looked through; a union fits ALWAYS only if every member does."""
    fits = {coercion_target(m, target)[0] for m in members(source)}
    if fits == {Fit.ALWAYS}:
        return Fit.ALWAYS
    if fits == {Fit.NEVER}:
        return Fit.NEVER
    return Fit.MAYBE


def fits_target(source: Type, target: Type) -> bool:
    """False only when no value of type `source` can fill a field of type `target`."""
    return target_fit(source, target) is not Fit.NEVER
