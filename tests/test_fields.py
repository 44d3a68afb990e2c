"""The format-string field catalogue: every field, its path, scope, target type and enclosing parts."""

from conftest import context_of

from openjd_lint.model.fields import (
    ARG, ATTRIBUTE_VALUE, CANCELATION_MODE, CHUNK_COUNT, CHUNK_RUNTIME, COMMAND, DATA, JOB_NAME, LET, NOTIFY_PERIOD,
    RANGE, RANGE_ITEM, SCRIPT, SESSION, TASK, TEMPLATE, TIMEOUT, VARIABLE, AMOUNT_MIN, AMOUNT_NAME,
    format_string_fields, let_blocks,
)

JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR, FEATURE_BUNDLE_1, TASK_CHUNKING, WRAP_ACTIONS]
name: "{{Param.Shot}}"
parameterDefinitions:
- {name: Shot, type: STRING}
jobEnvironments:
- name: Env
  variables:
    A: "{{Param.Shot}}"
    B: 5
  script:
    let: [w = Session.WorkingDirectory]
    actions:
      onEnter:
        command: "{{w}}"
        args: ["-x", 7]
        timeout: "{{ 10 }}"
        cancelation: {mode: NOTIFY_THEN_TERMINATE, notifyPeriodInSeconds: "5"}
      onWrapTaskRun:
        command: run
    embeddedFiles:
    - {name: F, type: TEXT, data: "d"}
steps:
- name: S
  let: [a = 1]
  hostRequirements:
    amounts:
    - {name: amount.x, min: "{{a}}", max: 3}
    attributes:
    - {name: attr.y, anyOf: [v1, "{{a}}"]}
  parameterSpace:
    taskParameterDefinitions:
    - {name: F, type: int, range: "1-{{a}}"}
    - {name: G, type: STRING, range: ["x", "{{a}}"]}
    - name: C
      type: CHUNK[INT]
      range: "1-10"
      chunks: {defaultTaskCount: "{{a}}", targetRuntimeSeconds: "0", rangeConstraint: CONTIGUOUS}
  stepEnvironments:
  - name: StepEnv
    variables: {V: x}
  script:
    let: [b = a]
    actions:
      onRun:
        command: run
        cancelation: {mode: "{{ 'TERMINATE' }}"}
    embeddedFiles:
    - {name: G, type: TEXT, data: "{{b}}"}
- name: T
  bash:
    let: [c = 2]
    script: echo
    args: [x]
    timeout: "9"
