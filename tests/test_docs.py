"""Rule documentation: docs/rules.md is current and holds every rule, `openjd-lint rule ID` prints a page,
and the rules the run reports itself (the M family) are proven by their examples through the command line.
(That every rule has a summary and examples that prove it is tests/test_rule_docs.py.)"""

import contextlib
import json
import subprocess
import sys

import pytest

from openjd_lint.docs import rule_markdown, rule_page, rules_markdown
from openjd_lint.rules import REGISTRY
from openjd_lint.rules.meta import RULES as META_RULES

from crashing_rule import crashing_rule_registered
from test_cli import ROOT, cli, lint

RULES = list(REGISTRY)


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
        assert f"[{rule.id}](#{rule.id.lower()}-{rule.name})" in text
        section = text.split(f"### {rule.id} {rule.name}\n", 1)[1].split("\n### ", 1)[0]
        assert rule.summary in section
        assert "\nBad:\n\n```" in section and "\nGood:\n\n```" in section


def test_rule_page_from_the_command_line():
    page = lint("rule", "M002")
    assert page.returncode == 0
    assert page.stdout.startswith("M002 unsupported-extension (error)")
    assert "With this configuration:" in page.stdout and "Bad:" in page.stdout and "Good:" in page.stdout


@pytest.mark.parametrize("rule", META_RULES, ids=lambda r: r.id)
def test_meta_rule_examples_through_the_command_line(rule, tmp_path):
    if rule.example_config:
        (tmp_path / "pyproject.toml").write_text(rule.example_config)

    def reported(text):
        (tmp_path / "example.yaml").write_text(text)
        with crashing_rule_registered() if rule.id == "M004" else contextlib.nullcontext():
            result = cli("check", "--no-cache", "--format", "json", "example.yaml", cwd=tmp_path)
        return {f["rule"] for f in json.loads(result.stdout)["findings"]}

    assert rule.id in reported(rule.bad)
    assert rule.id not in reported(rule.good)



def test_example_prerequisites_are_rendered_as_code():
    needing = [rule for rule in REGISTRY if rule.example_config or rule.example_enclosing]
    assert {"M002", "N001", "N002"} <= {rule.id for rule in needing}
    for rule in needing:
        markdown, page = rule_markdown(rule), rule_page(rule)
        if rule.example_config:
            assert f"```toml\n{rule.example_config}```\n" in markdown
        for environment in rule.example_enclosing:
            assert f"```yaml\n{environment}```\n" in markdown
            assert "".join(f"    {line}\n" for line in environment.splitlines()) in page
        assert markdown.index("```") < markdown.index("Bad:")
