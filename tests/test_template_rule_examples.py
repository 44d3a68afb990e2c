"""Every T-family rule's `bad` example triggers it and its `good` example does not."""

import pytest
from conftest import run_rule

from openjd_lint.rules import host_requirements, names, parameters, steps, task_parameters

T_RULES = [*names.RULES, *steps.RULES, *parameters.RULES, *host_requirements.RULES, *task_parameters.RULES]


@pytest.mark.parametrize("rule", T_RULES, ids=lambda rule: rule.id)
def test_bad_example_triggers_and_good_example_does_not(rule):
    assert run_rule(rule, rule.bad), f"{rule.id} bad example does not trigger it"
    assert run_rule(rule, rule.good) == [], f"{rule.id} good example triggers it"
