"""`<IntRangeExpr>` values: parsing, canonical segments, compaction of integer lists, slicing."""

from __future__ import annotations

import re

from openjd_lint.expr.values import INT_MAX, INT_MIN, EvalError, RangeValue
from openjd_lint.load.numerals import abbreviated, to_int

_ELEMENT = re.compile(r"[ \t]*(-?[0-9]+)(?:[ \t]*-[ \t]*(-?[0-9]+)(?::(-?[0-9]+))?)?[ \t]*", re.ASCII)


def _bounded(text: str) -> int:
    value = to_int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise EvalError(f"Range expression value {abbreviated(text)} is outside the 64-bit signed range")
    return value


def parse_range(text: str) -> RangeValue:
    """Parse `<IntRangeExpr>` text (schema.md §3.4.1.1.1)."""
    if not text.strip():
        raise EvalError("Range expression is empty")
    written = []  # (low, high) spans as written, for the overlap check
    segments = []
    for element in text.split(","):
        m = _ELEMENT.fullmatch(element)
        if not m:
            raise EvalError(f"Invalid range expression {text!r}: cannot parse {element.strip()!r}")
        start = _bounded(m.group(1))
        end = _bounded(m.group(2)) if m.group(2) is not None else start
        step = _bounded(m.group(3)) if m.group(3) is not None else (1 if end >= start else -1)
        if step == 0:
            raise EvalError(f"Invalid range expression {text!r}: step must not be zero")
        if (end - start) * step < 0:
            end = start  # a range running away from its end holds only its start (spec table)
        low, high = min(start, end), max(start, end)
        last = start + (end - start) // step * step
        first, last = (start, last) if step > 0 else (last, start)
        written.append((low, high))
        segments.append((first, last, abs(step)))
    spans = sorted(written)
    for (_, high), (low, _) in zip(spans, spans[1:]):
        if low <= high:
            raise EvalError(f"Invalid range expression {text!r}: elements overlap")
    return canonical(segments)


def canonical(segments: list) -> RangeValue:
    """Sorted segments; a range continuing another with the same step is merged into it."""
    merged: list = []
    for first, last, step in sorted(segments):
        step = step if first != last else 1
        if merged:
            p_first, p_last, p_step = merged[-1]
            if p_first != p_last and first != last and p_step == step and first == p_last + step:
                merged[-1] = (p_first, last, step)
                continue
        merged.append((first, last, step))
    return RangeValue(tuple(merged))


def compact(values: list) -> RangeValue:
    """The range expression of a set of integers: runs of three or more equally spaced values
    become `a-b[:n]`, anything else stays a single value."""
    ordered = sorted(set(values))
    segments = []
    i = 0
    while i < len(ordered):
        j = i + 1
        if j < len(ordered):
            step = ordered[j] - ordered[i]
            while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == step:
                j += 1
            if j - i >= 2:
                segments.append((ordered[i], ordered[j], step))
                i = j + 1
                continue
        segments.append((ordered[i], ordered[i], 1))
        i += 1
    return canonical(segments)


def slice_range(values: RangeValue, start, stop, step) -> RangeValue:
    """`values[start:stop:step]` for step > 0, computed on segments (never expanded)."""
    length = len(values)
    lo, hi, stride = slice(start, stop, step).indices(length)
    segments = []
    offset = 0
    for first, last, seg_step in values.segments:
        count = (last - first) // seg_step + 1
        begin = max(lo, offset)
        if begin % stride != lo % stride:
            begin += (lo - begin) % stride
        end = min(hi, offset + count)
        if begin < end:
            n = (end - 1 - begin) // stride
            a = first + (begin - offset) * seg_step
            segments.append((a, a + n * stride * seg_step, stride * seg_step))
        offset += count
    return canonical(segments)
