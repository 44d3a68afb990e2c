"""`<CombinationExpr>` (schema.md §3.4.3): `A * (B, C)` — products and parenthesised associations.

```
comb := elem ("*" elem)*          elem := Identifier | "(" comb ("," comb)+ ")"
```
`parse_combination` checks the syntax; `check_combination` the rules that need the step's task
parameters (each exactly once, no unknown names, chunked parameters outside associations, equal
value counts inside an association when they are known).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Mapping, Optional, Union

MAX_LENGTH = 1280
_TOKEN = re.compile(r"(?P<space> +)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[*(),])|(?P<bad>.)", re.DOTALL)


@dataclass(frozen=True)
class ParameterRef:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Product:
    """`a * b * …`: every combination of the factors' values."""

    factors: tuple  # tuple[Node, ...], at least two
    start: int
    end: int


@dataclass(frozen=True)
class Association:
    """`(a, b, …)`: the members' values taken side by side (all members need as many values)."""

    members: tuple  # tuple[Node, ...]
    start: int
    end: int


Node = Union[ParameterRef, Product, Association]


@dataclass(frozen=True)
class CombinationError:
    message: str
    start: int
    end: int


def parse_combination(text: str) -> tuple[Optional[Node], list[CombinationError]]:
    errors: list[CombinationError] = []
    if not text.strip(" "):
        return None, [CombinationError("the combination expression is empty", 0, len(text))]
    if len(text) > MAX_LENGTH:
        errors.append(CombinationError(
            f"the combination expression is {len(text)} characters long; the maximum is {MAX_LENGTH}",
            MAX_LENGTH, len(text)))
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "bad":
            char = match.group()
            what = {"\t": "a tab", "\n": "a line break", "\r": "a line break"}.get(char, repr(char))
            errors.append(CombinationError(
                f"{what} is not allowed: only parameter names, spaces, '*', '(', ')' and ',' are",
                match.start(), match.end()))
        elif kind != "space":
            tokens.append((kind, match.group(), match.start(), match.end()))
    if errors:
        return None, errors
    parser = _Parser(tokens, len(text))
    try:
        tree = parser.combination()
        parser.expect_end()
    except _Failure as failure:
        return None, [failure.error]
    return tree, []


def parameter_refs(node: Node) -> list[ParameterRef]:
    """Every name in the expression, in the order written."""
    if isinstance(node, ParameterRef):
        return [node]
    children = node.factors if isinstance(node, Product) else node.members
    return [ref for child in children for ref in parameter_refs(child)]


def check_combination(node: Node, parameters: Collection[str], chunked: Collection[str] = (),
                      value_counts: Optional[Mapping[str, int]] = None) -> list[CombinationError]:
    """Rules against the step's task parameters. `value_counts` gives the number of values of the
    parameters whose range is known statically; associations of known sizes must agree."""
    errors: list[CombinationError] = []
    seen: dict = {}
    for ref in parameter_refs(node):
        if ref.name not in parameters:
            errors.append(CombinationError(f"'{ref.name}' is not a task parameter of this step", ref.start, ref.end))
        elif ref.name in seen:
            errors.append(CombinationError(f"'{ref.name}' appears more than once", ref.start, ref.end))
        seen.setdefault(ref.name, ref)
    missing = [name for name in parameters if name not in seen]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        errors.append(CombinationError(f"every task parameter must appear exactly once; missing: {names}",
                                       node.start, node.end))
    errors.extend(_chunked_in_association(node, set(chunked), inside=False))
    if value_counts is not None:
        _size(node, value_counts, errors)
    return errors


def _chunked_in_association(node: Node, chunked: set, inside: bool) -> list:
    if isinstance(node, ParameterRef):
        if inside and node.name in chunked:
            return [CombinationError(f"'{node.name}' is a CHUNK[INT] parameter; it cannot be inside an "
                                     "association '( , )'", node.start, node.end)]
        return []
    children = node.factors if isinstance(node, Product) else node.members
    inside = inside or isinstance(node, Association)
    return [error for child in children for error in _chunked_in_association(child, chunked, inside)]


def _size(node: Node, value_counts: Mapping[str, int], errors: list) -> Optional[int]:
    """Number of value tuples the node yields, None when some count is unknown."""
    if isinstance(node, ParameterRef):
        return value_counts.get(node.name)
    if isinstance(node, Product):
        sizes = [_size(factor, value_counts, errors) for factor in node.factors]
        if None in sizes:
            return None
        total = 1
        for size in sizes:
            total *= size
        return total
    sizes = [_size(member, value_counts, errors) for member in node.members]
    known = {size for size in sizes if size is not None}
    if len(known) > 1:
        described = ", ".join("?" if size is None else str(size) for size in sizes)
        errors.append(CombinationError(
            f"the members of an association must have the same number of values; they have {described}",
            node.start, node.end))
        return None
    return known.pop() if known and None not in sizes else None


class _Failure(Exception):
    def __init__(self, error: CombinationError):
        super().__init__(error.message)
        self.error = error


class _Parser:
    """Recursive descent; nesting is bounded by the 1280-character limit checked by the caller."""

    def __init__(self, tokens: list, length: int):
        self.tokens = tokens
        self.index = 0
        self.length = length
        self.depth = 0

    def _peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else ("end", "", self.length, self.length)

    def _fail(self, message: str, token) -> None:
        raise _Failure(CombinationError(message, token[2], max(token[3], token[2] + 1) if token[0] != "end"
                                        else token[3]))

    def combination(self) -> Node:
        factors = [self.element()]
        while self._peek()[1] == "*":
            self.index += 1
            factors.append(self.element())
        if len(factors) == 1:
            return factors[0]
        return Product(tuple(factors), factors[0].start, factors[-1].end)

    def element(self) -> Node:
        token = self._peek()
        if token[0] == "name":
            self.index += 1
            following = self._peek()
            if following[0] == "name":
                self._fail(f"missing '*' or ',' between '{token[1]}' and '{following[1]}'", following)
            return ParameterRef(token[1], token[2], token[3])
        if token[1] != "(":
            expected = "the end of the expression" if token[0] == "end" else repr(token[1])
            self._fail(f"expected a task parameter name or '(' but found {expected}", token)
        self.depth += 1
        if self.depth > 100:
            self._fail("the combination expression is nested too deeply", token)
        self.index += 1
        members = [self.combination()]
        while self._peek()[1] == ",":
            self.index += 1
            members.append(self.combination())
        closing = self._peek()
        if closing[1] != ")":
            found = "the end of the expression" if closing[0] == "end" else repr(closing[1])
            self._fail(f"expected ',' or ')' but found {found}", closing)
        self.index += 1
        self.depth -= 1
        if len(members) < 2:
            raise _Failure(CombinationError(
                "a parenthesised association needs at least two members separated by ','", token[2], closing[3]))
        return Association(tuple(members), token[2], closing[3])

    def expect_end(self) -> None:
        token = self._peek()
        if token[0] != "end":
            self._fail(f"unexpected {token[1]!r}: expected '*' or the end of the expression", token)
