"""Differential test: the T-family verdicts against the reference validator (openjd-model 0.14.0).

Each case is a small job template; the linter (full pipeline) and the reference must agree on
accepting or rejecting it. (Cases where the spec digest says the reference is wrong are not here.)
"""

from __future__ import annotations

import pytest
import yaml

import openjd_lint.rules
from openjd_lint.pipeline import lint_bytes
from openjd_lint.findings import Severity

decode_job_template = pytest.importorskip("openjd.model").decode_job_template

STEP = {"name": "S", "script": {"actions": {"onRun": {"command": "run"}}}}


def _parameters(text: str) -> dict:
    return {"parameterDefinitions": yaml.safe_load(text), "steps": [STEP]}


def _step(text: str) -> dict:
    return {"steps": [{**STEP, **yaml.safe_load(text)}]}


def _steps(text: str) -> dict:
    return {"steps": [{**STEP, **step} for step in yaml.safe_load(text)]}


CASES = {
    "checkbox pair": _parameters("[{name: P, type: STRING, allowedValues: ['On', 'off'], userInterface: {control: CHECK_BOX}}]"),
    "checkbox three values": _parameters(
        "[{name: P, type: STRING, allowedValues: ['true', 'false', 'yes'], userInterface: {control: CHECK_BOX}}]"),
    "dropdown without allowed": _parameters("[{name: P, type: INT, userInterface: {control: DROPDOWN_LIST}}]"),
    "spin box with allowed": _parameters("[{name: P, type: INT, allowedValues: [1], userInterface: {control: SPIN_BOX}}]"),
    "hidden with allowed": _parameters("[{name: P, type: STRING, allowedValues: [a], userInterface: {control: HIDDEN}}]"),
    "decimals with hidden": _parameters("[{name: P, type: FLOAT, userInterface: {control: HIDDEN, decimals: 2}}]"),
    "decimals on default dropdown": _parameters("[{name: P, type: FLOAT, allowedValues: [1.5], userInterface: {decimals: 2}}]"),
    "step delta on default dropdown": _parameters(
        "[{name: P, type: INT, allowedValues: [1, 2], userInterface: {singleStepDelta: 1}}]"),
    "file chooser on file": _parameters(
        "[{name: P, type: PATH, objectType: FILE, userInterface: {control: CHOOSE_INPUT_FILE, "
        "fileFilters: [{label: T, patterns: ['*.txt']}]}}]"),
    "directory chooser on file": _parameters(
        "[{name: P, type: PATH, objectType: FILE, userInterface: {control: CHOOSE_DIRECTORY}}]"),
    "string lengths inverted": _parameters("[{name: P, type: STRING, minLength: 5, maxLength: 2}]"),
    "string default too short": _parameters("[{name: P, type: STRING, minLength: 3, default: ab}]"),
    "allowed value too long": _parameters("[{name: P, type: STRING, maxLength: 2, allowedValues: [abc]}]"),
    "float default equals allowed int": _parameters("[{name: P, type: FLOAT, default: '1.0', allowedValues: [1]}]"),
    "int default not allowed": _parameters("[{name: P, type: INT, default: 4, allowedValues: [1, 2]}]"),
    "int allowed above max": _parameters("[{name: P, type: INT, maxValue: 5, allowedValues: [1, 9]}]"),
    "duplicate parameters": _parameters("[{name: P, type: INT}, {name: P, type: STRING}]"),
    "reserved amount": _step("{hostRequirements: {amounts: [{name: amount.worker.licenses, min: 1}]}}"),
    "vendor standard amount": _step("{hostRequirements: {amounts: [{name: 'ab:amount.worker.vcpu', min: 1}]}}"),
    "standard amount any case": _step("{hostRequirements: {amounts: [{name: Amount.Worker.VCPU, min: 1}]}}"),
    "os family value": _step("{hostRequirements: {attributes: [{name: attr.worker.os.family, anyOf: [ubuntu]}]}}"),
    "os family two allOf": _step("{hostRequirements: {attributes: [{name: attr.worker.os.family, allOf: [linux, macos]}]}}"),
    "amount min above max": _step("{hostRequirements: {amounts: [{name: amount.studio.x, min: 5, max: 2}]}}"),
    "duplicate capability any case": _step(
        "{hostRequirements: {amounts: [{name: amount.a.b, min: 1}, {name: AMOUNT.A.B, min: 2}]}}"),
    "duplicate task parameter": _step(
        "{parameterSpace: {taskParameterDefinitions: [{name: F, type: INT, range: [1]}, {name: F, type: INT, range: [2]}]}}"),
    "combination product": _step(
        "{parameterSpace: {taskParameterDefinitions: [{name: F, type: INT, range: '1-3'}, "
        "{name: G, type: INT, range: [1, 2]}], combination: 'G * F'}}"),
    "combination unknown name": _step(
        "{parameterSpace: {taskParameterDefinitions: [{name: F, type: INT, range: '1-3'}], combination: 'F * G'}}"),
    "range expression zero step": _step(
        "{parameterSpace: {taskParameterDefinitions: [{name: F, type: INT, range: '1-9:0'}]}}"),
    "range expression overlap": _step(
        "{parameterSpace: {taskParameterDefinitions: [{name: F, type: INT, range: '1-5,3'}]}}"),
    "duplicate step names": _steps("[{name: A}, {name: A}]"),
    "unknown dependency": _steps("[{name: A}, {name: B, dependencies: [{dependsOn: C}]}]"),
    "self dependency": _steps("[{name: A, dependencies: [{dependsOn: A}]}]"),
    "three-step cycle": _steps("[{name: A, dependencies: [{dependsOn: C}]}, {name: B, dependencies: [{dependsOn: A}]}, "
                               "{name: C, dependencies: [{dependsOn: B}]}]"),
    "diamond": _steps("[{name: A}, {name: B, dependencies: [{dependsOn: A}]}, {name: C, dependencies: [{dependsOn: A}]}, "
                      "{name: D, dependencies: [{dependsOn: B}, {dependsOn: C}]}]"),
    "duplicate dependency": _steps("[{name: A}, {name: B, dependencies: [{dependsOn: A}, {dependsOn: A}]}]"),
    "step env named like job env": {
        "jobEnvironments": [{"name": "E", "variables": {"A": "b"}}],
        "steps": [{**STEP, "stepEnvironments": [{"name": "E", "variables": {"A": "b"}}]}]},
}

def _reference_rejects(template: dict) -> bool:
    try:
        decode_job_template(template=template, supported_extensions=[])
    except Exception:  # a validation error, or one of the reference's crashes (cycles): a rejection either way
        return True
    return False


def _linter_rejects(template: dict) -> bool:
    data = yaml.safe_dump(template, sort_keys=False).encode()
    diagnostics = lint_bytes(data, "case.yaml", openjd_lint.rules.REGISTRY).diagnostics
    return any(d.severity == Severity.ERROR for d in diagnostics)


@pytest.mark.parametrize("case", sorted(CASES))
def test_linter_agrees_with_the_reference(case):
    template = {"specificationVersion": "jobtemplate-2023-09", "name": "Job", **CASES[case]}
    assert _linter_rejects(template) == _reference_rejects(template)
