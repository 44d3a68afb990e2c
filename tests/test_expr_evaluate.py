"""Evaluation semantics, format-string rendering, resource bounds, and a differential test
against the reference engine (`openjd.expr` of openjd-model 0.14.0)."""

import time

import pytest

from openjd_lint.expr.ast import FormatString, Interpolation
from openjd_lint.expr.evaluate import EvalError, Environment, evaluate, render_format_string
from openjd_lint.expr.parser import parse_expression
from openjd_lint.expr.types import parse_type
from openjd_lint.expr.values import Float, ListValue, PathValue, to_string, type_of


def run(text, values=None, env=None):
    return evaluate(parse_expression(text), values or {}, env=env)


def test_float_source_text_passes_through_until_computed():
    values = {"Param.V": Float(3.5, "3.500")}
    assert to_string(run("Param.V", values)) == "3.500"
    assert to_string(run("[Param.V]", values)) == "[3.500]"
    assert to_string(run("Param.V + 1", values)) == "4.5"
    assert to_string(run("1e10")) == "1e10"


def test_plain_python_values_are_accepted_as_symbol_values():
    values = {"Param.Names": ["a", "b"], "Param.Ratio": 0.5, "x": 2}
    assert to_string(run("Param.Names.join('-') + string(Param.Ratio * x)", values)) == "a-b1.0"


def test_comprehension_variables_are_scoped_to_the_comprehension():
    assert to_string(run("[x + y for x in [1, 2]]", {"y": 10})) == "[11, 12]"
    with pytest.raises(EvalError, match="Unknown name 'x'"):
        run("[x for x in [1]] + [x]")


def test_short_circuit_skips_errors():
    assert run("True or 1 / 0") is True
    assert run("1 < 0 < 1 / 0") is False
    assert run("2 if True else 1 / 0") == 2


def test_error_offsets_point_at_the_failing_sub_expression():
    with pytest.raises(EvalError) as caught:
        run("1 + (2 // 0)")
    assert (caught.value.start, caught.value.end) == (5, 11)


@pytest.mark.parametrize(
    "text, message",
    [
        ('list(range_expr("1-1000000000000000000"))', "operation count"),
        ("range(1000000000000)", "operation count"),
        ('[x for x in range_expr("1-100000000")]', "exceeded limit"),
        ('"x" * 100000000000', "memory usage"),
        ('["x" * 1000000 for i in range(1000)]', "exceeded limit"),
        ("[1] * 100000000000", "exceeded limit"),
        ("range(5000000) + range(5000000) + range(5000000)", "more work than the linter allows"),
        ("range(20000000) + range(5000000)", "operation count"),
        ('[x for x in range_expr("1-20000000") if x < 0]', "operation count"),
    ],
)
def test_resource_bounds_fail_fast(text, message):
    started = time.monotonic()
    with pytest.raises(EvalError, match=message):
        run(text)
    assert time.monotonic() - started < 5


def test_limits_are_configurable():
    with pytest.raises(EvalError, match="operation count"):
        run("range(100)", env=Environment(operation_limit=50))


def test_huge_ranges_stay_compact():
    assert run('len(range_expr("1-1000000000000000000"))') == 10**18
    assert run('sum(range_expr("1-1000000000"))') == 500000000500000000
    assert run('1000000000000 in range_expr("1-1000000000000000000:3")') is True
    assert to_string(run('range_expr("1-1000000000000000000")[1::2]')) == "2-1000000000000000000:2"


def _format(value, *pieces):
    """A FormatString from literal strings and `(expression text)` tuples."""
    parts, offset = [], 0
    for piece in pieces:
        if isinstance(piece, tuple):
            text = piece[0]
            parts.append(Interpolation(offset, offset + len(text) + 4, offset + 2, offset + 2 + len(text), text,
                                       parse_expression(text, offset + 2)))  # fmt: skip
            offset += len(text) + 4
        else:
            parts.append(piece)
            offset += len(piece)
    return FormatString(value, tuple(parts))


