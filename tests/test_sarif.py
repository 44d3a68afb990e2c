"""`--format sarif`, read back by two SARIF consumers from PyPI (sarif-tools and sarif-pydantic)."""

import json

from sarif import loader
from sarif_pydantic import Sarif

from test_cli import GOOD, lint

BROKEN = GOOD.replace("name: Render\n", "name: Render\nname: Again\nbogus: 1\n")
WRAP = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS]
environment:
  name: Wrap
  script:
    actions:
      onEnter:
        command: echo
"""


def sarif_of(tmp_path, *extra):
    (tmp_path / "broken.yaml").write_text(BROKEN)
    (tmp_path / "wrap.yaml").write_text(WRAP)
    (tmp_path / ".openjd-lint.toml").write_text('[severity]\nS002 = "info"\n')
    result = lint("check", "--format", "sarif", *extra, ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    path = tmp_path / "report.sarif"
    path.write_text(result.stdout)
    return path


def test_sarif_tools_reads_results_rules_and_levels(tmp_path):
    sarif_file = loader.load_sarif_file(str(sarif_of(tmp_path)))
    records = sarif_file.get_records()
    located = {(r["Location"], r["Line"], r["Code"], r["Severity"]) for r in records}
    assert ("broken.yaml", 3, "L002", "error") in located
    assert ("broken.yaml", 4, "S002", "note") in located
    assert ("wrap.yaml", 2, "S010", "error") in located
    (s002,) = sarif_file.get_rules_by_id("S002")
    assert s002["name"] == "unknown-key"
    assert s002["shortDescription"]["text"] and s002["fullDescription"]["text"]
    assert "Bad:" in s002["help"]["text"] and "```yaml" in s002["help"]["markdown"]


def test_sarif_pydantic_validates_regions_related_locations_and_fixes(tmp_path):
    document = Sarif.model_validate_json(sarif_of(tmp_path).read_text())
    assert document.version == "2.1.0" and len(document.runs) == 1
    run = document.runs[0]
    rule_ids = [rule.id for rule in run.tool.driver.rules]
    by_rule = {result.rule_id: result for result in run.results}
    duplicate = by_rule["L002"]
    assert rule_ids[duplicate.rule_index] == "L002"
    region = duplicate.locations[0].physical_location.region
    assert (region.start_line, region.start_column, region.end_line, region.end_column) == (3, 1, 3, 5)
    (related,) = duplicate.related_locations
    assert related.physical_location.region.start_line == 2
    assert related.physical_location.artifact_location.uri == "broken.yaml"
    assert related.message.text
    fix = by_rule["S010"].fixes[0]
    replacement = fix.artifact_changes[0].replacements[0]
    assert replacement.inserted_content.text == ", EXPR"
    assert (replacement.deleted_region.start_line, replacement.deleted_region.start_column) == (2, 26)
    assert by_rule["S002"].level.value == "note"


def test_sarif_output_is_deterministic_and_declares_code_point_columns(tmp_path):
    first = sarif_of(tmp_path).read_text()
    assert first == sarif_of(tmp_path).read_text()
    document = json.loads(first)
    run = document["runs"][0]
    assert document["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
