"""Every rule is documented, and its own examples prove it: `bad` triggers it, `good` does not."""

import pytest

from openjd_lint.rules import REGISTRY
from openjd_lint.run import lint_example

RULES = list(REGISTRY)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule):
    assert rule.summary and rule.summary.endswith(".")
    assert rule.bad.strip() and rule.good.strip()
    assert rule.bad != rule.good


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bad_example_triggers_the_rule(rule):
    found = {d.rule for d in lint_example(rule, rule.bad, REGISTRY).diagnostics}
    assert rule.id in found, f"{rule.id} not reported for its bad example; got {sorted(found)}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_good_example_is_clean_of_the_rule(rule):
    found = {d.rule for d in lint_example(rule, rule.good, REGISTRY).diagnostics}
    assert rule.id not in found
