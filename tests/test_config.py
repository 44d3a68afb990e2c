"""Configuration files (`[tool.openjd-lint]` in pyproject.toml, `.openjd-lint.toml`) and `--config`."""

import json
import os

import pytest

from test_cli import GOOD, ROOT, cli, lint

# S002 (unknown key, line 3), S006 (empty description, line 4): two errors from two rules.
TWO_PROBLEMS = GOOD.replace("name: Render\n", "name: Render\nbogus: 1\ndescription: ''\n")


def rules_reported(tmp_path, *paths, args=()):
    result = cli("check", "--format", "json", *args, *paths, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    return result, sorted((os.path.normpath(f["file"]), f["rule"], f["severity"]) for f in findings)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_ignore_and_select_by_id_or_prefix(tmp_path):
    write(tmp_path / "job.yaml", TWO_PROBLEMS)
    write(tmp_path / ".openjd-lint.toml", 'ignore = ["S002"]\n')
    assert [r for _, r, _ in rules_reported(tmp_path, "job.yaml")[1]] == ["S006"]
    write(tmp_path / ".openjd-lint.toml", 'select = ["S00"]\nignore = ["S006"]\n')
    assert [r for _, r, _ in rules_reported(tmp_path, "job.yaml")[1]] == ["S002"]
    write(tmp_path / ".openjd-lint.toml", 'select = ["L"]\n')
    result, found = rules_reported(tmp_path, "job.yaml")
    assert found == [] and result.returncode == 0


def test_pyproject_table_and_nearest_configuration_wins(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.openjd-lint]\nignore = ["S002"]\n')
    write(tmp_path / "a" / "job.yaml", TWO_PROBLEMS)
    write(tmp_path / "b" / "job.yaml", TWO_PROBLEMS)
    write(tmp_path / "b" / ".openjd-lint.toml", 'ignore = ["S006"]\n')
    # a pyproject.toml without the table is passed over on the way up
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "inner"\n')
    _, found = rules_reported(tmp_path, ".")
    assert [(f, r) for f, r, _ in found] == [("a/job.yaml", "S006"), ("b/job.yaml", "S002")]


def test_per_file_ignores_and_exclude_globs(tmp_path):
    write(tmp_path / "legacy" / "old.yaml", TWO_PROBLEMS)
    write(tmp_path / "new.yaml", TWO_PROBLEMS)
    write(tmp_path / "vendor" / "x" / "job.yaml", TWO_PROBLEMS)
    write(tmp_path / ".openjd-lint.toml",
          'exclude = ["vendor"]\n\n[per-file-ignores]\n"legacy/*.yaml" = ["S"]\n')
    _, found = rules_reported(tmp_path, ".")
    assert {f for f, _, _ in found} == {"new.yaml"}
    # excluded even when named, as pre-commit names every changed file
    _, named = rules_reported(tmp_path, "vendor/x/job.yaml")
    assert named == []


def test_severity_overrides_and_fail_on(tmp_path):
    write(tmp_path / "job.yaml", TWO_PROBLEMS)
    write(tmp_path / ".openjd-lint.toml", '[severity]\nS = "warning"\nS006 = "info"\n')
    result, found = rules_reported(tmp_path, "job.yaml")
    # S006 is named by its id, so its info finding is asked for
    assert [(r, s) for _, r, s in found] == [("S002", "warning"), ("S006", "info")]
    assert result.returncode == 0
    write(tmp_path / ".openjd-lint.toml", '[severity]\nS = "info"\n')
    assert rules_reported(tmp_path, "job.yaml")[1] == []
    write(tmp_path / ".openjd-lint.toml", 'fail-on = "info"\n[severity]\nS = "info"\n')
    assert rules_reported(tmp_path, "job.yaml")[0].returncode == 1
    assert rules_reported(tmp_path, "job.yaml", args=("--fail-on", "error"))[0].returncode == 0


def test_extensions_of_the_target_scheduler(tmp_path):
    write(tmp_path / "job.yaml", GOOD.replace("name: Render\n", "extensions: [EXPR, TASK_CHUNKING]\nname: Render\n"))
    write(tmp_path / ".openjd-lint.toml", 'extensions = ["EXPR"]\n')
    result = lint("check", "--format", "json", "job.yaml", cwd=tmp_path)
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("M002", 2, 20)
    assert "TASK_CHUNKING" in finding["message"] and result.returncode == 1


def test_env_for_the_language_server_is_accepted(tmp_path):
    write(tmp_path / "job.yaml", GOOD)
    write(tmp_path / "pyproject.toml", '[tool.openjd-lint]\nenv = ["queue/env.yaml"]\n')
    assert cli("check", "job.yaml", cwd=tmp_path).returncode == 0


def test_config_option_overrides_discovery(tmp_path):
    write(tmp_path / "job.yaml", TWO_PROBLEMS)
    write(tmp_path / ".openjd-lint.toml", 'ignore = ["S002"]\n')
    write(tmp_path / "ci" / "strict.toml", 'ignore = ["S006"]\n')
    _, found = rules_reported(tmp_path, "job.yaml", args=("--config", "ci/strict.toml"))
    assert [r for _, r, _ in found] == ["S002"]
    write(tmp_path / "ci" / "shared.toml", '[tool.openjd-lint]\nignore = ["S002", "S006"]\n')
    assert rules_reported(tmp_path, "job.yaml", args=("--config", "ci/shared.toml"))[1] == []


@pytest.mark.parametrize("text, named", [
    ('selct = ["S"]\n', "unknown key `selct` (did you mean `select`?)"),
    ('ignore = ["z9"]\n', "`ignore`: 'z9' matches no rule"),
    ('ignore = "S002"\n', "`ignore`: must be a list"),
    ('ignore = [{ id = "S002" }]\n', "`ignore`: {'id': 'S002'} is not a rule id, name or prefix"),
    ('[severity]\nS002 = "loud"\n', "`severity.S002`: unknown severity 'loud'"),
    ('fail-on = 3\n', "`fail-on`"),
    ('extensions = ["EXPR", "TELEPORT"]\n', "`extensions`: unknown extension TELEPORT"),
    ('exclude = [1]\n', "`exclude`: must be a list of globs"),
    ('env = "queue.yaml"\n', "`env`: must be a list of paths"),
    ('select = [\n', "invalid TOML"),
])
def test_bad_configuration_is_a_usage_error_naming_the_key(tmp_path, text, named):
    write(tmp_path / "job.yaml", GOOD)
    write(tmp_path / ".openjd-lint.toml", text)
    result = cli("check", "job.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert named in result.stderr and ".openjd-lint.toml" in result.stderr


def test_config_option_needs_the_table_in_a_pyproject(tmp_path):
    write(tmp_path / "job.yaml", GOOD)
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    result = lint("check", "--config", "pyproject.toml", "job.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "no [tool.openjd-lint] table" in result.stderr
    missing = cli("check", "--config", "nope.toml", "job.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.toml" in missing.stderr


def test_the_readme_example_is_a_valid_configuration(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Configuration"):]
    example = section[section.index("```toml\n") + len("```toml\n"):section.index("```\n", section.index("```toml"))]
    write(tmp_path / "pyproject.toml", example)
    write(tmp_path / "job.yaml", GOOD)
    result = cli("check", "job.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


# A draft-revision wrap environment whose only finding is W002 (info).
DRAFT = """\
specificationVersion: environment-2023-09
extensions: [WRAP_TASK_RUN, EXPR, FEATURE_BUNDLE_1]
environment:
  name: Container
  script:
    actions:
      onWrapTaskRun:
        command: "{{Task.Command}}"
        args: ["{{Task.Args}}"]
        timeout: "{{Env.Action.Timeout}}"
"""


@pytest.mark.parametrize("output", ["json", "sarif", "text", "github"])
def test_info_findings_are_opt_in_in_every_format(tmp_path, output):
    write(tmp_path / "env.yaml", DRAFT)
    default = cli("check", "--format", output, "env.yaml", cwd=tmp_path)
    asked = cli("check", "--format", output, "--include-info", "env.yaml", cwd=tmp_path)
    assert default.returncode == asked.returncode == 0
    reported = {"json": '"rule": "W002"', "sarif": '"ruleId": "W002"', "text": "info[W002]",
                "github": "(W002)::"}[output]
    assert reported not in default.stdout and reported in asked.stdout


@pytest.mark.parametrize("config, args, shown, exit_code", [
    ("", (), False, 0),
    ("", ("--include-info",), True, 0),
    ("", ("--fail-on", "info"), True, 1),
    ('include-info = true\n', (), True, 0),
    ('fail-on = "info"\n', (), True, 1),
    ('fail-on = "info"\n', ("--fail-on", "warning"), False, 0),  # the command line wins
    ('select = ["W002", "S"]\n', (), True, 0),
    ('select = ["W"]\n', (), False, 0),  # a prefix selects warnings and errors, not advice
    ('[severity]\nW002 = "info"\n', (), True, 0),
    ('[severity]\nW002 = "warning"\n', (), True, 0),
])
def test_how_info_findings_are_asked_for(tmp_path, config, args, shown, exit_code):
    write(tmp_path / "env.yaml", DRAFT)
    write(tmp_path / ".openjd-lint.toml", config)
    result, found = rules_reported(tmp_path, "env.yaml", args=args)
    assert [r for _, r, _ in found] == (["W002"] if shown else [])
    assert result.returncode == exit_code


def test_suppressing_a_hidden_info_finding_is_not_an_unused_suppression(tmp_path):
    write(tmp_path / "env.yaml", DRAFT.replace("FEATURE_BUNDLE_1]", "FEATURE_BUNDLE_1]  # openjd-lint: disable=W002"))
    for args in ((), ("--include-info",)):
        assert rules_reported(tmp_path, "env.yaml", args=args)[1] == []


def test_include_info_must_be_a_boolean(tmp_path):
    write(tmp_path / "env.yaml", DRAFT)
    write(tmp_path / ".openjd-lint.toml", 'include-info = "yes"\n')
    result = cli("check", "env.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "`include-info`: must be true or false" in result.stderr
