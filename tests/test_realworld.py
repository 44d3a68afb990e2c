"""Real templates in a default run: every one the reference accepts gets no error-severity finding, every one
it rejects gets at least one.

Two corpora: `../shared/realworld` (templates from public repositories, with the reference's verdicts in
INDEX.tsv; skipped when missing) and `realworld_patterns/` next to this file (templates written for this
project after the patterns of the submitters' default templates; a name with `.invalid.` must be rejected, and
the reference, openjd-model 0.14.0, must agree with the name)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from openjd_lint.findings import Severity
from openjd_lint.pipeline import lint_file
from openjd_lint.rules import REGISTRY

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
PATTERNS = Path(__file__).with_name("realworld_patterns")


def _shared_templates() -> list:
    if not REALWORLD.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(
            reason=f"real-world templates not found at {REALWORLD} (expected ../shared/realworld next to the repo)"))]
    with open(REALWORLD / "INDEX.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [pytest.param(row["path"], row["expected"], id=row["path"]) for row in rows]


def _errors(path: Path) -> list:
    result = lint_file(path.read_bytes(), str(path), REGISTRY)
    return [f"{d.line}:{d.column} {d.rule} {d.message}" for d in result.diagnostics if d.severity is Severity.ERROR]


@pytest.mark.parametrize("path, expected", _shared_templates())
def test_shared_realworld_templates_get_the_reference_verdict(path, expected):
    errors = _errors(REALWORLD / path)
    if expected == "valid":
        assert errors == []
    else:
        assert expected == "invalid" and errors


@pytest.mark.parametrize("path", sorted(PATTERNS.glob("*.yaml")), ids=lambda path: path.name)
def test_templates_in_the_patterns_of_real_ones_get_the_verdict_their_name_says(path):
    errors = _errors(path)
    assert bool(errors) == (".invalid." in path.name), errors


@pytest.mark.parametrize("path", sorted(PATTERNS.glob("*.yaml")), ids=lambda path: path.name)
def test_the_reference_agrees_with_the_names_of_the_pattern_templates(path):
    pytest.importorskip("openjd.model")
    from test_empty_keys import reference_accepts

    assert reference_accepts(yaml.safe_load(path.read_text(encoding="utf-8"))) == (".invalid." not in path.name)
