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
    assert [(r, s) for _, r, s in found] == [("S002", "warning"), ("S006", "info")]
    assert result.returncode == 0
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
    ('ignore = [{ id = "S002" }]\n', "`ignore`: {'id': 'S002'} is not a rule id or prefix"),
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
