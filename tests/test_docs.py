"""Rule documentation: every rule has a complete page, docs/rules.md is current, and the rules the run
reports itself (the M family) are proven by their own examples through the command line."""

import json
import subprocess
import sys

import pytest

from openjd_lint.docs import rules_markdown
from openjd_lint.rules import REGISTRY
from openjd_lint.rules.meta import EXAMPLE_CONFIG, RULES as META_RULES
from openjd_lint.run import lint_example

from test_cli import ROOT, cli, lint

RULES = list(REGISTRY)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_a_summary_and_a_bad_and_a_good_example(rule):
    assert rule.summary.strip(), f"{rule.id} has no summary"
    assert rule.bad.strip(), f"{rule.id} has no bad example"
    assert rule.good.strip(), f"{rule.id} has no good example"


def test_docs_rules_md_is_up_to_date():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown(), "docs/rules.md is out of date: run `python tools/generate_rule_docs.py`"


def test_generator_check_mode_agrees():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "generate_rule_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_rule_is_in_docs_rules_md_with_its_examples():
    text = rules_markdown()
    for rule in RULES:
        assert f"### {rule.id} {rule.name}" in text
        assert f"[{rule.id}](#{rule.id.lower()}-{rule.name})" in text


def test_rule_page_from_the_command_line():
    page = lint("rule", "M002")
    assert page.returncode == 0
    assert page.stdout.startswith("M002 unsupported-extension (error)")
    assert "With this configuration:" in page.stdout and "Bad:" in page.stdout and "Good:" in page.stdout


@pytest.mark.parametrize("rule", META_RULES, ids=lambda r: r.id)
def test_meta_rule_examples_through_the_command_line(rule, tmp_path):
    if rule.id in EXAMPLE_CONFIG:
        (tmp_path / "pyproject.toml").write_text(EXAMPLE_CONFIG[rule.id])

    def reported(text):
        (tmp_path / "example.yaml").write_text(text)
        result = cli("check", "--format", "json", "example.yaml", cwd=tmp_path)
        return {f["rule"] for f in json.loads(result.stdout)["findings"]}

    assert rule.id in reported(rule.bad)
    assert rule.id not in reported(rule.good)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples_through_the_whole_per_file_pipeline(rule):
    assert rule.id in {d.rule for d in lint_example(rule, rule.bad, REGISTRY).diagnostics}
    assert rule.id not in {d.rule for d in lint_example(rule, rule.good, REGISTRY).diagnostics}
