"""An optional key whose value is null is absent (openjd_lint.model.empty_keys); a required one that is null
is still an error, reported at the key.

The differential test nulls every key of a few templates that use nearly every field, one at a time, and
compares the verdict with the reference validator (openjd-model 0.14.0)."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from openjd_lint.cli import main
from openjd_lint.findings import Severity
from openjd_lint.pipeline import lint_file
from openjd_lint.rules import REGISTRY

model = pytest.importorskip("openjd.model")

EVERY_EXTENSION = ["TASK_CHUNKING", "REDACTED_ENV_VARS", "FEATURE_BUNDLE_1", "EXPR", "WRAP_TASK_RUN", "WRAP_ACTIONS"]

JOB = """\
specificationVersion: jobtemplate-2023-09
$schema: https://example.invalid/job.json
name: Job
description: A job
extensions: [TASK_CHUNKING, FEATURE_BUNDLE_1, EXPR, REDACTED_ENV_VARS]
parameterDefinitions:
- {name: Frames, type: STRING, description: d, default: "1-2", minLength: 1, maxLength: 10, allowedValues: ["1-2", "3"],
   userInterface: {control: DROPDOWN_LIST, label: Frames, groupLabel: G}}
- {name: Count, type: INT, default: 1, minValue: 0, maxValue: 5, userInterface: {control: SPIN_BOX, singleStepDelta: 1}}
- {name: Ratio, type: FLOAT, default: 1.5, minValue: 0, maxValue: 5, userInterface: {control: SPIN_BOX, decimals: 2}}
- name: Scene
  type: PATH
  objectType: FILE
  dataFlow: IN
  default: /tmp/scene
  userInterface:
    control: CHOOSE_INPUT_FILE
    label: Scene
    fileFilters: [{label: all, patterns: ["*"]}]
    fileFilterDefault: {label: all, patterns: ["*"]}
jobEnvironments:
- name: Env
  description: an environment
  variables: {A: b}
  script:
    actions:
      onEnter:
        command: bash
        args: ["-c", "echo"]
        timeout: 10
        cancelation: {mode: NOTIFY_THEN_TERMINATE, notifyPeriodInSeconds: 30}
      onExit: {command: bash}
    embeddedFiles:
    - {name: F, type: TEXT, filename: f.sh, runnable: true, data: echo, endOfLine: LF}
steps:
- name: Render
  description: a step
  dependencies: [{dependsOn: Prepare}]
  hostRequirements:
    amounts: [{name: amount.worker.vcpu, min: 1, max: 4}]
    attributes: [{name: attr.worker.os.family, anyOf: [linux], allOf: [linux]}]
  parameterSpace:
    taskParameterDefinitions:
    - {name: Frame, type: INT, range: "1-10"}
    - name: Chunk
      type: CHUNK[INT]
      range: "1-10"
      chunks: {defaultTaskCount: 2, targetRuntimeSeconds: 10, rangeConstraint: CONTIGUOUS}
    combination: "Frame * Chunk"
  stepEnvironments:
  - {name: StepEnv, variables: {X: y}}
  script:
    actions:
      onRun: {command: bash, args: ["{{Task.Param.Frame}}"], timeout: 60}
    embeddedFiles:
    - {name: G, type: TEXT, data: echo}
- name: Prepare
  bash: {script: echo hi, args: [a], timeout: 10}
"""
ENVIRONMENT = """\
specificationVersion: environment-2023-09
extensions: [EXPR]
parameterDefinitions:
- {name: P, type: STRING, default: x}
environment:
  name: E
  description: d
  variables: {A: b}
  script:
    let: ["x = 1"]
    actions:
      onEnter:
        command: bash
        args: ["{{Param.P}}"]
        timeout: 10
        cancelation: {mode: TERMINATE}
      onExit: {command: bash}
    embeddedFiles:
    - {name: F, type: TEXT, data: echo}
"""
WRAPPING_ENVIRONMENT = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS, EXPR, FEATURE_BUNDLE_1]
environment:
  name: W
  script:
    actions:
      onEnter: {command: bash}
      onWrapEnvEnter:
        command: python
        args: ["-c", "{{repr_py(WrappedAction.Command)}}"]
        timeout: "{{ 10 }}"
        cancelation: {mode: NOTIFY_THEN_TERMINATE, notifyPeriodInSeconds: 5}
      onWrapTaskRun: {command: python, args: ["x"]}
      onWrapEnvExit: {command: python}
"""
TEMPLATES = {"job": JOB, "environment": ENVIRONMENT, "wrapping environment": WRAPPING_ENVIRONMENT}

# Where the reference is wrong, so the verdicts differ on purpose.
REFERENCE_BUGS = {
    # It checks that a step names an action by key, so a step whose only action is null passes with nothing to run.
    ("job", "steps/0/script"): "reference accepts a step without an action",
    ("job", "steps/1/bash"): "reference accepts a step without an action",
    # Its default-versus-constraints checks compare None (TypeError, reported as a validation error).
    ("job", "parameterDefinitions/0/default"): "reference crashes on a null default with minLength",
    ("job", "parameterDefinitions/1/default"): "reference crashes on a null default with minValue",
    ("job", "parameterDefinitions/2/default"): "reference crashes on a null default with minValue",
}


