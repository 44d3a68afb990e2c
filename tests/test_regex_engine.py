"""The regex functions match in linear time (RE2) with the meaning Python's `re` gives the pattern.

The differential test draws patterns from the syntax the spec allows and compares every function with
Python's `re` on the same text, except where RE2 (like Rust's `regex` and the reference) decides
differently by design: `$` before a final newline, `\\b` next to a non-ASCII word character, `\\B` in
an empty text (as Python 3.14 does), and a
non-empty match preferred after an empty one at the same position (the module docstring of
`openjd_lint.expr.library.regex_engine` lists them).
"""

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openjd_lint.expr.evaluate import evaluate
from openjd_lint.expr.library.regex import _compile, compile_pattern
from openjd_lint.expr.parser import parse_expression
from openjd_lint.expr.values import EvalError, ListValue


def call(function: str, *args):
    values = {f"a{i}": arg for i, arg in enumerate(args)}
    result = evaluate(parse_expression(f"{function}({', '.join(values)})"), values)
    if isinstance(result, ListValue):
        return [list(item.items) if isinstance(item, ListValue) else item for item in result.items]
    return result


def python_matches(pattern: str, text: str) -> list:
    """Python's matches, advancing one character after an empty match as RE2 does."""
    compiled = re.compile(pattern)
    found, position = [], 0
    while position <= len(text):
        m = compiled.search(text, position)
        if m is None:
            break
        found.append(m)
        position = m.end() + 1 if m.end() == m.start() else m.end()
    return found


def groups_of(m) -> list:
    return [m.group(0), *(g or "" for g in m.groups())]


def test_a_catastrophic_pattern_is_answered_at_once():
    # Python's backtracking takes minutes here (time doubles with each "a"); the child would be killed
    code = ("from openjd_lint.expr.evaluate import evaluate; from openjd_lint.expr.parser import parse_expression;"
            "print(evaluate(parse_expression(\"re_match('\" + 'a' * 60 + \"!', '(a+)+$')\"), {}))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert completed.stdout.strip() == "None", completed.stderr


@pytest.mark.parametrize("function, args, expected", [
    ("re_findall", ("a٠b7", "\\d"), ["٠", "7"]),  # Unicode digits, as in Python (RE2's \d is ASCII)
    ("re_findall", ("ab é_ç2", "\\w+"), ["ab", "é_ç2"]),
    ("re_findall", ("a\u00a0b\u2003c", "\\s"), ["\u00a0", "\u2003"]),
    ("re_findall", ("aé1 ", "[^\\W\\d]"), ["a", "é"]),
    ("re_search", ("AbC", "(?i)[^\\W\\d]+"), ["AbC"]),
    ("re_findall", ("a1 b2", "(?x) [a-z] \\d  # verbose mode, as Python reads it"), ["a1", "b2"]),
    ("re_search", ("aaa", "a{,2}"), ["aa"]),  # Python's spelling of {0,2}
    ("re_search", ("é", "\\u00e9"), ["é"]),
    ("re_search", ("a\nb", "(?s)a.b"), ["a\nb"]),
    ("re_search", ("a\nb", "a.b"), None),
    ("re_findall", ("a\nb\n", "(?m)^\\w$"), ["a", "b"]),
    ("re_search", ("KELVIN", "(?i)\u212a"), ["K"]),
    ("re_findall", ("ab", "(a)|b"), ["a", ""]),
    ("re_findall", ("x\ud800y\udfff", "[^xy]"), ["\ud800", "\udfff"]),  # lone surrogates, kept as they are
    ("re_findall", ("x\ud800y", "\\W"), ["\ud800"]),
    ("re_sub", ("a\ud800b", "\ud800", "-"), "a-b"),
    ("re_split", ("a\ud800b\ud800", "[\ud800-\udbff]"), ["a", "b", ""]),
    ("re_match", ("abc\n", "abc$"), None),  # like RE2, Rust and the reference: $ is the end of the text
])  # fmt: skip
def test_python_meaning(function, args, expected):
    assert call(function, *args) == expected


@pytest.mark.parametrize("pattern, message", [
    ("(?a)x", "Unsupported regex feature: ASCII-only matching"),
    ("x*+", "Unsupported regex feature: possessive quantifier"),
    ("a{1001}", "Invalid regex pattern 'a{1001}': invalid repetition size"),
    ("(" * 2000 + ")" * 2000, "Invalid regex pattern"),
])
def test_patterns_refused(pattern, message):
    with pytest.raises(EvalError, match=re.escape(message)):
        _compile(pattern)


ATOMS = st.sampled_from([
    "a", "b", "é", "1", " ", "\\n", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S",
    "[\\w.]", "[^\\s1]", "\\.", "\\u00e9", "^", "$", "\\b", "\\B", "(?:a|)", "x",
])  # fmt: skip


@st.composite
def patterns(draw, depth=0):
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            inner = draw(patterns(depth + 1))
            piece = draw(st.sampled_from(["({})", "(?:{})", "(?i:{})", "({}|b)", "(?:{}|)"])).format(inner)
        else:
            piece = draw(ATOMS)
        quantifier = draw(st.sampled_from(["", "", "*", "+", "?", "{1,2}", "*?", "+?", "??", "{2}"]))
        if piece in ("^", "$", "\\b", "\\B"):
            quantifier = ""
        pieces.append(piece + quantifier)
    return draw(st.sampled_from(["", "(?m)", "(?s)", "(?i)"])) + "".join(pieces)


TEXTS = st.text(alphabet="ab é1 \n._AB", max_size=12)


@settings(max_examples=400, deadline=None)
@given(patterns(), TEXTS)
def test_same_results_as_python_re(pattern, text):
    try:
        re.compile(pattern)
    except re.error:
        return
    if ("\\b" in pattern or "\\B" in pattern) and not text.isascii() or "\\B" in pattern and not text:
        return
    if "$" in pattern and "(?m)" not in pattern and text.endswith("\n"):
        return
    matches = python_matches(pattern, text)
    if any(m.start() == m.end() and re.compile(pattern).match(text, m.start()) and
           any(n.start() == m.start() and n.end() > n.start() for n in re.finditer(pattern, text)) for m in matches):
        return  # a non-empty match Python prefers after an empty one: RE2 moves on (documented)
    first = re.compile(pattern).match(text)
    assert call("re_match", text, pattern) == (groups_of(first) if first else None)
    anywhere = re.compile(pattern).search(text)
    assert call("re_search", text, pattern) == (groups_of(anywhere) if anywhere else None)
    groups = re.compile(pattern).groups
    expected = [m.group(0) if groups == 0 else (m.group(1) or "") if groups == 1 else [g or "" for g in m.groups()]
                for m in matches]
    assert call("re_findall", text, pattern) == expected
    replaced, position = [], 0
    for m in matches:
        replaced += [text[position:m.start()], "<>"]
        position = m.end()
    assert call("re_sub", text, pattern, "<>") == "".join(replaced) + text[position:]


@pytest.mark.parametrize("pattern", ["[[a]]", "[a-z&&b]", "[a--b]", "[a~~b]", "[a||b]"])
def test_class_syntax_that_rust_reads_as_set_operations_is_refused(pattern):
    # Python reads these literally (and warns); Rust nests the class or intersects, subtracts, unites
    with pytest.raises(EvalError, match="Unsupported regex feature: character class set syntax"):
        _compile(pattern)
