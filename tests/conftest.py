"""Shared test plumbing: the conformance scoreboard printed at the end of every run."""

from __future__ import annotations

import pytest

from openjd_lint.context import SPECIFICATION_VERSIONS, Context, declared_extensions
from openjd_lint.load.tree import to_plain
from openjd_lint.load.yaml_loader import load_bytes

_SCORES = pytest.StashKey[dict]()


class FolderScore:
    def __init__(self, asserted: bool):
        self.asserted = asserted
        self.right = 0
        self.total = 0
        self.known_gaps = 0

    def record(self, right: bool, known_gap: bool = False) -> None:
        self.total += 1
        self.right += right
        self.known_gaps += known_gap


@pytest.fixture(scope="session")
def conformance_scores(request) -> dict:
    """Scoreboard label -> FolderScore, filled by test_conformance and printed in the terminal summary."""
    return request.config.stash.setdefault(_SCORES, {})


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    scores = config.stash.get(_SCORES, None)
    if not scores:
        return
    terminalreporter.section("conformance score")
    right = total = 0
    for label in sorted(scores):
        score = scores[label]
        gaps = f", {score.known_gaps} known gaps" if score.known_gaps else ""
        note = "" if score.asserted else "  (reported, not asserted)"
        terminalreporter.write_line(f"{label:<52} {score.right:>4}/{score.total:<4} right{gaps}{note}")
        if score.asserted:
            right += score.right
            total += score.total
    terminalreporter.write_line(f"{'all asserted fixtures':<52} {right:>4}/{total:<4} right")


def context_of(template: str) -> Context:
    """The Context a rule sees for a YAML template (no schema layer involved)."""
    loaded = load_bytes(template.encode(), "template.yaml")
    assert loaded.root is not None, loaded.findings
    kind = SPECIFICATION_VERSIONS[loaded.root.get("specificationVersion").value]
    return Context(loaded.source, loaded.root, kind, declared_extensions(loaded.root), to_plain(loaded.root))


def run_rule(rule, template: str) -> list:
    """The findings of one rule for a YAML template."""
    return list(rule.check(context_of(template)))


def pytest_addoption(parser) -> None:
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite tests/snapshots/ from the current output instead of comparing with it")
