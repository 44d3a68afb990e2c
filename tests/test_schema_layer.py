"""The schema layer: each S rule fires at the right place with a useful message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import extend

from openjd_lint.pipeline import lint_bytes
from openjd_lint.load.tree import to_plain
from openjd_lint.load.yaml_loader import load_bytes
from openjd_lint.rules import REGISTRY
from openjd_lint.rules import validation as schema_rules
from openjd_lint.validation import _deduplicated, findings_of
from openjd_lint.validation.errors import ErrorCompiler
from openjd_lint.validation.mapping import findings_for
from openjd_lint.validation.precheck import Compiler
from openjd_lint.validation.validator import schema_for

JOB = """\
specificationVersion: jobtemplate-2023-09
{extensions}name: Render
steps:
- name: Frame
  script:
    actions:
      onRun:
        command: render
{on_run}"""

ENVIRONMENT = """\
specificationVersion: environment-2023-09
{extensions}environment:
  name: Env
  script:
    actions:
{actions}"""


def job(on_run: str = "", extensions: str = "") -> str:
    return JOB.format(on_run=on_run, extensions=f"extensions: [{extensions}]\n" if extensions else "")


def schema_diagnostics(text: str) -> list:
    diagnostics = lint_bytes(text.encode("utf-8"), "template.yaml", REGISTRY).diagnostics
    return [d for d in diagnostics if d.rule.startswith("S")]


def only(text: str):
    diagnostics = schema_diagnostics(text)
    assert len(diagnostics) == 1, [(d.rule, d.line, d.column, d.message) for d in diagnostics]
    return diagnostics[0]


def test_unknown_key_points_at_the_key_and_suggests_the_closest():
    found = only(job("        timeOut: 60\n"))
    assert (found.rule, found.line, found.column, found.end_column) == ("S002", 9, 9, 16)
    assert "`timeOut`" in found.message and found.hint == "did you mean `timeout`?"


def test_missing_key_points_at_the_mapping_that_lacks_it():
    found = only(job().replace("        command: render\n", "        args: [x]\n"))
    assert (found.rule, found.line, found.column) == ("S003", 7, 7)
    assert "`command`" in found.message


def test_wrong_type():
    found = only(job("        timeout: [60]\n"))
    assert (found.rule, found.line, found.column) == ("S004", 9, 9)
    assert "not a list" in found.message


def test_invalid_value_lists_allowed_values_and_suggests_one():
    found = only(job("        cancelation:\n          mode: TERMINAT\n"))
    assert (found.rule, found.line, found.column) == ("S005", 10, 17)
    assert "NOTIFY_THEN_TERMINATE" in found.message and found.hint == "did you mean `TERMINATE`?"


def test_unknown_parameter_type_is_an_invalid_value():
    text = job().replace("steps:", "parameterDefinitions:\n- name: Frames\n  type: INTEGER\nsteps:")
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S005", 5, 9)
    assert found.hint == "did you mean `INT`?"


def test_length_limit():
    found = only(job().replace("- name: Frame", "- name: ''"))
    assert (found.rule, found.line, found.column) == ("S006", 4, 9)


def test_pattern_mismatch_describes_the_form_not_the_regex():
    text = job().replace("steps:", "parameterDefinitions:\n- name: 1st\n  type: INT\nsteps:")
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S007", 4, 9)
    assert "identifier" in found.message and "^" not in found.message


def test_out_of_range():
    found = only(job("        timeout: 0\n"))
    assert (found.rule, found.line, found.column) == ("S008", 9, 18)
    assert "at least 1" in found.message


def test_infinite_float_asks_for_a_finite_number():
    found = only(job().replace("steps:", "parameterDefinitions:\n- {name: F, type: FLOAT, default: .inf}\nsteps:"))
    assert (found.rule, found.line) == ("S008", 4)
    assert "finite" in found.message


def test_duplicate_items_point_at_the_repeat():
    found = only(job(extensions="EXPR, EXPR"))
    assert (found.rule, found.line, found.column) == ("S009", 2, 20)


def test_unknown_extension_is_an_invalid_value():
    found = only(job(extensions="EPXR"))
    assert (found.rule, found.line) == ("S005", 2)
    assert found.hint == "did you mean `EXPR`?"


def test_empty_extension_list():
    assert only(job().replace("name: Render", "extensions: []\nname: Render")).rule == "S006"


@pytest.mark.parametrize("text,extension,line,column", [
    (job("        timeout: '{{Param.T}}'\n"), "FEATURE_BUNDLE_1", 9, 18),
    (job().replace("  script:\n    actions:\n      onRun:\n        command: render\n", "  bash:\n    script: x\n"),
     "FEATURE_BUNDLE_1", 5, 3),
    (job().replace("- name: Frame", "- name: " + "F" * 65), "FEATURE_BUNDLE_1", 4, 9),
    (job().replace("- name: Frame", "- name: Frame\n  let: ['x = 1']"), "EXPR", 5, 3),
    (job().replace("steps:", "parameterDefinitions:\n- name: Flag\n  type: BOOL\nsteps:"), "EXPR", 5, 9),
    (job().replace("steps:", "parameterDefinitions:\n- name: N\n  type: int\nsteps:"), "EXPR", 5, 9),
    (job().replace("  script:", "  parameterSpace:\n    taskParameterDefinitions:\n    - name: F\n      type: CHUNK[INT]\n"
                   "      range: 1-10\n      chunks: {defaultTaskCount: 2, rangeConstraint: CONTIGUOUS}\n  script:"),
     "TASK_CHUNKING", 8, 13),
    (ENVIRONMENT.format(extensions="extensions: [EXPR]\n", actions="      onWrapTaskRun: {command: x}\n"),
     "WRAP_ACTIONS", 7, 7),
    (job(extensions="WRAP_ACTIONS"), "EXPR", 2, 1),
])
def test_gated_feature_names_the_extension(text, extension, line, column):
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S010", line, column)
    assert f"requires the {extension} extension" in found.message


@pytest.mark.parametrize("text", [
    job("        timeout: '{{Param.T}}'\n", extensions="FEATURE_BUNDLE_1").replace(
        "steps:", "parameterDefinitions:\n- {name: T, type: INT}\nsteps:"),
    job().replace("- name: Frame", "- name: " + "F" * 65).replace("name: Render", "extensions: [FEATURE_BUNDLE_1]\nname: Render"),
    job(extensions="EXPR").replace("steps:", "parameterDefinitions:\n- name: Flags\n  type: list[bool]\nsteps:"),
    ENVIRONMENT.format(extensions="extensions: [EXPR, WRAP_TASK_RUN]\n", actions="      onWrapTaskRun: {command: x}\n"),
])
def test_declared_extension_lifts_its_gate(text):
    assert schema_diagnostics(text) == []


def test_a_limit_broken_beyond_the_extension_is_a_length_finding_only():
    text = job().replace("- name: Frame", "- name: " + "F" * 600)
    found = only(text)
    assert found.rule == "S006" and "512" in found.message


def test_wrap_actions_hooks_come_together():
    text = ENVIRONMENT.format(extensions="extensions: [EXPR, WRAP_ACTIONS]\n",
                              actions="      onWrapEnvEnter: {command: x}\n      onWrapTaskRun: {command: x}\n")
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S003", 6, 5)
    assert "`onWrapEnvExit`" in found.message


def test_both_wrap_revisions_cannot_be_declared_together():
    found = only(job(extensions="EXPR, WRAP_TASK_RUN, WRAP_ACTIONS"))
    assert (found.rule, found.line) == ("S011", 2)
    assert "WRAP_TASK_RUN" in found.message


def test_step_without_a_runner_gives_one_finding_at_the_step():
    text = job().replace("  script:\n    actions:\n      onRun:\n        command: render\n", "  description: x\n")
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S003", 4, 3)
    assert "`script`" in found.message and "`bash`" in found.message


def test_step_with_two_runners_gives_one_finding_at_the_second():
    text = job(extensions="FEATURE_BUNDLE_1") + "  python:\n    script: x\n"
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S011", 10, 3)


def test_environment_needs_script_or_variables():
    found = only("specificationVersion: environment-2023-09\nenvironment:\n  name: Env\n")
    assert (found.rule, found.line, found.column) == ("S003", 2, 1)
    assert "`script`" in found.message and "`variables`" in found.message


def test_discriminated_parameter_reports_keys_of_its_own_type():
    text = job().replace("steps:", "parameterDefinitions:\n- name: N\n  type: INT\n  minLength: 1\nsteps:")
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S002", 6, 3)
    assert "minValue" in found.hint


def test_terminate_takes_no_notify_period():
    found = only(job("        cancelation:\n          mode: TERMINATE\n          notifyPeriodInSeconds: 5\n"))
    assert (found.rule, found.line, found.column) == ("S002", 11, 11)
    assert "NOTIFY_THEN_TERMINATE" in found.message


def test_cancelation_without_mode_is_only_a_missing_key():
    found = only(job("        cancelation:\n          notifyPeriodInSeconds: 5\n"))
    assert (found.rule, found.line, found.column) == ("S003", 9, 9)


def test_a_truncated_key_suggests_the_key_it_starts():
    found = only(job("        cancel: {mode: TERMINATE}\n"))
    assert found.hint == "did you mean `cancelation`?"


def test_environment_variable_names_are_checked_at_the_key():
    text = ("specificationVersion: environment-2023-09\nenvironment:\n  name: Env\n  variables:\n"
            "    1BAD: x\n")
    found = only(text)
    assert (found.rule, found.line, found.column) == ("S007", 5, 5)


def test_all_errors_of_a_file_are_reported_in_one_pass():
    text = job("        timeout: 0\n        timeOut: 1\n").replace("- name: Frame", "- name: ''")
    assert sorted(d.rule for d in schema_diagnostics(text)) == ["S002", "S006", "S008"]


def test_output_is_deterministic():
    text = job("        timeout: [0]\n        timeOut: 1\n        cancelation: {mode: X}\n")
    assert schema_diagnostics(text) == schema_diagnostics(text)


@pytest.mark.parametrize("text", [
    "specificationVersion: jobtemplate-2023-09\nextensions: EXPR\nname: 5\nsteps: {a: 1}\n",
    "specificationVersion: jobtemplate-2023-09\n1: x\nnull: y\nname: [a]\nsteps: [[], 1, null]\n",
    "specificationVersion: environment-2023-09\nenvironment: [1, 2]\nparameterDefinitions: [{type: [x]}]\n",
    job("        cancelation: {mode: [1]}\n        args: [{a: b}]\n", extensions="null"),
])
def test_malformed_templates_give_findings_not_exceptions(text):
    assert schema_diagnostics(text)


@pytest.mark.parametrize("rule", [r for r in schema_rules.RULES if r.id != "S001"], ids=lambda r: r.id)
def test_good_examples_are_schema_clean(rule):
    assert schema_diagnostics(rule.good) == []


# The layer answers "valid?" with compiled predicates and reports errors with compiled reporters, without
# jsonschema; jsonschema stays the oracle: the same verdicts, the same errors and the same findings.

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
MUTATIONS = [0, -1, 1.5, "", "x" * 600, "{{Param.X}}", "lower", True, None, [], {}, ["a", "a"], {"zz": 1}]


def _fixture_documents() -> list:
    if not CONFORMANCE.is_dir():
        return []
    documents = []
    for path in sorted((CONFORMANCE / "2023-09").rglob("*")):
        if path.suffix not in (".yaml", ".json"):
            continue
        loaded = load_bytes(path.read_bytes(), str(path), is_json=path.suffix == ".json")
        plain = to_plain(loaded.root) if loaded.root is not None else None
        if path.name.endswith(".test.yaml"):
            documents.append(plain["template"])
            documents.extend(plain.get("environments") or [])
        else:
            documents.append(plain)
    return [d for d in documents if isinstance(d, dict) and d.get("specificationVersion") in KINDS]


KINDS = {"jobtemplate-2023-09": "job", "environment-2023-09": "environment"}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


def _replaced(document, path, replacement):
    copy = json.loads(json.dumps(document))
    target = copy
    for element in path[:-1]:
        target = target[element]
    target[path[-1]] = replacement
    return copy


def _mutants(document, count: int = 5):
    paths = list(_paths(document))[1:]
    stride = max(1, len(paths) // count)
    for number, path in enumerate(paths[::stride]):
        yield _replaced(document, path, MUTATIONS[(number + len(paths)) % len(MUTATIONS)])


def _is_integer(checker, instance) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


def _additional_properties_in_key_order(validator, additional, instance, schema):
    # stock jsonschema visits the extra keys in set order, which varies between processes
    if isinstance(additional, dict) and isinstance(instance, dict):
        for key in instance:
            if key not in schema.get("properties", {}):
                yield from validator.descend(instance[key], additional, path=key)
    else:
        yield from Draft202012Validator.VALIDATORS["additionalProperties"](validator, additional, instance, schema)


_OracleValidator = extend(
    Draft202012Validator,
    validators={"additionalProperties": _additional_properties_in_key_order},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer))


def _jsonschema_findings(validator, document) -> list:
    """The layer as it was: jsonschema's errors through the same mapping."""
    return _deduplicated([finding for error in validator.iter_errors(document) for finding in findings_for(error)])