"""


def _by_path(template=JOB):
    return {field.path: field for field in format_string_fields(context_of(template))}


def test_every_string_field_is_catalogued_in_document_order():
    paths = [field.path for field in format_string_fields(context_of(JOB))]
    assert paths == [
        ("name",),
        ("jobEnvironments", 0, "variables", "A"),
        ("jobEnvironments", 0, "script", "let", 0),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "command"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "args", 0),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "timeout"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "cancelation", "mode"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "cancelation", "notifyPeriodInSeconds"),
        ("jobEnvironments", 0, "script", "actions", "onWrapTaskRun", "command"),
        ("jobEnvironments", 0, "script", "embeddedFiles", 0, "data"),
        ("steps", 0, "let", 0),
        ("steps", 0, "hostRequirements", "amounts", 0, "name"),
        ("steps", 0, "hostRequirements", "amounts", 0, "min"),
        ("steps", 0, "hostRequirements", "attributes", 0, "name"),
        ("steps", 0, "hostRequirements", "attributes", 0, "anyOf", 0),
        ("steps", 0, "hostRequirements", "attributes", 0, "anyOf", 1),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 0, "range"),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 1, "range", 0),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 1, "range", 1),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 2, "range"),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 2, "chunks", "defaultTaskCount"),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 2, "chunks", "targetRuntimeSeconds"),
        ("steps", 0, "stepEnvironments", 0, "variables", "V"),
        ("steps", 0, "script", "let", 0),
        ("steps", 0, "script", "actions", "onRun", "command"),
        ("steps", 0, "script", "actions", "onRun", "cancelation", "mode"),
        ("steps", 0, "script", "embeddedFiles", 0, "data"),
        ("steps", 1, "bash", "let", 0),
        ("steps", 1, "bash", "script"),
        ("steps", 1, "bash", "args", 0),
        ("steps", 1, "bash", "timeout"),
    ]


def test_roles_scopes_host_and_targets():
    fields = _by_path()
    expected = {
        ("name",): (JOB_NAME, TEMPLATE, False, "string"),
        ("jobEnvironments", 0, "variables", "A"): (VARIABLE, SESSION, True, "string"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "command"): (COMMAND, SESSION, True, "string"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "args", 0): (ARG, SESSION, True, "string? | list[string]"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "timeout"): (TIMEOUT, TEMPLATE, False, "int?"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "cancelation", "mode"):
            (CANCELATION_MODE, TEMPLATE, False, "string?"),
        ("jobEnvironments", 0, "script", "actions", "onEnter", "cancelation", "notifyPeriodInSeconds"):
            (NOTIFY_PERIOD, TEMPLATE, False, "int?"),
        ("jobEnvironments", 0, "script", "embeddedFiles", 0, "data"): (DATA, SESSION, True, "string"),
        ("steps", 0, "let", 0): (LET, TEMPLATE, False, None),
        ("steps", 0, "hostRequirements", "amounts", 0, "name"): (AMOUNT_NAME, TEMPLATE, False, "string"),
        ("steps", 0, "hostRequirements", "amounts", 0, "min"): (AMOUNT_MIN, TEMPLATE, False, "float?"),
        ("steps", 0, "hostRequirements", "attributes", 0, "anyOf", 1):
            (ATTRIBUTE_VALUE, TEMPLATE, False, "string? | list[string]"),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 0, "range"):
            (RANGE, TEMPLATE, False, "range_expr | list[int] | int | string"),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 1, "range", 1):
            (RANGE_ITEM, TEMPLATE, False, "string"),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 2, "chunks", "defaultTaskCount"):
            (CHUNK_COUNT, TEMPLATE, False, "int"),
        ("steps", 0, "parameterSpace", "taskParameterDefinitions", 2, "chunks", "targetRuntimeSeconds"):
            (CHUNK_RUNTIME, TEMPLATE, False, "int?"),
        ("steps", 0, "script", "let", 0): (LET, TASK, True, None),
        ("steps", 0, "script", "embeddedFiles", 0, "data"): (DATA, TASK, True, "string"),
        ("steps", 1, "bash", "let", 0): (LET, TASK, True, None),
        ("steps", 1, "bash", "script"): (SCRIPT, TASK, True, "string"),
        ("steps", 1, "bash", "args", 0): (ARG, TASK, True, "string? | list[string]"),
        ("steps", 1, "bash", "timeout"): (TIMEOUT, TEMPLATE, False, "int?"),
    }
    for path, (role, scope, host, target) in expected.items():
        field = fields[path]
        assert (field.role, field.scope, field.host, field.target) == (role, scope, host, target), path


def test_enclosing_step_environment_script_and_action():
    fields = _by_path()
    env_command = fields[("jobEnvironments", 0, "script", "actions", "onEnter", "command")]
    assert (env_command.step, env_command.environment, env_command.script, env_command.action) == \
        (None, ("jobEnvironments", 0), ("jobEnvironments", 0, "script"), "onEnter")
    hook = fields[("jobEnvironments", 0, "script", "actions", "onWrapTaskRun", "command")]
    assert hook.in_wrap_hook and not env_command.in_wrap_hook
    step_env = fields[("steps", 0, "stepEnvironments", 0, "variables", "V")]
    assert (step_env.step, step_env.environment, step_env.script) == (0, ("steps", 0, "stepEnvironments", 0), None)
    simple = fields[("steps", 1, "bash", "script")]
    assert (simple.step, simple.script, simple.action) == (1, ("steps", 1, "bash"), "bash")


def test_let_blocks_in_scope():
    fields = _by_path()

    def lets(path):
        return [block.path for block in fields[path].lets]

    step_let, script_let = ("steps", 0, "let"), ("steps", 0, "script", "let")
    env_let = ("jobEnvironments", 0, "script", "let")
    assert lets(("name",)) == []
    assert lets(("steps", 0, "hostRequirements", "amounts", 0, "min")) == [step_let]
    assert lets(("steps", 0, "script", "embeddedFiles", 0, "data")) == [step_let, script_let]
    assert lets(("steps", 0, "script", "actions", "onRun", "cancelation", "mode")) == [step_let]
    assert lets(("steps", 0, "stepEnvironments", 0, "variables", "V")) == [step_let]
    assert lets(("jobEnvironments", 0, "script", "actions", "onEnter", "command")) == [env_let]
    assert lets(("jobEnvironments", 0, "script", "actions", "onEnter", "timeout")) == []
    assert lets(("jobEnvironments", 0, "variables", "A")) == []
    assert lets(("steps", 0, "script", "let", 0)) == [step_let]
    assert lets(("steps", 1, "bash", "script")) == [("steps", 1, "bash", "let")]
    assert lets(("steps", 1, "bash", "timeout")) == []
    let_item = fields[("steps", 0, "script", "let", 0)]
    assert (let_item.let_block.path, let_item.let_index, let_item.let_block.level) == (script_let, 0, "script")
    assert [block.path for block in let_blocks(context_of(JOB))] == [env_let, step_let, script_let,
                                                                      ("steps", 1, "bash", "let")]


def test_environment_template_fields():
    fields = format_string_fields(context_of("""\
specificationVersion: environment-2023-09
environment:
  name: E
  variables: {X: "{{Param.A}}"}
  script:
    actions:
      onEnter: {command: "{{Env.File.F}}"}
      onExit: {command: done, timeout: 5}
"""))
    assert [(f.path, f.role, f.scope, f.environment) for f in fields] == [
        (("environment", "variables", "X"), VARIABLE, SESSION, ("environment",)),
        (("environment", "script", "actions", "onEnter", "command"), COMMAND, SESSION, ("environment",)),
        (("environment", "script", "actions", "onExit", "command"), COMMAND, SESSION, ("environment",)),
    ]


def test_malformed_shapes_are_skipped_without_errors():
    fields = format_string_fields(context_of("""\
specificationVersion: jobtemplate-2023-09
name: [not, a, string]
jobEnvironments: {not: a list}
steps:
- just a string
- name: S
  hostRequirements: [1]
  parameterSpace: {taskParameterDefinitions: [5, {range: 7}]}
  script: {actions: [onRun], embeddedFiles: [3], let: 4}
"""))
    assert fields == []
