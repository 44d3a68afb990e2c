from conftest import run_rule

from openjd_lint.rules import names

HEAD = "specificationVersion: jobtemplate-2023-09\nname: Job\n"
STEP = "- name: {}\n  script:\n    actions:\n      onRun:\n        command: run\n"


def test_duplicate_parameter_reported_at_each_repeat_and_names_the_first():
    template = HEAD + ("parameterDefinitions:\n- name: A\n  type: INT\n- name: B\n  type: INT\n"
                       "- name: A\n  type: STRING\n- name: A\n  type: PATH\n- name: a\n  type: INT\n"
                       "steps:\n" + STEP.format("S"))
    findings = run_rule(names.DUPLICATE_PARAMETER, template)
    assert [f.path for f in findings] == [("parameterDefinitions", 2, "name"), ("parameterDefinitions", 3, "name")]
    assert "parameterDefinitions[0].name" in findings[0].message
    assert findings[0].related[0].path == ("parameterDefinitions", 0, "name")
    assert findings[0].hint


def test_duplicate_step_names():
    findings = run_rule(names.DUPLICATE_STEP, HEAD + "steps:\n" + STEP.format("S") + STEP.format("T") + STEP.format("S"))
    assert [f.path for f in findings] == [("steps", 2, "name")]


def test_environment_names_unique_per_list_and_distinct_from_job_environments():
    env = "- name: {}\n  variables:\n    A: b\n"
    step_env = "  stepEnvironments:\n" + "".join(
        "  - name: {}\n    variables:\n      A: b\n".format(n) for n in ("Cache", "Cache", "Setup"))
    template = (HEAD + "jobEnvironments:\n" + env.format("Setup") + env.format("Setup")
                + "steps:\n" + STEP.format("S") + step_env + STEP.format("T") + step_env.replace("Cache", "Other"))
    duplicates = run_rule(names.DUPLICATE_ENVIRONMENT, template)
    assert [f.path for f in duplicates] == [
        ("jobEnvironments", 1, "name"), ("steps", 0, "stepEnvironments", 1, "name"),
        ("steps", 1, "stepEnvironments", 1, "name")]
    clashes = run_rule(names.STEP_ENVIRONMENT_CLASH, template)
    assert [f.path for f in clashes] == [("steps", 0, "stepEnvironments", 2, "name"),
                                         ("steps", 1, "stepEnvironments", 2, "name")]
    assert "jobEnvironments[0].name" in clashes[0].message


def test_two_steps_may_reuse_a_step_environment_name():
    step_env = "  stepEnvironments:\n  - name: Cache\n    variables:\n      A: b\n"
    template = HEAD + "steps:\n" + STEP.format("S") + step_env + STEP.format("T") + step_env
    assert run_rule(names.DUPLICATE_ENVIRONMENT, template) == []
    assert run_rule(names.STEP_ENVIRONMENT_CLASH, template) == []


def test_embedded_files_unique_per_script_including_environment_templates():
    files = "".join(f"      - name: {n}\n        type: TEXT\n        data: x\n" for n in ("F", "G", "F"))
    template = ("specificationVersion: environment-2023-09\nenvironment:\n  name: E\n  script:\n"
                "    actions:\n      onEnter:\n        command: run\n    embeddedFiles:\n" + files)
    findings = run_rule(names.DUPLICATE_EMBEDDED_FILE, template)
    assert [f.path for f in findings] == [("environment", "script", "embeddedFiles", 2, "name")]


def test_capability_names_compare_case_insensitively_per_list():
    template = HEAD + "steps:\n" + STEP.format("S") + (
        "  hostRequirements:\n    amounts:\n    - name: amount.worker.vcpu\n      min: 1\n"
        "    - name: Amount.Worker.VCPU\n      min: 2\n"
        "    attributes:\n    - name: attr.worker.os.family\n      anyOf: [linux]\n")
    findings = run_rule(names.DUPLICATE_CAPABILITY, template)
    assert [f.path for f in findings] == [("steps", 0, "hostRequirements", "amounts", 1, "name")]


def test_duplicate_task_parameters_and_dependencies():
    space = ("  parameterSpace:\n    taskParameterDefinitions:\n"
             "    - name: F\n      type: INT\n      range: [1]\n    - name: F\n      type: INT\n      range: [2]\n")
    deps = "  dependencies:\n  - dependsOn: S\n  - dependsOn: S\n"
    template = HEAD + "steps:\n" + STEP.format("S") + space + STEP.format("T") + deps
    assert [f.path for f in run_rule(names.DUPLICATE_TASK_PARAMETER, template)] == [
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 1, "name")]
    assert [f.path for f in run_rule(names.DUPLICATE_DEPENDENCY, template)] == [
        ("steps", 1, "dependencies", 1, "dependsOn")]


def test_malformed_documents_give_no_findings_and_no_crash():
    template = HEAD + "parameterDefinitions: 5\nsteps:\n- 3\n- name: [x]\n  stepEnvironments: {a: b}\n"
    for rule in names.RULES:
        assert run_rule(rule, template) == []
