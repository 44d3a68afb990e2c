"""<IntRangeExpr>: values, counting without expansion, and errors with offsets (spec semantics)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from openjd_lint.expr.range_expr import count, expand, parse_range_expr


def _values(text):
    expr, errors = parse_range_expr(text)
    assert errors == [], errors
    return expand(expr, 10_000)


@pytest.mark.parametrize("text, values", [
    ("1 - 5", [1, 2, 3, 4, 5]),
    ("1-5:2", [1, 3, 5]),
    ("10-15:2,1-5", [1, 2, 3, 4, 5, 10, 12, 14]),
    ("5-1:-1", [1, 2, 3, 4, 5]),
    ("1 - -1", [1]),  # spec table; the reference rejects it (schema.md ambiguity 6)
    ("-5--1", [-5, -4, -3, -2, -1]),
    ("\t3 ", [3]),
    ("1-6:4", [1, 5]),
    ("-9223372036854775808,9223372036854775807", [-9223372036854775808, 9223372036854775807]),
])
def test_values(text, values):
    assert _values(text) == values


@pytest.mark.parametrize("text, message, start, end", [
    ("", "empty", 0, 0),
    ("1,,2", "empty element", 2, 2),
    ("1-5:0", "step of a range cannot be 0", 4, 5),
    ("1,1", "overlaps an earlier one", 2, 3),
    ("1-10:4,10-15", "overlaps an earlier one", 7, 12),  # spec: declared bounds overlap
    ("1-5:2,2-4:2", "overlaps an earlier one", 6, 11),
    ("+1", "'+' sign", 0, 2),
    ("1 2", "not a range element", 0, 3),
    ("0x10", "not a range element", 0, 4),
    ("1_000", "not a range element", 0, 5),
    ("1-9223372036854775808", "outside the int64 range", 2, 21),
    ("a-b", "not a range element", 0, 3),
])
def test_errors(text, message, start, end):
    expr, errors = parse_range_expr(text)
    assert expr is None
    assert message in errors[0].message
    assert (errors[0].start, errors[0].end) == (start, end)


def test_huge_ranges_are_counted_not_expanded():
    expr, errors = parse_range_expr("-9223372036854775808-9223372036854775807")
    assert errors == []
    assert count(expr) == 2**64
    assert expand(expr, 1024) is None


def test_later_element_overlapping_an_earlier_one_reports_the_earlier_text():
    expr, errors = parse_range_expr("10-20, 1-10")
    assert [(e.start, e.end) for e in errors] == [(0, 5)]
    assert "later one" in errors[0].message


@settings(max_examples=200, deadline=None)
@given(first=st.integers(-50, 50), bound=st.integers(-50, 50), step=st.integers(-7, 7).filter(bool))
def test_count_matches_the_literal_meaning(first, bound, step):
    expr, errors = parse_range_expr(f"{first}-{bound}:{step}")
    assert errors == []
    expected = [first]
    value = first + step
    while (step > 0 and value <= bound) or (step < 0 and value >= bound):
        expected.append(value)
        value += step
    assert count(expr) == len(expected)
    assert expand(expr, 1000) == sorted(expected)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t0123456789-:,+x_", max_size=30))
def test_any_text_gives_a_value_or_errors_never_an_exception(text):
    expr, errors = parse_range_expr(text)
    assert (expr is None) == bool(errors)
    for error in errors:
        assert 0 <= error.start <= error.end <= len(text)
