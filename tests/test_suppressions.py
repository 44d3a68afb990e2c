"""Inline suppressions: `# openjd-lint: disable=...` on the line or the line above, `disable-file`, unused
and malformed suppressions as findings, and `--no-inline-suppressions`."""

import json

from test_cli import GOOD, cli, lint

BOGUS = GOOD.replace("name: Render\n", "name: Render\nbogus: 1{comment}\n")


def findings(tmp_path, text, *args, name="job.yaml"):
    (tmp_path / name).write_text(text)
    result = cli("check", "--format", "json", *args, name, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return [(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]]


def test_trailing_comment_suppresses_its_line(tmp_path):
    assert findings(tmp_path, BOGUS.format(comment="  # openjd-lint: disable=S002 -- read by our tools")) == []
    assert findings(tmp_path, BOGUS.format(comment="  # openjd-lint: disable=unknown-key")) == []


def test_comment_on_the_line_above_suppresses_the_next_line(tmp_path):
    text = GOOD.replace("name: Render\n", "name: Render\n# openjd-lint: disable=S002,L002 -- legacy\nbogus: 1\n")
    assert findings(tmp_path, text) == [("M001", 3, 29)]  # L002 reports nothing there


def test_a_suppression_covers_only_its_line(tmp_path):
    text = GOOD.replace("name: Render\n", "name: Render  # openjd-lint: disable=S002\nbogus: 1\n")
    assert findings(tmp_path, text) == [("M001", 2, 38), ("S002", 3, 1)]


def test_disable_file(tmp_path):
    text = "# openjd-lint: disable-file=S002\n" + GOOD.replace("name: Render\n", "name: Render\nbogus: 1\nother: 2\n")
    assert findings(tmp_path, text) == []
    assert findings(tmp_path, "# openjd-lint: disable-file=S003\n" + GOOD) == [("M001", 1, 29)]


def test_hash_inside_a_scalar_is_not_a_comment(tmp_path):
    text = GOOD.replace("name: Render\n", "name: Render\ndescription: 'x # openjd-lint: disable=S002'\n"
                        "bogus: |\n  # openjd-lint: disable=S002\n")
    assert findings(tmp_path, text) == [("S002", 4, 1)]


def test_malformed_or_unknown_rule_is_reported(tmp_path):
    text = BOGUS.format(comment="  # openjd-lint: disabel=S002")
    assert findings(tmp_path, text) == [("S002", 3, 1), ("M003", 3, 25)]
    text = BOGUS.format(comment="  # openjd-lint: disable=S002,NOPE1")
    assert findings(tmp_path, text) == [("M003", 3, 39)]


def test_unused_suppression_of_a_rule_the_configuration_turns_off_is_not_reported(tmp_path):
    (tmp_path / ".openjd-lint.toml").write_text('ignore = ["S002"]\n')
    assert findings(tmp_path, BOGUS.format(comment="  # openjd-lint: disable=S002")) == []


def test_no_inline_suppressions_for_ci_policies(tmp_path):
    (tmp_path / "job.yaml").write_text(BOGUS.format(comment="  # openjd-lint: disable=S002,S003"))
    result = lint("check", "--format", "json", "--no-inline-suppressions", "job.yaml", cwd=tmp_path)
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["S002"]
    assert result.returncode == 1


def test_json_has_no_comments(tmp_path):
    text = '{"specificationVersion": "jobtemplate-2023-09", "name": "# openjd-lint: disable=S002", "steps": []}'
    assert findings(tmp_path, text, name="job.json") == [("S006", 1, 88)]


def test_a_file_that_does_not_parse_has_no_unused_suppressions(tmp_path):
    text = "specificationVersion: jobtemplate-2023-09  # openjd-lint: disable=S002\nname: [Render\n"
    assert [rule for rule, _, _ in findings(tmp_path, text)] == ["L001"]
