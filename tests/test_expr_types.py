"""The EXPR type universe: names, normalisation, list inference and coercion (format-strings.md §C)."""

import pytest

from openjd_lint.expr import types as T
from openjd_lint.expr.types import Fit, parse_type, target_fit


@pytest.mark.parametrize(
    "text",
    ["bool", "int", "float", "string", "path", "range_expr", "nulltype", "int?", "list[string]",
     "list[list[int]]", "int | string", "unresolved[list[path]]", "list[int]?", "bool | int | nulltype"],
)  # fmt: skip
def test_type_names_round_trip(text):
    assert str(parse_type(text)) == text
    assert parse_type(str(parse_type(text))) == parse_type(text)


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("string | int", "int | string"),
        ("int | (string | int)", "int | string"),
        ("nulltype | int", "int?"),
        ("int | int", "int"),
        ("int | noreturn", "int"),
        ("noreturn", "noreturn"),
        ("int | any", "any"),
        ("list[unresolved[int]]", "unresolved[list[int]]"),
        ("int | unresolved[string]", "unresolved[int | string]"),
        ("unresolved[unresolved[int]]", "unresolved[int]"),
        ("int??", "int?"),
        ("(int | string)?", "int | string | nulltype"),
    ],
)
def test_union_normalisation(text, normalised):
    assert str(parse_type(text)) == normalised


@pytest.mark.parametrize("bad", ["", "integer", "list[int", "int |", "list[]", "int ! "])
def test_bad_type_names_are_rejected(bad):
    with pytest.raises(T.TypeSyntaxError):
        parse_type(bad)


def test_nullability_helpers():
    assert T.is_nullable(parse_type("unresolved[int?]"))
    assert not T.is_nullable(T.INT)
    assert T.without_null(parse_type("unresolved[int?]")) == parse_type("unresolved[int]")
    assert T.list_depth(parse_type("list[list[int]]")) == 2


@pytest.mark.parametrize(
    "a, b, unified",
    [
        ("int", "int", "int"),
        ("int", "float", "float"),
        ("path", "string", "string"),
        ("list[int]", "list[float]", "list[float]"),
        ("list[path]", "list[string]", "list[string]"),
        ("list[nulltype]", "list[int]", "list[int]"),
        ("int", "string", None),
        ("bool", "int", None),
        ("int", "list[int]", None),
    ],
)
def test_list_element_inference(a, b, unified):
    result = T.unify_elements(parse_type(a), parse_type(b))
    assert (str(result) if result is not None else None) == unified


@pytest.mark.parametrize(
    "source, target, fit",
    [
        ("int", "float", Fit.ALWAYS),
        ("int", "int | float", Fit.ALWAYS),
        ("path", "string", Fit.ALWAYS),
        ("range_expr", "string", Fit.ALWAYS),
        ("range_expr", "list[int]", Fit.ALWAYS),
        ("list[nulltype]", "list[path]", Fit.ALWAYS),
        ("list[int]", "list[float]", Fit.ALWAYS),
        ("bool", "string", Fit.ALWAYS),
        ("string", "path", Fit.ALWAYS),
        ("string", "int?", Fit.MAYBE),
        ("float", "int", Fit.MAYBE),
        ("string", "float", Fit.MAYBE),
        ("int?", "int", Fit.MAYBE),
        ("int?", "int?", Fit.ALWAYS),
        ("bool", "int", Fit.NEVER),
        ("int", "bool", Fit.NEVER),
        ("nulltype", "string", Fit.NEVER),
        ("list[string]", "int?", Fit.NEVER),
        ("string", "list[string] | int", Fit.MAYBE),
        ("string", "list[string] | bool", Fit.NEVER),
        ("unresolved[string]", "int?", Fit.MAYBE),
        ("list[string]", "string? | list[string]", Fit.ALWAYS),
    ],
)
def test_coercion_toward_target(source, target, fit):
    assert target_fit(parse_type(source), parse_type(target)) is fit
    assert T.fits_target(parse_type(source), parse_type(target)) is (fit is not Fit.NEVER)