def _described(errors) -> list:
    return [(error.validator, error.validator_value, list(error.absolute_path), list(error.absolute_schema_path),
             id(error.schema), error.message, _described(error.context)) for error in errors]


@pytest.fixture(scope="module")
def oracles():
    """jsonschema (integers made strict, as OpenJD wants; extra keys visited in order), on the schema the
    layer compiled."""
    return {kind: _OracleValidator(schema_for(kind).schema) for kind in KINDS.values()}


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"conformance fixtures not found at {CONFORMANCE}")
def test_compiled_checker_reports_what_jsonschema_reports(oracles):
    checked = invalid = 0
    for document in _fixture_documents():
        kind = KINDS[document["specificationVersion"]]
        layer = schema_for(kind)
        for candidate in [document, *_mutants(document)]:
            expected = list(oracles[kind].iter_errors(candidate))
            assert layer.is_valid(candidate) == (not expected), candidate
            assert _described(layer.errors(candidate)) == _described(expected), candidate
            assert findings_of(layer, candidate) == _jsonschema_findings(oracles[kind], candidate), candidate
            checked += 1
            invalid += bool(expected)
    assert checked > 1500 and invalid > 1000


@pytest.mark.parametrize("compiler", [Compiler, ErrorCompiler])
def test_compilers_refuse_keywords_they_do_not_implement(compiler):
    with pytest.raises(ValueError, match="patternProperties"):
        compiler({}).compile({"patternProperties": {"^x": {}}})


