"""`expand` against the conformance suite's POSIX job tests: the argv it prints for each action
(hooks included) is run in a temporary directory (`--workdir`), `openjd_env:` exports are fed
forward as a runtime would, and the output must hold every expected substring and no forbidden one.

A few fixtures depend on what only a live run knows; they are listed with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from openjd_lint.cli import main

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
MISSING = f"conformance fixtures not found at {CONFORMANCE} (expected ../shared/conformance next to the repo)"
RUNTIME_EXPORTS = ("WrappedAction.Environment must hold variables that an earlier action exports with openjd_env "
                   "while it runs; expand cannot know them without running that action")
NOT_STATIC = {
    "wrap-environment-excludes-host-vars.test.yaml": RUNTIME_EXPORTS,
    "wrap-environment-includes-variables-map.test.yaml": RUNTIME_EXPORTS,
    "wrap-openjd-env-from-wrap-script-itself.test.yaml": RUNTIME_EXPORTS,
    "wrap-openjd-env-grand-child-under-exit-hook.test.yaml": RUNTIME_EXPORTS,
    "wrap-openjd-env-task-grand-child-visible-next-task.test.yaml": RUNTIME_EXPORTS,
}


def _posix_job_tests() -> list:
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING))]
    params = []
    for path in sorted(CONFORMANCE.glob("2023-09/*/jobs/*.test.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if ".invalid." in path.name or "posix" not in (document.get("runOn") or ["posix"]):
            continue
        marks = [pytest.mark.skip(reason=NOT_STATIC[path.name])] if path.name in NOT_STATIC else []
        params.append(pytest.param(document, id=path.name, marks=marks))
    return params


def expand_json(tmp_path: Path, document: dict, capsys, extra=()) -> dict:
    job = tmp_path / "job.json"
    job.write_text(json.dumps(document["template"]))
    argv = ["expand", str(job), "--format", "json", "--workdir", str(tmp_path / "session"), *extra]
    for index, environment in enumerate(document.get("environments") or []):
        path = tmp_path / f"env{index}.json"
        path.write_text(json.dumps(environment))
        argv += ["--env", str(path)]
    values = tmp_path / "values.json"
    values.write_text(json.dumps(document.get("parameters") or {}))
    argv += ["-p", f"@{values}"]
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def run_session(expansion: dict, cwd: Path) -> tuple:
    """Run each action's argv as a runtime would: stop entering and running after a failure, but exit
    every environment that was entered. Returns (output, exit codes of failed actions)."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("OPENJD")}
    base["PATH"] = os.path.dirname(sys.executable) + os.pathsep + base.get("PATH", "")
    exports: dict = {}
    output, failures, skipped = [], [], set()
    for action in expansion["actions"]:
        if failures and action["kind"] != "env_exit":
            if action["kind"] == "env_enter":
                skipped.add(action["environment"])
            continue
        if action["kind"] == "env_exit" and action["environment"] in skipped:
            continue
        env = {**base, **action["variables"], **exports}
        done = subprocess.run(action["argv"], cwd=cwd, env=env, capture_output=True, text=True, timeout=30)
        output += [done.stdout, done.stderr]
        for line in done.stdout.splitlines():
            if line.startswith("openjd_env:"):
                name, _, value = line[len("openjd_env:"):].strip().partition("=")
                exports[name] = value
        if done.returncode != 0:
            failures.append(done.returncode)
    return "".join(output), failures


def _expected(document: dict, key: str) -> list:
    expected = document.get("expected") or {}
    return list(expected.get(key) or []) + list(expected.get(f"{key}_posix") or [])


@pytest.mark.parametrize("document", _posix_job_tests())
def test_expanded_argv_produce_the_expected_output(document, tmp_path, capsys):
    expansion = expand_json(tmp_path, document, capsys)
    output, failures = run_session(expansion, tmp_path)
    for item in _expected(document, "output"):
        choices = item["anyOf"] if isinstance(item, dict) else [item]
        assert any(choice in output for choice in choices), f"{choices} not in output:\n{output}"
    for item in _expected(document, "forbidden"):
        assert item not in output, f"{item!r} in output:\n{output}"
    failure = (document.get("expected") or {}).get("taskFailure")
    if failure is None:
        assert not failures, output
    else:
        assert failures, output
        if "exitCode" in failure:
            assert failures[0] == failure["exitCode"]
