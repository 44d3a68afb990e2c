"""repr_* serialisation, byte for byte against the tables of functions.md §8."""

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openjd_lint.expr.evaluate import evaluate
from openjd_lint.expr.parser import parse_expression
from openjd_lint.expr.quoting import repr_cmd, repr_json, repr_pwsh, repr_py, repr_sh, sh_quote
from openjd_lint.expr.types import STRING, ListOf
from openjd_lint.expr.values import EvalError, ListValue


def ev(text):
    return evaluate(parse_expression(text), {})


@pytest.mark.parametrize(
    "expression, expected",
    [
        ('"hello"', "hello"),
        ('"hello world"', "'hello world'"),
        ('""', "''"),
        ('"it\'s"', "'it'\"'\"'s'"),
        ('"100%"', "100%"),
        ('"a^b"', "'a^b'"),
        (r'r"a\b"', "'a\\b'"),
        ('["echo", "hello world", "it\'s"]', "echo 'hello world' 'it'\"'\"'s'"),
        ('path("/tmp/my dir/f.txt")', "'/tmp/my dir/f.txt'"),
    ],
)
def test_repr_sh_table(expression, expected):
    assert repr_sh(ev(expression)) == expected
    assert ev(f"repr_sh({expression})") == expected


@pytest.mark.parametrize(
    "expression, expected",
    [
        ('"hello"', "hello"),
        ('"a & b"', '"a & b"'),
        ('"a ^ b"', '"a ^^ b"'),
        ('"100%"', '"100%%"'),
        ('\'say "hi"\'', '"say ^"hi^""'),
        ('"hello!"', '"hello^^!"'),
        ('"a\\nb"', "ab"),
        (r'r"C:\Program Files\App"', r'"C:\Program Files\App"'),
        ('["echo", "hello & world", ""]', 'echo "hello & world" ""'),
        ('"it\'s"', "it's"),
        ('"$HOME"', "$HOME"),
        (r'r"a\b"', r"a\b"),
        ('"x*y"', "x*y"),
        ('"naïve"', "naïve"),
    ],
)
def test_repr_cmd_table(expression, expected):
    assert repr_cmd(ev(expression)) == expected
    assert ev(f"repr_cmd({expression})") == expected


@pytest.mark.parametrize(
    "expression, expected",
    [
        ('"it\'s"', "'it''s'"),
        ('"$HOME"', "'$HOME'"),
        ("42", "42"),
        ("true", "$true"),
        ('["a", "b"]', "@('a', 'b')"),
        ("[[1, 2], [3]]", "@(@(1, 2), @(3))"),
        ('range_expr("1-10")', "'1-10'"),
        ('path("/x/it\'s")', "'/x/it''s'"),
        ("null", "$null"),
        ("[]", "@()"),
    ],
)
def test_repr_pwsh_table(expression, expected):
    assert repr_pwsh(ev(expression)) == expected
    assert ev(f"repr_pwsh({expression})") == expected


@pytest.mark.parametrize(
    "expression, expected",
    [
        ('"hello\\nworld"', "'hello\\nworld'"),
        ('"it\'s"', '"it\'s"'),
        ("'a\"b'", "'a\"b'"),
        (r'r"a\b"', "'a\\\\b'"),
        ("[true, false]", "[True, False]"),
        ("null", "None"),
        ('["a", "b"]', "['a', 'b']"),
        ('path("/a/b")', "'/a/b'"),
        ('range_expr("1-10")', "'1-10'"),
        ("[1, 2.5]", "[1.0, 2.5]"),
        ("1.50", "1.50"),
    ],
)
def test_repr_py_table(expression, expected):
    assert repr_py(ev(expression)) == expected
    assert ev(f"repr_py({expression})") == expected


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("null", "null"),
        ("[true, false]", "[true, false]"),
        ('path("/a")', '"/a"'),
        ('range_expr("1-3")', '"1-3"'),
        ("[1, 2, 3]", "[1, 2, 3]"),
        ('"say \\"hi\\"\\n\\\\"', '"say \\"hi\\"\\n\\\\"'),
        ('"naïve"', '"na\\u00efve"'),
        ("1.50", "1.50"),
    ],
)
def test_repr_json_table(expression, expected):
    assert repr_json(ev(expression)) == expected
    assert ev(f"repr_json({expression})") == expected


@given(st.text())
def test_repr_sh_is_shlex_quote(text):
    assert sh_quote(text) == shlex.quote(text)
    assert repr_sh(text) == shlex.quote(text)


@given(st.lists(st.text(), max_size=5))
def test_repr_sh_of_a_list_is_shlex_join(items):
    assert repr_sh(ListValue(tuple(items), ListOf(STRING))) == shlex.join(items)


@pytest.mark.parametrize("expression", ["repr_sh(1)", "repr_cmd(1)", "repr_sh([1])"])
def test_shell_quoting_has_no_number_overload(expression):
    with pytest.raises(EvalError, match="No matching signature"):
        ev(expression)
