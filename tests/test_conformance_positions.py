"""Invalid fixtures whose error lies inside a format string (or a `let` expression) are reported on that
string: at a line and columns that hold text of the offending string value.

A fixture's error "lies inside a format string" when the expression rules (X family) are what reject
it: without them it would pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openjd_lint.pipeline import lint_bytes
from openjd_lint.findings import Severity
from openjd_lint.load.tree import MapNode, ScalarNode, SeqNode
from openjd_lint.rule_api import Registry
from openjd_lint.rules import REGISTRY

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
WITHOUT_EXPRESSION_RULES = Registry(rule for rule in REGISTRY if not rule.id.startswith("X"))


def _errors(result) -> list:
    return [d for d in result.diagnostics if d.severity == Severity.ERROR]


def _rejected_only_by_expression_rules() -> list:
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"conformance fixtures not found at {CONFORMANCE}"))]
    paths = sorted(p for p in CONFORMANCE.glob("2023-09/*/*_templates/*.invalid.*") if p.is_file())
    selected = [p for p in paths if not _errors(lint_bytes(p.read_bytes(), p.name, WITHOUT_EXPRESSION_RULES))]
    assert len(selected) >= 40, "the conformance suite has far more format-string fixtures than this"
    return [pytest.param(p, id=p.relative_to(CONFORMANCE).as_posix()) for p in selected]


def _string_scalars(node, in_let: bool = False):
    """(scalar, whether it is an item of a `let` list) for every string scalar."""
    if isinstance(node, ScalarNode):
        if isinstance(node.value, str):
            yield node, in_let
    elif isinstance(node, MapNode):
        for key, value in node.entries:
            yield from _string_scalars(key)
            yield from _string_scalars(value, in_let=key.value == "let")
    elif isinstance(node, SeqNode):
        for item in node.items:
            yield from _string_scalars(item, in_let)


def _scalar_holding(root, line: int, column: int):
    for scalar, in_let in _string_scalars(root):
        if scalar.start <= (line, column) < scalar.end:
            return scalar, in_let
    return None, False


@pytest.mark.parametrize("path", _rejected_only_by_expression_rules())
def test_format_string_errors_point_into_the_string(path):
    result = lint_bytes(path.read_bytes(), path.name, REGISTRY)
    expression_errors = [d for d in _errors(result) if d.rule.startswith("X")]
    assert expression_errors, "the expression rules are what reject this fixture, so they must report it"
    for diagnostic in expression_errors:
        scalar, in_let = _scalar_holding(result.context.root, diagnostic.line, diagnostic.column)
        assert scalar is not None, f"{diagnostic.rule} at {diagnostic.line}:{diagnostic.column} is not inside a string"
        assert in_let or "{{" in scalar.value, "the string is neither a format string nor a `let` item"
        if diagnostic.end_line == diagnostic.line:
            written = result.source.line_text(diagnostic.line)[diagnostic.column - 1:diagnostic.end_column - 1]
            assert written.strip(), f"{diagnostic.rule} underlines nothing"
            raw = result.source.text[scalar.start_index:scalar.end_index]
            assert written in raw
