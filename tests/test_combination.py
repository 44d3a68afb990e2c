"""<CombinationExpr>: syntax, rules against the step's parameters, and offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from openjd_lint.expr.combination import (
    Association, ParameterRef, Product, check_combination, parameter_refs, parse_combination,
)


def test_products_and_associations():
    tree, errors = parse_combination("A * (B, C * D)")
    assert errors == []
    assert isinstance(tree, Product)
    assert isinstance(tree.factors[1], Association)
    assert [ref.name for ref in parameter_refs(tree)] == ["A", "B", "C", "D"]
    assert tree.factors[1].start == 4 and tree.factors[1].end == 14
    assert parse_combination("Frame")[0] == ParameterRef("Frame", 0, 5)


@pytest.mark.parametrize("text, message, start, end", [
    ("", "empty", 0, 0),
    ("A B", "missing '*' or ','", 2, 3),
    ("(A)", "at least two members", 0, 3),
    ("((A,B) * C)", "at least two members", 0, 11),
    ("A *", "expected a task parameter name", 3, 3),
    ("A\t* B", "a tab is not allowed", 1, 2),
    ("A\n* B", "a line break is not allowed", 1, 2),
    ("A - B", "'-' is not allowed", 2, 3),
    ("(A, B", "expected ',' or ')'", 5, 5),
    ("A) ", "unexpected ')'", 1, 2),
    ("A" * 1281, "maximum is 1280", 1280, 1281),
])
def test_syntax_errors(text, message, start, end):
    tree, errors = parse_combination(text)
    assert tree is None
    assert message in errors[0].message, errors
    assert (errors[0].start, errors[0].end) == (start, end)


def test_rules_against_parameters():
    tree, _ = parse_combination("A * (B, A) * Z")
    messages = [(e.message, e.start, e.end) for e in check_combination(tree, ["A", "B", "C"])]
    assert ("'A' appears more than once", 8, 9) in messages
    assert ("'Z' is not a task parameter of this step", 13, 14) in messages
    assert any("missing: 'C'" in m for m, _, _ in messages)


def test_chunked_parameter_inside_an_association():
    tree, _ = parse_combination("(Frame, Cam) * Other")
    errors = check_combination(tree, ["Frame", "Cam", "Other"], chunked={"Frame"})
    assert [(e.start, e.end) for e in errors] == [(1, 6)]
    tree, _ = parse_combination("Frame * Cam")
    assert check_combination(tree, ["Frame", "Cam"], chunked={"Frame"}) == []


def test_association_members_need_equal_counts():
    tree, _ = parse_combination("(A, B * C)")
    assert check_combination(tree, "ABC", value_counts={"A": 6, "B": 2, "C": 3}) == []
    errors = check_combination(tree, "ABC", value_counts={"A": 5, "B": 2, "C": 3})
    assert "5, 6" in errors[0].message and (errors[0].start, errors[0].end) == (0, 10)
    assert check_combination(tree, "ABC", value_counts={"A": 5}) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AB_c1 *(),\t-", max_size=40))
def test_any_text_parses_or_reports(text):
    tree, errors = parse_combination(text)
    assert (tree is None) == bool(errors)
    for error in errors:
        assert 0 <= error.start <= error.end <= len(text)
