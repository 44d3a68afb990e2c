"""`--format sarif`, read back by two SARIF consumers from PyPI (sarif-tools and sarif-pydantic)."""

import json
import os

from sarif import loader
from sarif_pydantic import Sarif

from test_cli import GOOD, ROOT, lint

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


def results_of(tmp_path, *args, cwd=None):
    result = lint("check", "--format", "sarif", *args, cwd=cwd or tmp_path)
    run = json.loads(result.stdout)["runs"][0]
    return run, run["results"]


def fingerprints(results) -> list:
    return [(r["ruleId"], r["partialFingerprints"]["openjdLint/v1"]) for r in results]


def test_partial_fingerprints_survive_unrelated_edits_and_tell_equal_findings_apart(tmp_path):
    two = BROKEN.replace("bogus: 1\n", "bogus: 1\nbogus2: 1\n")
    (tmp_path / "job.yaml").write_text(two)
    _, before = results_of(tmp_path, "job.yaml")
    assert len({fp for _, fp in fingerprints(before)}) == len(before) >= 3
    # lines added above and a finding fixed elsewhere: the others keep their fingerprints
    (tmp_path / "job.yaml").write_text("# a comment\n\n" + two.replace("name: Again\n", ""))
    _, after = results_of(tmp_path, "job.yaml")
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before if r["ruleId"] != "L002"]
    assert fingerprints(after) == [fp for fp in fingerprints(before) if fp[0] != "L002"]
    # a different problem on the same key is a different alert
    (tmp_path / "job.yaml").write_text(two.replace("bogus2: 1", "bogus3: 1"))
    _, changed = results_of(tmp_path, "job.yaml")
    assert set(fingerprints(changed)) != set(fingerprints(before))


def test_every_rule_has_a_help_uri_and_tags(tmp_path):
    from openjd_lint.reporters.sarif import FAMILY_TAGS
    from openjd_lint.rules import REGISTRY

    (tmp_path / "job.yaml").write_text(GOOD)
    run, _ = results_of(tmp_path, "job.yaml")
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len(REGISTRY)
    for rule in rules:
        assert rule["helpUri"].endswith(f"/docs/rules.md#{rule['id'].lower()}-{rule['name']}")
        assert rule["properties"]["tags"][0] == "openjd" and len(rule["properties"]["tags"]) >= 2
    assert {rule.id[0] for rule in REGISTRY} <= set(FAMILY_TAGS)
    docs = (ROOT / "docs" / "rules.md").read_text()
    for rule in rules:  # the anchor exists on the page
        assert f"### {rule['id']} {rule['name']}" in docs


def test_uris_are_relative_to_srcroot_for_absolute_and_parent_paths_inside_it(tmp_path):
    (tmp_path / "repo" / "jobs").mkdir(parents=True)
    (tmp_path / "repo" / "jobs" / "job.yaml").write_text(BROKEN)
    (tmp_path / "outside.yaml").write_text(BROKEN)
    repo = tmp_path / "repo"
    for given in (str(repo / "jobs" / "job.yaml"), "../repo/jobs/job.yaml", "./jobs/../jobs/job.yaml", "jobs"):
        _, results = results_of(tmp_path, given, cwd=repo)
        locations = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert locations == {"jobs/job.yaml"}, given
        assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in results} == {"%SRCROOT%"}
    _, results = results_of(tmp_path, "../outside.yaml", cwd=repo)
    artifact = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "outside.yaml").as_uri()}


def test_sarif_consumers_read_fingerprints_and_rule_metadata(tmp_path):
    document = Sarif.model_validate_json(sarif_of(tmp_path).read_text())
    run = document.runs[0]
    assert all(result.partial_fingerprints and "openjdLint/v1" in result.partial_fingerprints
               for result in run.results)
    assert all(rule.help_uri and rule.properties for rule in run.tool.driver.rules)
    sarif_file = loader.load_sarif_file(str(sarif_of(tmp_path)))
    assert {record["Location"] for record in sarif_file.get_records()} == {"broken.yaml", "wrap.yaml"}


def test_a_file_name_that_is_not_utf8_becomes_a_percent_encoded_uri(tmp_path):
    (tmp_path / os.fsdecode(b"bad-\xff.yaml")).write_text(BROKEN)
    result = lint("check", "--no-cache", "--format", "sarif", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    uris = {location["physicalLocation"]["artifactLocation"]["uri"]
            for run in json.loads(result.stdout)["runs"] for r in run["results"] for location in r["locations"]}
    assert uris == {"bad-%FF.yaml"}


def test_a_run_with_a_custom_registry_lists_its_own_rules(tmp_path):
    from openjd_lint.config import config_finder
    from openjd_lint.discover import Target
    from openjd_lint.findings import Finding, Severity
    from openjd_lint.reporters import sarif
    from openjd_lint.rule_api import Registry, Rule
    from openjd_lint.rules import REGISTRY
    from openjd_lint.run import Options, run_targets

    marker = Rule("Z001", "marker", Severity.WARNING, "Every template.", "", "", "",
                  check=lambda ctx: [Finding("Z001", "a rule of this registry only", ())])
    custom = Registry([*REGISTRY, marker])
    run = run_targets([Target("job.yaml", explicit=True, data=GOOD.encode())], custom,
                      Options(config_finder(custom)))
    (document,) = json.loads(sarif.render(run))["runs"]
    rules = [rule["id"] for rule in document["tool"]["driver"]["rules"]]
    (result,) = document["results"]
    assert rules[result["ruleIndex"]] == result["ruleId"] == "Z001"