def key_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,)
            yield from key_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from key_paths(item, path + (index,))


def nulled(document: dict, path: tuple) -> dict:
    document = copy.deepcopy(document)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = None
    return document


def reference_accepts(document: dict) -> bool:
    decode = (model.decode_environment_template if document.get("specificationVersion") == "environment-2023-09"
              else model.decode_job_template)
    try:
        decode(template=document, supported_extensions=EVERY_EXTENSION)
    except Exception:
        return False
    return True


def errors(text: str, name: str = "job.yaml") -> list:
    result = lint_file(text.encode(), name, REGISTRY)
    return [d for d in result.diagnostics if d.severity is Severity.ERROR]


def _cases() -> list:
    cases = []
    for name, text in TEMPLATES.items():
        for path in key_paths(yaml.safe_load(text)):
            shown = "/".join(map(str, path))
            marks = [pytest.mark.xfail(reason=REFERENCE_BUGS[name, shown], strict=True)] if (
                (name, shown) in REFERENCE_BUGS) else []
            cases.append(pytest.param(name, path, id=f"{name}:{shown}", marks=marks))
    return cases


@pytest.mark.parametrize("name, path", _cases())
def test_a_null_key_gets_the_reference_verdict(name, path):
    document = nulled(yaml.safe_load(TEMPLATES[name]), path)
    found = errors(json.dumps(document), "template.json")
    assert (not found) == reference_accepts(document), [f"{d.rule} {d.message}" for d in found]


def test_the_templates_are_valid():
    for text in TEMPLATES.values():
        assert reference_accepts(yaml.safe_load(text)) and not errors(text)


SUBMITTER_STYLE = """\
specificationVersion: 'jobtemplate-2023-09'
name: Render
description:
parameterDefinitions:
- name: Frames
  type: STRING
  description:
  default: 1-10
  userInterface:
    control: LINE_EDIT
    label:
    groupLabel: ~
jobEnvironments:
steps:
- name: Render
  description: null
  dependencies:
  hostRequirements:
  parameterSpace:
    taskParameterDefinitions:
    - name: Frame
      type: INT
      range: "{{Param.Frames}}"
    combination:
  script:
    embeddedFiles:
    actions:
      onRun:
        command: render
        args: ['{{Task.Param.Frame}}']
        timeout:
        cancelation:
  stepEnvironments:
  - name: Setup
    description:
    script:
      actions:
        onEnter:
          command: setup
        onExit: ~
"""


def test_empty_optional_keys_as_submitters_write_them_are_silent():
    assert reference_accepts(yaml.safe_load(SUBMITTER_STYLE))
    assert lint_file(SUBMITTER_STYLE.encode(), "job.yaml", REGISTRY).diagnostics == []


def test_a_required_key_that_is_null_is_reported_at_the_key():
    text = JOB.replace("- name: Render\n", "- name:\n")
    [finding] = errors(text)
    line = text.splitlines().index("- name:") + 1
    assert (finding.rule, finding.line, finding.column, finding.end_line, finding.end_column) == ("S003", line, 3, line, 7)
    assert finding.message == "`name` is empty, but `steps[0]` requires it"
    assert finding.hint.startswith("give `name` a value")


def test_absent_keeps_its_rules():
    text = ENVIRONMENT.replace("      onEnter:\n        command: bash\n        args: [\"{{Param.P}}\"]\n"
                               "        timeout: 10\n        cancelation: {mode: TERMINATE}\n", "      onEnter:\n").replace(
        "      onExit: {command: bash}\n", "      onExit: ~\n")
    assert [(d.rule, d.message) for d in errors(text, "env.yaml")] == [
        ("S003", "`actions` needs at least one of: `onEnter`, `onExit`, `onWrapTaskRun`, `onWrapEnvEnter`, `onWrapEnvExit`")]


def test_a_null_variable_value_and_null_allowed_values_stay_errors():
    text = JOB.replace("variables: {A: b}", "variables: {A: ~}").replace('allowedValues: ["1-2", "3"],', "allowedValues: ~,")
    assert sorted(d.message for d in errors(text)) == ["`A` must be a string, not null",
                                                       "`allowedValues` must be a list, not null"]


def test_expand_treats_a_null_default_as_no_default(tmp_path, capsys):
    path = tmp_path / "job.yaml"
    path.write_text("specificationVersion: jobtemplate-2023-09\nname: J\nparameterDefinitions:\n"
                    "- {name: Greeting, type: STRING, default: ~}\nsteps:\n- name: S\n  script:\n    actions:\n"
                    "      onRun: {command: echo, args: ['{{Param.Greeting}}']}\n")
    assert main(["expand", str(path), "--format", "json", "-p", "Greeting=hi"]) == 0
    assert '"hi"' in capsys.readouterr().out
    assert main(["expand", str(path), "--format", "json"]) == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert "'Greeting' has no default" in finding["message"]
