"""One rule's bug is one finding (M004) on the file it failed on, not a dead run: every other rule and file
is still reported, the exit code is 3 after the report, and --debug prints the traceback."""

import json

import pytest

from openjd_lint import pipeline
from openjd_lint.rules import meta

from crashing_rule import crashing_rule_registered
from test_cli import GOOD, cli as run_cli


def cli(*args, cwd):
    completed = run_cli(*args, cwd=cwd)
    return completed.returncode, completed.stdout, completed.stderr


@pytest.fixture
def crashing(monkeypatch):
    monkeypatch.setattr(meta, "_print_tracebacks", False)  # --debug sets it for the process
    with crashing_rule_registered():
        yield


@pytest.fixture
def templates(tmp_path):
    (tmp_path / "crash.yaml").write_text(GOOD.replace("name: Frame", "name: Crash") + "bogus: 1\n")
    (tmp_path / "other.yaml").write_text(GOOD + "bogus: 2\n")
    return tmp_path


def findings(out: str) -> list:
    return [(f["file"], f["rule"], f["line"], f["message"]) for f in json.loads(out)["findings"]]


def test_a_rule_that_raises_is_one_finding_and_exit_code_3(crashing, templates):
    code, out, err = cli("check", "--no-cache", "--format", "json", "crash.yaml", "other.yaml", cwd=templates)
    assert code == 3
    assert findings(out) == [
        ("crash.yaml", "M004", 1, "internal error in rule Z999 (crashing-rule): KeyError: 'a bug in a rule'"),
        ("crash.yaml", "S002", 9, "unknown key `bogus` in the template root"),
        ("other.yaml", "S002", 9, "unknown key `bogus` in the template root"),
    ]
    assert "Traceback" not in err


def test_debug_prints_the_traceback(crashing, templates):
    code, out, err = cli("check", "--debug", "--format", "json", "crash.yaml", cwd=templates)
    assert code == 3 and [f[1] for f in findings(out)] == ["M004", "S002"]
    assert "Traceback (most recent call last)" in err and "_crash_on_a_step_named_crash" in err
    assert not (templates / ".openjd-lint-cache").exists()  # --debug lints afresh


def test_a_bug_outside_the_rules_is_one_finding_on_that_file(monkeypatch, templates):
    lint_bytes = pipeline.lint_bytes

    def failing_load(data, name, *args, **kwargs):
        if name == "crash.yaml":
            raise RecursionError("maximum recursion depth exceeded")
        return lint_bytes(data, name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "lint_bytes", failing_load)
    code, out, _ = cli("check", "--no-cache", "--format", "json", "crash.yaml", "other.yaml", cwd=templates)
    assert code == 3 and findings(out) == [
        ("crash.yaml", "M004", 1, "internal error in the per-file pipeline: RecursionError: maximum recursion depth "
                                  "exceeded"),
        ("other.yaml", "S002", 9, "unknown key `bogus` in the template root"),
    ]