def test_whole_field_yields_the_typed_value():
    values = {"Param.Cameras": ["a", "b"], "WrappedAction.Timeout": None, "Param.N": 3}
    fs = _format("{{Param.Cameras}}", ("Param.Cameras",))
    assert render_format_string(fs, values, target=parse_type("string? | list[string]")) == ListValue(
        ("a", "b"), parse_type("list[string]")
    )
    timeout = _format("{{WrappedAction.Timeout}}", ("WrappedAction.Timeout",))
    assert render_format_string(timeout, values, target=parse_type("int?")) is None
    assert render_format_string(_format("{{Param.N}}", ("Param.N",)), values, target=parse_type("float")) == Float(3.0)


def test_text_rendering_of_interpolations():
    values = {"WrappedAction.Timeout": None, "Param.Names": ["a", "b c"], "Param.P": PathValue("/x"), "b": True}
    fs = _format("t={{WrappedAction.Timeout}} n={{Param.Names}} p={{Param.P}} b={{b}}",
                 "t=", ("WrappedAction.Timeout",), " n=", ("Param.Names",), " p=", ("Param.P",), " b=", ("b",))  # fmt: skip
    assert render_format_string(fs, values) == 't= n=["a", "b c"] p=/x b=true'


def test_target_coercion_failures_are_errors():
    with pytest.raises(EvalError, match="Cannot convert"):
        render_format_string(_format("{{'abc'}}", ("'abc'",)), {}, target=parse_type("int?"))
    with pytest.raises(EvalError, match="Cannot convert nulltype to string"):
        render_format_string(_format("{{null}}", ("null",)), {}, target=parse_type("string"))
    assert render_format_string(_format("x{{1}}", "x", ("1",)), {}, target=parse_type("string")) == "x1"
    assert render_format_string(_format("{{'/a//b'}}", ("'/a//b'",)), {}, target=parse_type("path")) == PathValue("/a/b")


# --- differential test against the reference engine ---------------------------------------------

openjd_expr = pytest.importorskip("openjd.expr", reason="the reference engine (openjd-model 0.14.0) is not installed")

