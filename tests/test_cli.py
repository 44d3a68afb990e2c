"""The command line, driven end to end as a user would (subprocess)."""

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest

from openjd_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

GOOD = """\
specificationVersion: jobtemplate-2023-09
name: Render
steps:
- name: Frame
  script:
    actions:
      onRun:
        command: render
"""


def lint(*args, stdin=None, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "openjd_lint", *args], input=stdin, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, cwd=cwd)


def cli(*args, env=None, cwd=None):
    """The same command line run in this process: as `lint`, without the start-up cost of a new one."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        with mock.patch.dict(os.environ, env or {}), redirect_stdout(out), redirect_stderr(err):
            os.chdir(cwd or previous)
            code = main(list(args))
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_clean_template_exits_0(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(GOOD)
    result = lint("check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found in 1 file." in result.stdout


def test_plain_invocation_without_subcommand(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(GOOD)
    assert lint(str(path)).returncode == 0


def test_findings_in_one_pass_with_positions(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(GOOD.replace("name: Render\n", "name: Render\nname: Again\nbogus: 1\n")
                    .replace("        command: render\n", "        timeout: 5\n"))
    result = lint("check", "--format", "json", str(path))
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    located = {(f["rule"], f["line"], f["column"]) for f in findings}
    assert ("L002", 3, 1) in located
    assert ("S002", 4, 1) in located
    assert any(f["rule"] == "S003" and f["line"] == 9 for f in findings)  # at the key of the incomplete mapping


def test_syntax_error_position(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text("specificationVersion: jobtemplate-2023-09\nname: [Render\nsteps: []\n")
    result = lint("check", "--format", "json", str(path))
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "L001" and finding["line"] == 3


def test_text_output_has_snippet_caret_and_summary(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n"))
    result = lint("check", "--color", "never", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}:3:1: error[S002] " + lines[0].split("error[S002] ", 1)[1]
    assert "3 | bogus: 1" in result.stdout
    assert "  | ^^^^^" in result.stdout
    assert lines[-1].startswith("Found 1 problem (1 error) in 1 file")
    assert "\x1b[" not in result.stdout


def test_color_always_and_no_color(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n"))
    assert "\x1b[" in lint("check", "--color", "always", str(path)).stdout
    assert "\x1b[" not in lint("check", str(path), env={"NO_COLOR": "1"}).stdout


def test_fail_on_threshold(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(GOOD)
    assert lint("check", "--fail-on", "info", str(path)).returncode == 0


def test_stdin_with_filename():
    result = lint("check", "-", "--stdin-filename", "from-stdin.yaml", "--format", "json",
                  stdin=GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n"))
    assert result.returncode == 1
    assert json.loads(result.stdout)["findings"][0]["file"] == "from-stdin.yaml"


def test_directory_walk_skips_non_templates_but_named_files_are_checked(tmp_path):
    (tmp_path / "job.yaml").write_text(GOOD)
    (tmp_path / "other.yaml").write_text("just: some config\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "env.yml").write_text("specificationVersion: environment-2023-09\n")
    walked = json.loads(lint("check", "--format", "json", str(tmp_path)).stdout)
    assert walked["files_checked"] == 2
    assert {Path(f["file"]).name for f in walked["findings"]} == {"env.yml"}
    named = json.loads(lint("check", "--format", "json", str(tmp_path / "other.yaml")).stdout)
    assert [f["rule"] for f in named["findings"]] == ["S001"]
    only = lint("check", "--only-templates", str(tmp_path / "other.yaml"))
    assert only.returncode == 0


def test_json_output_is_deterministic(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(GOOD.replace("name: Render\n", "name: Render\nbogus: 1\nname: x\n"))
    first = lint("check", "--format", "json", str(path)).stdout
    assert first == lint("check", "--format", "json", str(path)).stdout
    document = json.loads(first)
    assert document["version"] == 1 and document["tool"]["name"] == "openjd-lint"
    keys = [(f["file"], f["line"], f["column"], f["rule"]) for f in document["findings"]]
    assert keys == sorted(keys)
    assert set(document["findings"][0]) >= {"file", "line", "column", "end_line", "end_column", "rule", "name",
                                            "severity", "message", "hint"}


@pytest.mark.parametrize("args", [["check", "does-not-exist.yaml"], ["check", "--format", "xml", "x"],
                                  ["rule", "NOPE999"], []])
def test_usage_errors_exit_2(args):
    assert lint(*args).returncode == 2


def test_rules_and_rule_commands():
    listing = lint("rules")
    assert listing.returncode == 0
    assert "S002" in listing.stdout and "unknown-key" in listing.stdout
    page = lint("rule", "unknown-key")
    assert page.returncode == 0
    assert page.stdout.startswith("S002 unknown-key (error)")
    assert "Bad:" in page.stdout and "Good:" in page.stdout


def test_examples_lint_as_documented():
    result = lint("check", "--format", "json", str(EXAMPLES))
    findings = json.loads(result.stdout)["findings"]
    assert result.returncode == 1
    assert {Path(f["file"]).relative_to(EXAMPLES).parts[0] for f in findings if f["severity"] == "error"} == {"broken"}
    broken_rules = {f["rule"] for f in findings if Path(f["file"]).parent.name == "broken"}
    assert len(broken_rules) >= 4
