"""Format-string scanning (§A.1), the base-language check, `let` items, and the conformance
fixtures' format strings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from openjd_lint.expr.ast import Interpolation, Literal, Name
from openjd_lint.expr.format_string import BRACES, EMPTY, NEEDS_EXPR, SYNTAX, parse_format_string
from openjd_lint.expr.let import parse_let_binding

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"


def _errors(value, expr_enabled=True):
    return [(e.kind, e.start, e.end) for e in parse_format_string(value, expr_enabled)[1]]


def test_plain_text_is_one_literal_part():
    assert parse_format_string("no braces { } here", False)[0].parts == ("no braces { } here",)
    assert parse_format_string("", False)[0].parts == ()


def test_interpolations_and_literal_text():
    result, errors = parse_format_string("a {{ Param.X }} b {{Task.Y}}}", False)
    assert errors == []
    first, second = result.interpolations
    assert result.parts[0] == "a " and result.parts[2] == " b " and result.parts[4] == "}"
    assert (first.start, first.end, first.expr_start, first.expr_end) == (2, 15, 4, 13)
    assert first.expr == Name(5, 12, ("Param", "X"))
    assert second.expr == Name(20, 26, ("Task", "Y"))
    assert result.whole_field is None
    assert parse_format_string("{{x}}", True)[0].whole_field == Interpolation(0, 5, 2, 3, "x", Name(2, 3, ("x",)))


@pytest.mark.parametrize("value, expected", [
    ("a }} b", [(BRACES, 2, 4)]),
    ("}} {{ x }}", [(BRACES, 0, 2)]),
    ("{{ a", [(BRACES, 0, 2)]),
    ("{{}}", [(EMPTY, 0, 4)]),
    ("{{  }} ok {{x}}", [(EMPTY, 0, 6)]),
    ("{{{Param.X}}", [(SYNTAX, 9, 10)]),
    ('{{ "}}" }}', [(SYNTAX, 3, 4), (BRACES, 8, 10)]),
    ("{{}} {{ 1 + }} }} {{x", [(EMPTY, 0, 4), (SYNTAX, 10, 11), (BRACES, 15, 17), (BRACES, 18, 20)]),
])
def test_every_problem_is_reported_with_offsets(value, expected):
    assert _errors(value) == expected


def test_without_expr_only_an_exact_dotted_name_is_allowed():
    assert _errors("{{ Param.X }}", False) == []
    assert _errors("{{ Param . X }}", False) == []  # the reference accepts it (ambiguity 4)
    assert _errors("{{ Param.X + 1 }}", False) == [(NEEDS_EXPR, 3, 14)]
    assert _errors("{{ (Param.X) }}", False) == [(NEEDS_EXPR, 4, 11)]
    assert _errors("{{ true }}", False) == [(NEEDS_EXPR, 3, 7)]
    assert "EXPR" in parse_format_string("{{ 1 }}", False)[1][0].message
    assert _errors("{{ Param.X + }}", False) == [(SYNTAX, 11, 12)]
    result, _ = parse_format_string("{{ 1 }}", True)
    assert result.interpolations[0].expr == Literal(3, 4, 1, "1")


def _cpu_seconds(value: str, expr_enabled: bool) -> float:
    started = time.process_time()
    parse_format_string(value, expr_enabled)
    return time.process_time() - started


def test_scanning_stays_linear():
    result, errors = parse_format_string("{{Param.X}} " * 100_000, False)
    assert errors == [] and len(result.interpolations) == 100_000
    for unit in ("{{Param.X}} ", "}} ", "a" * 50 + "{{x}}"):
        small = min(_cpu_seconds(unit * 2_000, True) for _ in range(2))
        large = min(_cpu_seconds(unit * 16_000, True) for _ in range(2))
        assert large < 8 * small * 2, (unit, small, large)  # quadratic growth would be 64x


@pytest.mark.parametrize("item, name, errors", [
    ("a = 1", ("a", 0, 1), []),
    (" x\t=\tParam.X + 1", ("x", 1, 2), []),
    ("a = b == c", ("a", 0, 1), []),
    ("a == 1", ("a", 0, 1), [("'==' compares", 2, 4)]),
    ("a: int = 1", ("a: int", 0, 6), [("type annotations", 0, 6)]),
    ("Abc = 1", ("Abc", 0, 3), [("lowercase", 0, 3)]),
    ("a b = 1", ("a b", 0, 3), [("single identifier", 0, 3)]),
    ("if = 1", ("if", 0, 2), [("keyword", 0, 2)]),
    ("= 1", ("", 0, 0), [("needs a name", 0, 1)]),
    ("a = 1 +", ("a", 0, 1), [("incomplete", 6, 7)]),
    ("x" * 513 + " = 1", ("x" * 513, 0, 513), [("maximum is 512", 0, 513)]),
])
def test_let_items(item, name, errors):
    binding, problems = parse_let_binding(item)
    assert (binding.name, binding.name_start, binding.name_end) == name
    assert [(e.start, e.end) for e in problems] == [(start, end) for _, start, end in errors]
    for (fragment, _, _), problem in zip(errors, problems):
        assert fragment in problem.message


def test_let_item_without_equals():
    binding, problems = parse_let_binding("just_a_name")
    assert binding is None and (problems[0].start, problems[0].end) == (0, 11)


def _strings(value, in_let=False):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, key == "let")
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child, in_let)
    elif isinstance(value, str):
        yield value, in_let


def _valid_templates():
    if not (CONFORMANCE / "INDEX.tsv").is_file():
        return []
    rows = [line.split("\t") for line in (CONFORMANCE / "INDEX.tsv").read_text().splitlines()[1:]]
    return [row[0] for row in rows if row[1] == "valid" and row[4] == "no" and "template" in row[3]]


@pytest.mark.skipif(not (CONFORMANCE / "INDEX.tsv").is_file(), reason=f"conformance fixtures not found at {CONFORMANCE}")
def test_format_strings_and_let_items_of_valid_fixtures_parse():
    yaml = YAML(typ="safe")
    failures = []
    for relative in _valid_templates():
        document = yaml.load((CONFORMANCE / relative).read_text(encoding="utf-8"))
        expr_enabled = "EXPR" in (document.get("extensions") or [])
        for value, in_let in _strings(document):
            if in_let:
                problems = parse_let_binding(value)[1]
            elif "{{" in value or "}}" in value:
                problems = parse_format_string(value, expr_enabled)[1]
            else:
                continue
            failures.extend((relative, value, problem) for problem in problems)
    assert failures == []
