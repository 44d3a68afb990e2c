"""`check --env`: enclosing environment templates in session stacks (the N rules), through the
pipeline, the CLI and the conformance suite's session-level job tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from openjd_lint.cli import main
from openjd_lint.pipeline import lint_bytes
from openjd_lint.findings import Severity
from openjd_lint.rules import REGISTRY, sessions
from openjd_lint.session.environments import load_environment

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
MISSING = f"conformance fixtures not found at {CONFORMANCE} (expected ../shared/conformance next to the repo)"


def _job_tests() -> list:
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING))]
    paths = sorted(CONFORMANCE.glob("2023-09/*/jobs/*.test.yaml"))
    return [pytest.param(path, id=path.name) for path in paths]


def _enclosing(texts) -> tuple:
    return tuple(load_environment(f"env{i}.yaml", text.encode()) for i, text in enumerate(texts))


def _lint(text: str, enclosing=()) -> list:
    return lint_bytes(text.encode(), "job.yaml", REGISTRY, enclosing=enclosing).diagnostics


@pytest.mark.parametrize("rule_id", ["N001", "N002"])
def test_cross_template_rules_need_the_enclosing_templates(rule_id):
    assert rule_id not in {d.rule for d in _lint(REGISTRY.get(rule_id).bad)}


@pytest.mark.parametrize("path", _job_tests())
def test_check_with_env_agrees_with_the_invalid_label(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    environments = [json.dumps(env) for env in document.get("environments") or []]
    enclosing = tuple(load_environment(f"env{i}.json", text.encode()) for i, text in enumerate(environments))
    errors = [d for d in lint_bytes(json.dumps(document["template"]).encode(), "job.json", REGISTRY,
                                    enclosing=enclosing).diagnostics if d.severity == Severity.ERROR]
    for i, text in enumerate(environments):
        errors += [d for d in lint_bytes(text.encode(), f"env{i}.json", REGISTRY).diagnostics
                   if d.severity == Severity.ERROR]
    described = "\n".join(f"{d.file}:{d.line} {d.rule} {d.message}" for d in errors)
    assert bool(errors) == (".invalid." in path.name), described


TWO_LAYERS_JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [WRAP_ACTIONS, EXPR]
name: Job
jobEnvironments:
- name: Outer
  script:
    actions:
      onWrapEnvEnter: {command: a}
      onWrapTaskRun: {command: a}
      onWrapEnvExit: {command: a}
steps:
- name: One
  stepEnvironments:
  - name: Inner
    script:
      actions:
        onWrapEnvEnter: {command: a}
        onWrapTaskRun: {command: a}
        onWrapEnvExit: {command: a}
  script:
    actions:
      onRun: {command: run}
- name: Two
  script:
    actions:
      onRun: {command: run}
"""


def test_each_extra_layer_is_reported_once_and_w001_keeps_the_in_template_pairs():
    diagnostics = _lint(TWO_LAYERS_JOB, _enclosing(sessions.LAYERS.example_enclosing))
    n001 = sorted((d.line, d.related[0].file) for d in diagnostics if d.rule == "N001")
    assert n001 == [(5, "env0.yaml"), (14, "env0.yaml")]
    w001 = [d for d in diagnostics if d.rule == "W001"]
    assert [(d.line, d.related[0].file) for d in w001] == [(14, "job.yaml")]


def test_two_wrapping_environment_templates_are_reported_at_the_top_of_the_job():
    wrapper = sessions.LAYERS.example_enclosing[0]
    diagnostics = [d for d in _lint(REGISTRY.get("N001").good, _enclosing([wrapper, wrapper]))
                   if d.rule == "N001"]
    assert len(diagnostics) == 1
    assert [r.file for r in diagnostics[0].related] == ["env1.yaml", "env0.yaml"]


PARAMETER_ENV = """\
specificationVersion: environment-2023-09
parameterDefinitions:
- name: Quality
  type: INT
  minValue: 1
  maxValue: 10
  allowedValues: [1, 5, 10]
- name: Out
  type: PATH
  objectType: FILE
environment:
  name: Queue
  variables:
    Q: "{{Param.Quality}}"
"""


def _parameter_job(definitions: str) -> str:
    return ("specificationVersion: jobtemplate-2023-09\nname: J\nparameterDefinitions:\n" + definitions
            + "steps:\n- name: S\n  script:\n    actions:\n      onRun: {command: run}\n")


@pytest.mark.parametrize("definitions, message", [
    ("- {name: Quality, type: INT, minValue: 11}\n", "minValue 11 is greater than maxValue 10"),
    ("- {name: Quality, type: INT, allowedValues: [2, 3]}\n", "no value is allowed both here and in env0.yaml"),
    ("- {name: Quality, type: INT, default: 7}\n", "the default does not fit the merged definition"),
    ("- {name: Out, type: PATH, objectType: DIRECTORY}\n", "has objectType DIRECTORY here but FILE in env0.yaml"),
])
def test_parameter_merge_conflicts(definitions, message):
    found = [d for d in _lint(_parameter_job(definitions), _enclosing([PARAMETER_ENV])) if d.rule == "N002"]
    assert len(found) == 1 and message in found[0].message, found


@pytest.mark.parametrize("definitions", [
    "- {name: Quality, type: INT, minValue: 5, default: 5}\n",
    "- {name: Quality, type: INT, allowedValues: [5, 10, 11], default: 10}\n",
    "- {name: Out, type: PATH, dataFlow: OUT}\n",
    "- {name: Other, type: STRING}\n",
])
def test_parameter_definitions_that_merge(definitions):
    assert "N002" not in {d.rule for d in _lint(_parameter_job(definitions), _enclosing([PARAMETER_ENV]))}


def test_cli_check_env(tmp_path, capsys):
    env = tmp_path / "queue.yaml"
    env.write_text(sessions.MERGE.example_enclosing[0])
    job = tmp_path / "job.yaml"
    job.write_text(REGISTRY.get("N002").bad)
    assert main(["check", str(job), "--env", str(env), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in findings if f["rule"] == "N002"] == ["N002"]
    assert main(["check", str(job)]) == 0
    assert main(["check", str(job), "--env", str(tmp_path / "missing.yaml")]) == 2
    assert main(["check", str(job), "--env", str(job)]) == 2


@pytest.mark.parametrize("subject", ["WrappedEnv.Name", "WrappedStep.Name"])
def test_an_idle_hook_message_names_the_variable_the_hook_uses(subject):
    bad = sessions.IDLE_HOOK.bad.replace("{{WrappedEnv.Name}}", "{{" + subject + "}}")
    (finding,) = [d for d in lint_bytes(bad.encode(), "job.yaml", REGISTRY).diagnostics if d.rule == "N003"]
    assert finding.message.startswith(f"`onWrapEnvEnter` of 'Container' uses `{subject}` but never runs")
