"""What users see, for every rule's bad example: the text report (snippet, caret, hint, notes, fix) and the
JSON, compared with the committed files in tests/snapshots/ (`RULE.txt`, `RULE.json`), so positions and
messages never change silently.

After changing a message or a position on purpose, rewrite them and read the diff:

    python -m pytest tests/test_snapshots.py --update-snapshots
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openjd_lint.reporters import json as json_reporter, text as text_reporter
from openjd_lint.rules import REGISTRY

from rule_examples import example_run

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
RULES = list(REGISTRY)
_RENDERERS = {".txt": lambda run: text_reporter.render(run, color=False), ".json": json_reporter.render}


@pytest.fixture
def update(request) -> bool:
    return request.config.getoption("--update-snapshots")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bad_example_as_users_see_it(rule, update):
    run = example_run(rule, rule.bad)
    found = sorted({d.rule for d in run.diagnostics})
    assert rule.id in found, f"{rule.id} not reported for its bad example; got {found}"
    for suffix, render in _RENDERERS.items():
        path = SNAPSHOTS / f"{rule.id}{suffix}"
        shown = render(run)
        if update:
            SNAPSHOTS.mkdir(exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != shown:
                path.write_text(shown, encoding="utf-8", newline="\n")
            continue
        assert path.exists(), f"no snapshot {path.name}: run `python -m pytest tests/test_snapshots.py --update-snapshots`"
        assert shown == path.read_text(encoding="utf-8"), (
            f"{rule.id}'s bad example is reported differently from {path.name}; if that is intended, run "
            "`python -m pytest tests/test_snapshots.py --update-snapshots` and review the diff")


def test_no_snapshot_of_a_rule_that_is_gone(update):
    expected = {f"{rule.id}{suffix}" for rule in RULES for suffix in _RENDERERS}
    stale = sorted(path.name for path in SNAPSHOTS.iterdir() if path.name not in expected)
    if update:
        for name in stale:
            (SNAPSHOTS / name).unlink()
        return
    assert not stale, f"snapshots of no registered rule: {stale} (--update-snapshots removes them)"
