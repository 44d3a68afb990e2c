"""Every rule is documented, and its good example does not trigger it (that its bad example does, and
what the user sees of it, is tests/test_snapshots.py)."""

import pytest

from openjd_lint.docs import lint_example
from openjd_lint.rules import REGISTRY

from rule_examples import example_run

RULES = list(REGISTRY)


def _found(rule, text: str) -> set:
    return {d.rule for d in example_run(rule, text).diagnostics}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule):
    assert rule.summary and rule.summary.endswith(".")
    assert rule.bad.strip() and rule.good.strip()
    assert rule.bad != rule.good


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_good_example_is_clean_of_the_rule(rule):
    assert rule.id not in _found(rule, rule.good)


def test_every_rule_id_the_code_names_is_registered():
    import re

    from package_modules import modules

    named = {match for path in modules().values()
             for match in re.findall(r'"([LSTXWQHNMIB][0-9]{3})"', open(path, encoding="utf-8").read())}
    assert named and named <= {rule.id for rule in RULES}, sorted(named - {rule.id for rule in RULES})


def test_the_rules_listing_names_every_severity_a_rule_reports_with():
    """`openjd-lint rules`, the rule pages and SARIF show `Rule.severities`: a finding that carries another
    severity (H007 once reported info under a warning listing) must be declared in `other_severities`."""
    from pathlib import Path

    from openjd_lint.pipeline import lint_bytes

    repo = Path(__file__).resolve().parents[1]
    shared = repo.parent / "shared"
    found = [(f"{rule.id} {kind}", d) for rule in RULES for kind in ("bad", "good")
             for d in lint_example(rule, getattr(rule, kind), REGISTRY).diagnostics]
    files = [*repo.glob("examples/**/*.yaml"), *shared.glob("conformance/2023-09/*/*_templates/*"),
             *shared.glob("realworld/**/*.yaml")]
    found += [(path.name, d) for path in files if path.is_file()
              for d in lint_bytes(path.read_bytes(), path.name, REGISTRY).diagnostics]
    undeclared = set()
    for name, diagnostic in found:
        rule = REGISTRY.get(diagnostic.rule)
        if diagnostic.severity.label not in rule.severities.split("/"):
            undeclared.add((rule.id, diagnostic.severity.label, name))
    assert sorted(undeclared) == []
    assert REGISTRY.get("T213").severities == "error/warning" and REGISTRY.get("H007").severities == "warning"
