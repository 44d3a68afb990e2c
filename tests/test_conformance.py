"""The OpenJD conformance suite run through the real pipeline, with a per-folder score.

A template fixture whose name contains `.invalid.` must get at least one error; any other must get
none. Fixtures under `proposed/` and session-level `.invalid.` job tests are scored, never asserted.
`conformance_known_gaps.txt` lists the fixtures the linter cannot get right yet; a listed fixture
that starts passing fails the run, so the list only shrinks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import openjd_lint.rules
from openjd_lint.pipeline import lint_bytes
from openjd_lint.findings import Severity
from openjd_lint.load.yaml_loader import load_bytes
from openjd_lint.load.tree import to_plain

from conftest import FolderScore

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
KNOWN_GAPS_FILE = Path(__file__).with_name("conformance_known_gaps.txt")
MISSING = f"conformance fixtures not found at {CONFORMANCE} (expected ../shared/conformance next to the repo)"


def _relative(path: Path) -> str:
    return path.relative_to(CONFORMANCE).as_posix()


def _fixtures(pattern: str) -> list:
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING))]
    paths = sorted(path for path in CONFORMANCE.glob(pattern) if path.is_file())
    return [pytest.param(path, id=_relative(path)) for path in paths]


def _known_gaps() -> dict:
    gaps = {}
    for number, line in enumerate(KNOWN_GAPS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        path, _, reason = line.partition("\t")
        assert reason.strip(), f"{KNOWN_GAPS_FILE.name}:{number}: `path<TAB>reason` expected, got {line!r}"
        gaps[path] = reason.strip()
    return gaps


KNOWN_GAPS = _known_gaps()


def _errors(data: bytes, name: str) -> list:
    result = lint_bytes(data, name, openjd_lint.rules.REGISTRY)
    return [d for d in result.diagnostics if d.severity == Severity.ERROR]


def _describe(errors: list) -> str:
    return "\n".join(f"  {d.line}:{d.column} {d.rule} {d.message}" for d in errors) or "  (no errors)"


def _score(scores: dict, path: Path, asserted: bool) -> FolderScore:
    label = _relative(path.parent) + ("" if asserted else " [reported]")
    return scores.setdefault(label, FolderScore(asserted))


def _judge(scores: dict, path: Path, right: bool, asserted: bool, details: str) -> None:
    key = _relative(path)
    gap = KNOWN_GAPS.get(key)
    _score(scores, path, asserted).record(right, known_gap=gap is not None)
    if not asserted:
        return
    if gap is not None:
        if right:
            pytest.fail(f"{key} now passes: remove it from {KNOWN_GAPS_FILE.name}", pytrace=False)
        pytest.xfail(f"known gap: {gap}")
    if not right:
        pytest.fail(f"{key}\n{details}", pytrace=False)


@pytest.mark.parametrize("path", _fixtures("2023-09/**/*_templates/**/*"))
def test_template_verdict(path: Path, conformance_scores: dict) -> None:
    invalid = ".invalid." in path.name
    errors = _errors(path.read_bytes(), path.name)
    expectation = "must be rejected" if invalid else "must be accepted"
    _judge(conformance_scores, path, right=bool(errors) == invalid, asserted="proposed" not in path.parts,
           details=f"{expectation}; the linter reported:\n{_describe(errors)}")


@pytest.mark.parametrize("path", _fixtures("2023-09/*/jobs/*.test.yaml"))
def test_job_test_templates(path: Path, conformance_scores: dict) -> None:
    """Each template of a session-level test checked on its own. A valid test's templates must all be
    accepted; an `.invalid.` test is rejected only by session-level checks, so it is just reported."""
    loaded = load_bytes(path.read_bytes(), path.name, is_json=False)
    document = to_plain(loaded.root)
    templates = {"template": document["template"]}
    templates.update({f"environments[{i}]": env for i, env in enumerate(document.get("environments") or [])})
    reports = []
    for where, template in templates.items():
        errors = _errors(json.dumps(template).encode(), f"{path.name}:{where}.json")
        if errors:
            reports.append(f"{where}:\n{_describe(errors)}")
    invalid = ".invalid." in path.name
    _judge(conformance_scores, path, right=bool(reports) == invalid, asserted=not invalid,
           details="every template must be accepted; the linter reported:\n" + "\n".join(reports))


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=MISSING)
def test_known_gaps_name_existing_fixtures() -> None:
    missing = [path for path in KNOWN_GAPS if not (CONFORMANCE / path).is_file()]
    assert not missing, f"{KNOWN_GAPS_FILE.name} lists fixtures that do not exist: {missing}"
