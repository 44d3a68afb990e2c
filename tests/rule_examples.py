"""A rule's example linted the way its documentation shows it, as the whole run a user would see
(the snapshot tests render it; the documentation tests check which rules it reports)."""

from __future__ import annotations

import pytest

from openjd_lint.bundle import example as bundle_example
from openjd_lint.config import config_finder
from openjd_lint.discover import Target
from openjd_lint.docs import lint_example
from openjd_lint.load import numerals, yaml_loader
from openjd_lint.rule_api import is_bundle_rule
from openjd_lint.rules import REGISTRY
from openjd_lint.run import Options, RunResult, run_targets

from crashing_rule import crashing_rule_registered

# The examples of the limit rules stand for documents too large to write out: they run against a small limit.
_SMALL_LIMITS = {"L012": (yaml_loader, "MAX_NODES", 20), "L013": (numerals, "MAX_DIGITS", 20)}


def example_run(rule, text: str) -> RunResult:
    if rule.id == "L011":
        # No example is larger than the real 10 MB default: the limit is the good example's size.
        options = Options(config_finder(REGISTRY), max_file_size=len(rule.good.encode()))
        return run_targets([Target("example.yaml", explicit=True, data=text.encode())], REGISTRY, options)
    if is_bundle_rule(rule.id):  # a whole bundle, every file of it shown
        return bundle_example.run(text, REGISTRY)
    with pytest.MonkeyPatch.context() as patch:
        if rule.id in _SMALL_LIMITS:
            patch.setattr(*_SMALL_LIMITS[rule.id])
        if rule.id == "M004":  # the examples stand for a rule with a bug
            with crashing_rule_registered():
                result = lint_example(rule, text, REGISTRY)
        else:
            result = lint_example(rule, text, REGISTRY)
    sources = {result.name: result.source} if result.source is not None else {}
    return RunResult(result.diagnostics, files_checked=1, sources=sources)
