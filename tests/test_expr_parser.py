"""EXPR parser: AST shapes with offsets, every rejected construct with its columns, and a
differential check of accept/reject against the reference parser on grammar-generated input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from openjd_lint.expr.ast import (
    Attribute, Binary, Call, Compare, Conditional, Index, ListComp, ListDisplay, Literal, Name, Slice, Unary,
)
from openjd_lint.expr import parser as parser_module
from openjd_lint.expr.parser import ExprSyntaxError, parse_expression


def test_names_keep_dotted_parts_and_keywords_after_a_dot():
    assert parse_expression("Param.if") == Name(0, 8, ("Param", "if"))
    assert parse_expression("Task . Param . True") == Name(0, 19, ("Task", "Param", "True"))
    assert parse_expression(" Param.X ", offset=10) == Name(11, 18, ("Param", "X"))


def test_method_call_splits_receiver_and_function():
    call = parse_expression("Param.Files.split(';')[:3]", offset=2)
    assert isinstance(call, Slice) and call.lower is None and call.upper == Literal(26, 27, 3, "3")
    inner = call.value
    assert isinstance(inner, Call)
    assert (inner.function, inner.function_start, inner.function_end) == ("split", 14, 19)
    assert inner.receiver == Name(2, 13, ("Param", "Files"))
    assert inner.args == (Literal(20, 23, ";", "';'"),)


def test_attribute_on_an_expression():
    node = parse_expression("(a / b).stem")
    assert isinstance(node, Attribute) and node.name == "stem" and node.name_start == 8
    assert isinstance(node.value, Binary) and node.value.op == "/" and node.value.op_start == 3


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("00", 0), ("1_000", 1000), ("0x_1F", 31), ("0o17", 15), ("0b1010", 10),
    ("9223372036854775807", 2**63 - 1), ("-9223372036854775808", -(2**63)),
    ("1.", 1.0), (".5", 0.5), ("1e10", 1e10), ("1.5E-3", 1.5e-3), ("1_0.0_1", 10.01),
    ("'a' \"b\"", "ab"), ("r'\\n'", "\\n"), ("'\\x41\\u00e9\\U0001F600\\N{BULLET}\\t'", "Aé😀•\t"),
    ("'''a\nb'''", "a\nb"), ("'\\q'", "\\q"), ("True", True), ("false", False), ("null", None), ("None", None),
])
def test_literals(text, value):
    node = parse_expression(text)
    assert isinstance(node, Literal) and node.value == value and type(node.value) is type(value)
    assert node.text == text and (node.start, node.end) == (0, len(text))


def test_precedence_and_chains():
    node = parse_expression("-2**2")
    assert isinstance(node, Unary) and isinstance(node.operand, Binary) and node.operand.op == "**"
    node = parse_expression("a or b and not c == d")
    assert node.op == "or" and node.right.op == "and" and node.right.right.op == "not"
    assert isinstance(node.right.right.operand, Compare)
    node = parse_expression("1 < x <= 3 not in y")
    assert node.ops == ("<", "<=", "not in") and len(node.operands) == 4
    node = parse_expression("a if b else c if d else e")
    assert isinstance(node, Conditional) and isinstance(node.orelse, Conditional)
    assert parse_expression("a\n+\nb").op == "+"
    assert parse_expression("x # a comment") == Name(0, 1, ("x",))


def test_lists_and_comprehensions():
    assert parse_expression("[1, 2,]") == ListDisplay(0, 7, (Literal(1, 2, 1, "1"), Literal(4, 5, 2, "2")))
    node = parse_expression("[v * 2 for v in Param.L if v > 1]")
    assert isinstance(node, ListComp) and (node.variable, node.variable_start, node.variable_end) == ("v", 11, 12)
    assert isinstance(node.condition, Compare)
    node = parse_expression("x[1:-1:2]")
    assert isinstance(node, Slice) and isinstance(node.upper, Unary) and node.step.value == 2
    assert isinstance(parse_expression("x[0]"), Index)


@pytest.mark.parametrize("text, message, start, end", [
    ("", "Empty expression", 0, 0),
    ("a & b", "Bitwise AND (&) is not supported", 2, 3),
    ("a | b", "Bitwise OR (|) is not supported", 2, 3),
    ("a ^ b", "Bitwise XOR (^) is not supported", 2, 3),
    ("a << b", "Left shift (<<) is not supported", 2, 4),
    ("a >> b", "Right shift (>>) is not supported", 2, 4),
    ("~a", "Bitwise NOT (~) is not supported", 0, 2),
    ("a @ b", "Matrix multiply (@) is not supported", 2, 3),
    ("a is b", "'is' operator is not supported; use '=='", 2, 4),
    ("a is not b", "'is not' operator is not supported; use '!='", 2, 8),
    ("{'a': 1}", "Dict literals are not supported", 0, 8),
    ("{}", "Dict literals are not supported", 0, 2),
    ("{1, 2}", "Set literals are not supported", 0, 6),
    ("(1, 2)", "Tuple literals are not supported; use a list instead", 0, 6),
    ("()", "Tuple literals are not supported", 0, 2),
    ("x[1, 2]", "Tuple literals are not supported", 2, 6),
    ("lambda x: x", "Lambda expressions are not supported", 0, 11),
    ("(y := 1)", "Walrus operator (:=) is not supported", 1, 7),
    ("f'{x}'", "f-strings are not supported", 0, 6),
    ("b'x'", "Byte strings", 0, 4),
    ("f(x=1)", "Keyword arguments are not supported", 2, 5),
    ("f(*a)", "Star expressions are not supported", 2, 4),
    ("f(**a)", "Keyword arguments are not supported", 2, 5),
    ("[x for x in a for y in b]", "Multiple 'for' clauses", 0, 25),
    ("[x for x in a if b if c]", "Multiple 'if' clauses", 0, 24),
    ("[x for X in a]", "Loop variable 'X' must match", 7, 8),
    ("(x for x in a)", "Generator expressions are not supported", 0, 14),
    ("x.__add__(1)", "Cannot call '__add__' directly", 2, 9),
    ("__len__(x)", "Cannot call '__len__' directly", 0, 7),
    ("await x", "Await expressions are not supported", 0, 7),
    ("yield x", "Yield expressions are not supported", 0, 7),
    ("...", "Ellipsis (...) is not supported", 0, 3),
    ("a if b", "expected 'else'", 0, 6),
    ("a = 1", "assignment is not supported", 2, 3),
    ("a; b", "statements are not supported", 1, 2),
    ("a b", "unexpected name 'b'", 2, 3),
    ("a +", "incomplete after '+'", 2, 3),
    ("x[]", "expected an index or a slice", 1, 3),
    ("f(a)(b)", "only a function name or a method can be called", 0, 4),
    ("if", "'if' is a keyword", 0, 2),
    ("$x", "invalid character '$'", 0, 1),
    ("a\\\nb", "backslash", 1, 2),
    ("'abc", "unterminated string literal", 0, 4),
    ("x + '''abc", "unterminated string literal", 4, 10),
    ("007", "leading zeros", 0, 3),
    ("1__0", "invalid number literal", 0, 4),
    ("0x", "invalid hexadecimal literal", 0, 2),
    ("0b12", "invalid binary literal", 0, 4),
    ("42.zfill(5)", "needs parentheses", 0, 8),
    ("1j", "Complex literals are not supported", 0, 2),
    ("1e999", "too large", 0, 5),
    ("9223372036854775808", "outside the int64 range", 0, 19),
    ("1 - 9223372036854775808", "outside the int64 range", 4, 23),
    ("'\\x4'", "truncated \\x escape", 1, 4),
    ("'\\N{NO SUCH NAME}'", "unknown Unicode character name", 1, 17),
    ("u'x'", "u'...' string prefix", 0, 4),
])
def test_rejected_syntax_has_a_specific_message_and_exact_columns(text, message, start, end):
    with pytest.raises(ExprSyntaxError) as caught:
        parse_expression(text, offset=3)
    error = caught.value
    assert message in error.message
    assert (error.start, error.end) == (start + 3, end + 3)


def test_depth_is_bounded():
    with pytest.raises(ExprSyntaxError, match="nested more than"):
        parse_expression("(" * 10_000 + "x" + ")" * 10_000)
    with pytest.raises(ExprSyntaxError):
        parse_expression("(" * 10_000)
    with pytest.raises(ExprSyntaxError, match="nested more than"):
        parse_expression("not " * 5_000 + "x")
    with pytest.raises(ExprSyntaxError, match="nested more than"):
        parse_expression("+".join(["x"] * 5_000))
    assert isinstance(parse_expression("+".join(["x"] * 50)), Binary)


# -- grammar-generated expressions: parse, structural round trip, reference agreement ----------

NAMES = st.sampled_from(["Param.X", "Task.Param.Frame", "x", "_y", "Param.if", "Param.True", "Env.File.A"])
INTS = st.integers(0, 2**63 - 1)
FLOATS = st.floats(allow_nan=False, allow_infinity=False, min_value=0)
STRINGS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)


def _atom():
    return st.one_of(
        NAMES.map(lambda n: (n, ("name", n))),
        INTS.map(lambda v: (str(v), ("lit", v))),
        FLOATS.map(lambda v: (repr(v), ("lit", v))),
        STRINGS.map(lambda v: (repr(v), ("lit", v))),
        st.sampled_from([("True", ("lit", True)), ("null", ("lit", None)), ("false", ("lit", False))]),
    )


def _compose(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "//", "%", "**", "and", "or"]), children).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", ("bin", t[1], t[0][1], t[2][1])))
    compare = st.tuples(children, st.sampled_from(["<", ">", "<=", ">=", "==", "!=", "in", "not in"]), children).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", ("cmp", (t[1],), (t[0][1], t[2][1]))))
    unary = st.tuples(st.sampled_from(["-", "+", "not"]), children).map(
        lambda t: (f"({t[0]} {t[1][0]})", ("un", t[0], t[1][1])))
    conditional = st.tuples(children, children, children).map(
        lambda t: (f"({t[0][0]} if {t[1][0]} else {t[2][0]})", ("if", t[0][1], t[1][1], t[2][1])))
    items = st.lists(children, max_size=3)
    display = items.map(lambda xs: ("[" + ", ".join(x[0] for x in xs) + "]", ("list", tuple(x[1] for x in xs))))
    call = st.tuples(st.sampled_from(["len", "upper", "f"]), items).map(
        lambda t: (f"{t[0]}(" + ", ".join(x[0] for x in t[1]) + ")", ("call", t[0], None, tuple(x[1] for x in t[1]))))
    method = st.tuples(children, st.sampled_from(["upper", "join", "if"]), items).map(
        lambda t: (f"({t[0][0]}).{t[1]}(" + ", ".join(x[0] for x in t[2]) + ")",
                   ("call", t[1], t[0][1], tuple(x[1] for x in t[2]))))
    index = st.tuples(children, children).map(lambda t: (f"({t[0][0]})[{t[1][0]}]", ("index", t[0][1], t[1][1])))
    slicing = st.tuples(children, st.none() | children, st.none() | children).map(
        lambda t: (f"({t[0][0]})[{t[1][0] if t[1] else ''}:{t[2][0] if t[2] else ''}]",
                   ("slice", t[0][1], t[1] and t[1][1], t[2] and t[2][1], None)))
    comprehension = st.tuples(children, children, st.none() | children).map(
        lambda t: (f"[{t[0][0]} for v in {t[1][0]}" + (f" if {t[2][0]}" if t[2] else "") + "]",
                   ("comp", t[0][1], "v", t[1][1], t[2] and t[2][1])))
    return st.one_of(binary, compare, unary, conditional, display, call, method, index, slicing, comprehension)


EXPRESSIONS = st.recursive(_atom(), _compose, max_leaves=12)


def _canonical(node):
    if isinstance(node, Name):
        return ("name", node.dotted)
    if isinstance(node, Literal):
        return ("lit", node.value)
    if isinstance(node, Binary):
        return ("bin", node.op, _canonical(node.left), _canonical(node.right))
    if isinstance(node, Compare):
        return ("cmp", node.ops, tuple(_canonical(o) for o in node.operands))
    if isinstance(node, Unary):
        return ("un", node.op, _canonical(node.operand))
    if isinstance(node, Conditional):
        return ("if", _canonical(node.body), _canonical(node.condition), _canonical(node.orelse))
    if isinstance(node, ListDisplay):
        return ("list", tuple(_canonical(i) for i in node.items))
    if isinstance(node, Call):
        receiver = _canonical(node.receiver) if node.receiver is not None else None
        return ("call", node.function, receiver, tuple(_canonical(a) for a in node.args))
    if isinstance(node, Index):
        return ("index", _canonical(node.value), _canonical(node.index))
    if isinstance(node, Slice):
        return ("slice", _canonical(node.value), node.lower and _canonical(node.lower),
                node.upper and _canonical(node.upper), node.step and _canonical(node.step))
    if isinstance(node, ListComp):
        return ("comp", _canonical(node.element), node.variable, _canonical(node.iterable),
                node.condition and _canonical(node.condition))
    raise AssertionError(f"unexpected node {node!r}")


def _offsets_nest(node, text_length):
    assert 0 <= node.start <= node.end <= text_length
    for value in vars(node).values():
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            if hasattr(child, "start") and hasattr(child, "end") and not isinstance(child, (int, str)):
                assert node.start <= child.start and child.end <= node.end
                _offsets_nest(child, text_length)


@settings(max_examples=120, deadline=None)
@given(EXPRESSIONS)
def test_generated_expressions_round_trip(generated):
    text, expected = generated
    node = parse_expression(text)
    assert _canonical(node) == expected
    _offsets_nest(node, len(text))


@settings(max_examples=80, deadline=None)
@given(EXPRESSIONS)
def test_reference_parser_accepts_what_we_accept(generated):
    reference = pytest.importorskip("openjd.expr")
    try:
        reference.parse_expression(generated[0])
    except reference.ExpressionError as error:
        # Nested comprehensions reusing a variable: a scope rule, checked after parsing here.
        assert "shadows" in str(error), str(error)


REJECTED_BY_BOTH = [
    "a & b", "a is b", "{1: 2}", "{1}", "(1, 2)", "lambda: 1", "(x := 1)", "f'x'", "f(x=1)", "f(*a)",
    "[x for x in a for y in b]", "007", "a +", "a b", "1__0", "'abc", "a if b", "~a", "[x for X in a]",
]


@pytest.mark.parametrize("text", REJECTED_BY_BOTH)
def test_reference_parser_rejects_what_we_reject(text):
    reference = pytest.importorskip("openjd.expr")
    with pytest.raises(ExprSyntaxError):
        parse_expression(text)
    with pytest.raises(Exception):
        reference.parse_expression(text)


@pytest.mark.parametrize("text", [
    "Param.Frame", " Task.Param.Frame ", "repr_sh(Param.Camera)", "repr_sh( path( RawParam.Scene ) )",
    "f()", "f( )", "len(Param.X)", "a(b(c(d(e(f(g(h(Param.X))))))))", "a(b(c(d(e(f(g(h(i(Param.X)))))))))",
    "\u00e9t\u00e9(Param.\u00c9t\u00e9)", "repr_sh(Param.X)\n", "f(\tParam.X\n)",
    # what the fast paths hand to Lark: it decides, and reports errors
    "True(Param.X)", "f(None)", "f(if)", "__import__(Param.X)", "f(Param.X.)", "f(Param .X)", "f(Param.X))",
    "f(Param.X", "f(x)(y)", "f(x) + 1", "f(x, y)", "Param.X.f()", "f(x # note\n)", "f(1)", "f(Param.__class__)",
])
def test_fast_paths_build_what_lark_builds(text):
    """`parse_expression` skips Lark for plain references and plain calls (a run that meets only
    those never imports it); the result, or the error, is exactly what Lark's path gives."""
    def outcome(parse):
        try:
            return parse(text, 7)
        except ExprSyntaxError as error:
            return repr(error)
    assert outcome(parse_expression) == outcome(parser_module._parse_with_lark)