@pytest.mark.parametrize("compiler", [Compiler, ErrorCompiler])
def test_compilers_refuse_false_subschemas(compiler):
    with pytest.raises(ValueError, match="false"):
        compiler({}).compile({"properties": {"old": False}})


def _mapped(schema: dict, instance) -> list:
    return [finding for error in Draft202012Validator(schema).iter_errors(instance) for finding in findings_for(error)]


def test_alternatives_report_the_branch_that_got_furthest():
    schema = {"anyOf": [
        {"type": "string"},
        {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
        {"type": "object", "properties": {"b": {"type": "object", "properties": {"c": {"enum": [1, 2]}}}}},
    ]}
    findings = _mapped(schema, {"a": "x", "b": {"c": 3}})
    assert [(f.rule, f.path) for f in findings] == [("S005", ("b", "c"))]


def test_forbidden_key_is_reported_at_the_key():
    findings = _mapped({"properties": {"old": {"not": {}}}}, {"old": 1})
    assert [(f.rule, f.path, f.on_key) for f in findings] == [("S002", ("old",), True)]


def test_keyword_without_a_rule_of_its_own_is_an_invalid_structure():
    findings = _mapped({"properties": {"n": {"multipleOf": 5}}}, {"n": 7})
    assert [(f.rule, f.path) for f in findings] == [("S011", ("n",))]
