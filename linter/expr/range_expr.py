"""`<IntRangeExpr>` (schema.md §3.4.1.1.1): parse, check, count and, on request, expand.

Semantics follow the spec, not the reference (schema.md "Open ambiguities" 6): `a-b` yields a,
a+1, … up to b, so a descending `a-b` yields just `a` (`"1 - -1"` is `[1]`); `a-b:n` steps by n,
counting down when n < 0. Two elements overlap when their closed intervals [min(a,b), max(a,b)]
intersect (`"1-10:4,10-15"` is an error although 10 is not a value of the first element).
Counting never expands, so `"1-9223372036854775807"` costs no memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from openjd_lint.load.numerals import abbreviated, to_int

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_ELEMENT = re.compile(
    r"[ \t]*(?P<start>[-+]?[0-9]+)"
    r"(?:[ \t]*-[ \t]*(?P<stop>[-+]?[0-9]+)(?:[ \t]*:[ \t]*(?P<step>[-+]?[0-9]+))?)?[ \t]*")


@dataclass(frozen=True)
class RangeElement:
    """One comma-separated element; `start`/`end` are its character offsets in the text."""

    first: int
    bound: int
    step: int
    start: int
    end: int

    @property
    def count(self) -> int:
        if (self.bound - self.first) * self.step <= 0:
            return 1
        return (self.bound - self.first) // self.step + 1

    @property
    def low(self) -> int:
        return min(self.first, self.bound)

    @property
    def high(self) -> int:
        return max(self.first, self.bound)

    def values(self) -> range:
        return range(self.first, self.first + self.count * self.step, self.step)


@dataclass(frozen=True)
class IntRangeExpr:
    elements: tuple  # tuple[RangeElement, ...] in the order written


@dataclass(frozen=True)
class RangeExprError:
    message: str
    start: int
    end: int


def parse_range_expr(text: str) -> tuple[Optional[IntRangeExpr], list[RangeExprError]]:
    """The expression, or None with every problem found (each with offsets into `text`)."""
    errors: list[RangeExprError] = []
    elements: list[RangeElement] = []
    if not text.strip(" \t"):
        return None, [RangeExprError("a range expression cannot be empty", 0, len(text))]
    position = 0
    for piece in text.split(","):
        element = _element(piece, position, errors)
        if element is not None:
            elements.append(element)
        position += len(piece) + 1
    if not errors:
        errors.extend(_overlaps(elements))
    return (None if errors else IntRangeExpr(tuple(elements))), errors


def count(expr: IntRangeExpr) -> int:
    """How many values the expression has, without expanding it."""
    return sum(element.count for element in expr.elements)


def expand(expr: IntRangeExpr, limit: int) -> Optional[list[int]]:
    """The values in ascending order, or None when there are more than `limit` of them."""
    if count(expr) > limit:
        return None
    values: list[int] = []
    for element in expr.elements:
        values.extend(element.values())
    return sorted(values)


def _element(piece: str, offset: int, errors: list) -> Optional[RangeElement]:
    stripped = piece.strip(" \t")
    content_start = offset + (piece.index(stripped) if stripped else 0)
    content_end = content_start + len(stripped)
    if not stripped:
        errors.append(RangeExprError("empty element: two commas in a row or a comma at an end",
                                     offset, offset + len(piece)))
        return None
    match = _ELEMENT.fullmatch(piece)
    if match is None:
        errors.append(RangeExprError(
            f"{stripped!r} is not a range element: expected 'N', 'A-B' or 'A-B:STEP' with integers",
            content_start, content_end))
        return None
    numbers = {}
    for group in ("start", "stop", "step"):
        text = match.group(group)
        if text is None:
            continue
        start, end = offset + match.start(group), offset + match.end(group)
        if text.startswith("+"):
            errors.append(RangeExprError(f"'+' sign in {text!r}: write the number without it", start, end))
            return None
        value = to_int(text)
        if not INT64_MIN <= value <= INT64_MAX:
            errors.append(RangeExprError(f"{abbreviated(text)} is outside the int64 range ({INT64_MIN} .. {INT64_MAX})",
                                         start, end))
            return None
        numbers[group] = value
    step = numbers.get("step", 1)
    if step == 0:
        errors.append(RangeExprError("the step of a range cannot be 0", offset + match.start("step"),
                                     offset + match.end("step")))
        return None
    first = numbers["start"]
    return RangeElement(first, numbers.get("stop", first), step, content_start, content_end)


def _overlaps(elements: list) -> list:
    errors = []
    ordered = sorted(elements, key=lambda element: (element.low, element.start))
    reach: Optional[RangeElement] = None  # the element reaching furthest so far
    for element in ordered:
        if reach is not None and element.low <= reach.high:
            errors.append(RangeExprError(
                f"this element overlaps an earlier one ({reach.low}..{reach.high})"
                if element.start > reach.start else
                f"this element overlaps a later one ({reach.low}..{reach.high})",
                element.start, element.end))
        if reach is None or element.high > reach.high:
            reach = element
    return errors