AGREED = [
    "1 + 2", "7 // 2", "-7 // 2", "-7 % 3", "-7.5 % 2", "7.5 // 2", "2 ** -1", "10 / 4", "1 + 2.5", "-2 ** 2",
    "1.50", "string(1.50)", "1e10", "string(1e22 * 10)", "string(0.1 + 0.2)", "[1, 2.5]", "[[1], [2.5]]",
    "'a' + 'b'", "'ab' * 3", "'ab' * -1", "[1] * 2", "[1, 2] + [2.5]", "[] + [1]", "range_expr('1-3') + [1]",
    "range_expr('1-3') + range_expr('5-6')", "range_expr('1-5') + 'x'", "'x' + range_expr('1-5')",
    "range_expr('10-15:2,1-5')", "range_expr('1-3,4-6')", "range_expr('5-1:-2')", "range_expr([1, 2, 3, 5, 7, 9])",
    "range_expr('1-10')[2:5]", "range_expr('1-10')[2]", "range_expr('1-10')[-1]", "range_expr('1-9')[::2]",
    "range_expr('1-3')[::-1]", "len(range_expr('1-1000000000000000000'))", "sum(range_expr('1-3'))",
    "max(range_expr('1-3'))", "min(1, 2.5)", "min([1, 2])", "sum([1, 2.5])", "sum([])", "abs(-2)", "floor(2.5)",
    "ceil(2.1)", "round(2.5)", "round(3.5, 2)", "round(2.675, 2)", "round(-0.4)", "int(3.0)", "int(' 5 ')",
    "float(1)", "bool('Yes')", "string(True)", "string(null)", "string([])", "string([[1], []])",
    "string(['a', 'b c'])", "string([1.5, 2])", "string([path('/a')])", "1 == True", "1 == 1.0",
    "'a' < path('b')", "[1, 2] < [1, 2, 0]", "True < False", "range_expr('1-5') == [1, 2, 3, 4, 5]",
    "[1] == [1.0]", "1 in [1.5]", "1 in []", "path('/a') == '/a'", "null or 5", "0 or 5", "False and 1",
    "'abc'[-1]", "[1, 2][1:]", "[1, 2, 3][-5:10]", "range(3)[::-1]", "flatten([[1], [2, 3]])", "flatten([])",
    "sorted(['b', 'a'])", "sorted([[2], [1]])", "unique([1, 2, 1])", "reversed([1, 2])", "any([])", "all([])",
    "[x * 2 for x in range(4) if x > 1]", "title(\"they're\")", "'a b  c'.split()", "'KEY=v=1'.rsplit('=', 1)",
    "'a,b,'.split(',')", "''.split()", "''.split(',')", "['a', 'b'].join(',')", "'7'.zfill(3)", "zfill(-1, 3)",
    "zfill(3.14, 8)", "'banana'.count('an')", "'abc'.find('z')", "'  a '.strip()", "'Ab'.lower()",
    "'abc'.center(7)", "re_match('ab', '(a)(x)?')", "re_findall('a1b22', '([a-z])([0-9]+)')",
    "re_findall('ab', 'x')", "re_split('a1b2c', '[0-9]', 1)", "re_split('a1b2c', '([0-9])')",
    "re_escape('a.b c-d#&~')", "re_sub('aaa', 'a', 'b')", "re_search('abc', '(?i)B')", "re_match('abc', 'b')",
    "path('/a/b.tar.gz').stem", "path('/a/b.tar.gz').suffixes", "path('/a') + 'b'", "path('/a/') + 'b'",
    "path('/a') / 'b'", "path('/a') / '/c'", "path('s3://b/x/') / 'y'", "path('s3://b/a//b').parts",
    "path('/').parent", "path('a').parent", "path('').parts", "path('/a/b/../c').parts", "path('/a/./b')",
    "path('a//b/')", "path('s3://bucket').parent", "path('s3://bucket/a').parent", "path('s3://bucket/a').name",
    "with_number(path('/a/f_001.exr'), 7)", "with_number('f.####.exr', -3)", "with_number('f', 3)",
    "path('/a/b.txt').with_suffix('.png')", "path('/a/b').relative_to(path('/a'))", "repr_py([1, 2.5])",
    "repr_json(1.50)", "repr_json('naïve')", "repr_json([1, 2.5])", "repr_pwsh(1.50)", "repr_pwsh(null)",
    "repr_json(range_expr('1-3'))", "repr_py('é\\x01\\x7f')", "repr_pwsh(range_expr('1-3'))", "repr_cmd([])",
    "repr_sh([])", "repr_sh(['a b', 'c'])", "repr_cmd('a & b')", "repr_pwsh([[1, 2], [3]])",
    "1 / 0", "2 ** 63", "0 ** -1", "(-8) ** 0.5", "1e308 * 10", "float('1e400')", "3 - True", "'abc'[5]",
    "'abc'[::0]", "'a' in [1, 2]", "[1, null]", "min([])", "upper(5)", "path('/a').upper()", "ljust('a', 3.0)",
    "re_sub('aaa', 'a', '\\\\1')", "re_search('abc', '(?=b)')", "re_search('abc', '')", "3 * 'a'", "2 * [1]",
    "sorted(range_expr('1-3'))", "list(range_expr('1-1000000000000000000'))",
]  # fmt: skip

# [Δ] cases left out on purpose (the spec digest says the reference differs):
#   repr_sh of quotes/backslashes/`%`/`^` (spec = shlex.quote); round(x, -n) of a float (spec: int);
#   range_expr("1 - -1") and "1-10:4,10-15" (spec table vs reference); with_suffix("/a", ".x") coercion;
#   range_expr([1, 3, 4, 5]) compaction text (unspecified); Param.P[0] (reference misses it statically).


def _reference(text):
    try:
        value = openjd_expr.evaluate_expression(text)
    except Exception:  # noqa: BLE001  (any reference failure is an expression error)
        return "error"
    return f"{value.type}: {value}"


def _ours(text):
    try:
        value = run(text)
    except EvalError:
        return "error"
    return f"{type_of(value)}: {to_string(value)}"


@pytest.mark.parametrize("text", AGREED)
def test_agrees_with_the_reference_engine(text):
    assert _ours(text) == _reference(text)
