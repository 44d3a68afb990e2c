"""Hints that work: an empty required list is not to be removed, an unknown function gets the function users
mean, and a template whose body and `specificationVersion` disagree is told to fix the version."""

from __future__ import annotations

import pytest

from openjd_lint.pipeline import lint_file
from openjd_lint.rules import REGISTRY
from test_cli import cli

STEP = "- name: S\n  script:\n    actions:\n      onRun:\n        command: x\n"


def findings(text: str, name: str = "job.yaml") -> list:
    return lint_file(text.encode(), name, REGISTRY).diagnostics


def hints(text: str) -> dict:
    return {(d.line, d.message): d.hint for d in findings(text) if d.rule == "S006"}


def test_an_empty_required_list_is_not_to_be_removed():
    assert hints("specificationVersion: jobtemplate-2023-09\nname: J\nsteps: []\n") == {
        (3, "`steps` must not be empty"): "add at least one item"}
    assert hints("specificationVersion: jobtemplate-2023-09\nname: J\nsteps:\n- name: S\n  parameterSpace:\n"
                 "    taskParameterDefinitions: []\n  script:\n    actions:\n      onRun:\n        command: x\n") == {
        (6, "`taskParameterDefinitions` must not be empty"): "add at least one item"}


def test_an_empty_optional_list_may_be_removed():
    assert hints("specificationVersion: jobtemplate-2023-09\nname: J\nextensions: []\nsteps:\n" + STEP
                 + "        args: []\n") == {
        (3, "`extensions` must not be empty"): "remove `extensions`, or add at least one item",
        (10, "`args` must not be empty"): "remove `args`, or add at least one item"}


def test_removal_is_offered_only_where_the_rest_still_holds():
    environment = "specificationVersion: environment-2023-09\nenvironment:\n  name: E\n  variables: {}\n"
    assert hints(environment) == {(4, "`variables` must not be empty"): "add at least one entry"}
    assert hints(environment + "  script:\n    actions:\n      onEnter:\n        command: x\n") == {
        (4, "`variables` must not be empty"): "remove `variables`, or add at least one entry"}
    requirements = ("specificationVersion: jobtemplate-2023-09\nname: J\nsteps:\n- name: S\n  hostRequirements:\n"
                    "    amounts: []\n    attributes: {attributes}\n  script:\n    actions:\n      onRun:\n"
                    "        command: x\n")
    assert hints(requirements.format(attributes="[{name: attr.worker.os.family, anyOf: [linux]}]")) == {
        (6, "`amounts` must not be empty"): "remove `amounts`, or add at least one item"}
    assert hints(requirements.format(attributes="[]").replace("    amounts: []\n", "")) == {
        (6, "`attributes` must not be empty"): "add at least one item"}


def call(expression: str) -> list:
    text = ("specificationVersion: jobtemplate-2023-09\nextensions: [EXPR]\nname: J\nsteps:\n" + STEP
            + f'        args: ["{{{{ {expression} }}}}"]\n')
    return [d.message for d in findings(text) if d.severity.label == "error"]


@pytest.mark.parametrize("expression, meant", [
    ("str(1)", "string"), ("integer('5')", "int"), ("length('ab')", "len"), ("trim(' a ')", "strip"),
    ("shlex_quote('a b')", "repr_sh"), ("toUpperCase('a')", "upper"), ("strp(' a ')", "strip"),
])
def test_an_unknown_function_suggests_the_function_users_mean(expression, meant):
    name = expression.split("(")[0]
    assert call(expression) == [f"Unknown function '{name}'; did you mean '{meant}'?"]


def test_the_functions_users_mean_exist():
    assert call("string(int('5') + len('ab'))") == []


def test_an_environment_body_under_a_job_version_is_told_to_fix_the_version(tmp_path):
    text = ("specificationVersion: 'jobtemplate-2023-09'\nparameterDefinitions:\n- {name: P, type: STRING}\n"
            "environment:\n  name: E\n  bogus: 1\n  variables: {A: '{{Param.P}}'}\n")
    found = findings(text)
    assert [(d.rule, d.line, d.column, d.end_column) for d in found] == [("S001", 1, 23, 44), ("S002", 6, 3, 8)]
    assert found[0].message == ("the template is an environment template (it has `environment` and no `steps`), "
                                "but `specificationVersion` is 'jobtemplate-2023-09'")
    assert found[0].hint.startswith("set `specificationVersion: environment-2023-09`")
    assert not found[0].fix.safe
    path = tmp_path / "env.yaml"
    path.write_text(text)
    assert cli("check", "--no-cache", "--fix", "--unsafe-fixes", str(path)).returncode == 1
    assert path.read_text().startswith("specificationVersion: 'environment-2023-09'\n")


def test_a_job_body_under_an_environment_version_is_told_to_fix_the_version():
    found = findings("specificationVersion: environment-2023-09\nname: J\nsteps:\n" + STEP)
    assert [(d.rule, d.message) for d in found] == [
        ("S001", "the template is a job template (it has `steps` and no `environment`), but `specificationVersion` "
                 "is 'environment-2023-09'")]


def test_a_body_that_says_nothing_clear_keeps_the_version_it_declares():
    found = findings("specificationVersion: jobtemplate-2023-09\nname: J\nenvironment: {name: E}\nsteps:\n" + STEP)
    assert [(d.rule, d.message) for d in found] == [("S002", "unknown key `environment` in the template root")]


def test_an_unknown_or_missing_version_names_the_one_the_body_needs():
    environment = "environment:\n  name: E\n  variables: {A: b}\n"
    [found] = findings("specificationVersion: environment-2023\n" + environment)
    assert (found.rule, found.message, found.hint) == ("S001", "unknown specificationVersion 'environment-2023'",
                                                       "use environment-2023-09")
    [found] = findings("name: J\nsteps:\n" + STEP)
    assert (found.message, found.hint) == ("`specificationVersion` is missing",
                                           "add `specificationVersion: jobtemplate-2023-09`")
    [found] = findings("parameterDefinitions: []\n")
    assert found.hint == "add `specificationVersion` (environment-2023-09, jobtemplate-2023-09)"
