"""Arbitrary input never escapes as anything but ExprSyntaxError / returned errors, with offsets
inside the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from openjd_lint.expr.format_string import parse_format_string
from openjd_lint.expr.let import parse_let_binding
from openjd_lint.expr.parser import ExprSyntaxError, parse_expression

EXPRESSION_ALPHABET = st.sampled_from(list("ab_xP.()[]{},:;+-*/%<>=!&|^~@'\"\\#rfbuj0179eE \n\t$é")
                                      + ["if", "else", "for", "in", "not", "and", "or", "is", "lambda",
                                         "None", "true", "'''", "0x", "1_0", "**", "//", ":=", "...", "__x__"])
EXPRESSION_TEXT = st.lists(EXPRESSION_ALPHABET, max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(EXPRESSION_TEXT, st.integers(0, 5))
def test_parse_expression_raises_only_syntax_errors_inside_the_text(text, offset):
    try:
        node = parse_expression(text, offset)
    except ExprSyntaxError as error:
        assert offset <= error.start <= error.end <= offset + len(text), (error, text)
        assert error.message
    else:
        assert offset <= node.start <= node.end <= offset + len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_expression_on_any_unicode(text):
    try:
        parse_expression(text)
    except ExprSyntaxError as error:
        assert 0 <= error.start <= error.end <= len(text)


FORMAT_TEXT = st.lists(st.sampled_from(["{{", "}}", "{", "}", " ", "Param.X", "1 +", "'", "x", "\n"]),
                       max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(FORMAT_TEXT, st.booleans())
def test_format_strings_return_errors_inside_the_value(value, expr_enabled):
    result, errors = parse_format_string(value, expr_enabled)
    assert result.value == value
    rebuilt = "".join(part if isinstance(part, str) else value[part.start:part.end] for part in result.parts)
    assert rebuilt == value
    for error in errors:
        assert 0 <= error.start <= error.end <= len(value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab =:Z1\t+(", max_size=15))
def test_let_items_return_errors_inside_the_item(item):
    binding, errors = parse_let_binding(item)
    assert binding is not None or errors
    for error in errors:
        assert 0 <= error.start <= error.end <= len(item)


@pytest.mark.parametrize("text", [
    "(" * 10_000, ")" * 10_000, "[" * 10_000 + "]" * 10_000, "-" * 10_000 + "1",
    "x" + ".y" * 10_000, "x" + "[0]" * 10_000, "f(" * 5_000 + ")" * 5_000, "'" + "\\" * 10_001,
])
def test_pathological_input_is_a_syntax_error_or_a_tree(text):
    try:
        parse_expression(text)
    except ExprSyntaxError as error:
        assert 0 <= error.start <= error.end <= len(text)
