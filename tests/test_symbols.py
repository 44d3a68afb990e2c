"""Symbol tables per field: the scope matrix of schema.md §0.1 and the `let` table of §3.6.2."""

from conftest import context_of

from openjd_lint.expr.types import parse_type
from openjd_lint.model.fields import format_string_fields
from openjd_lint.model.symbols import base_symbols, symbol_definitions, visible_symbols

JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR, FEATURE_BUNDLE_1, WRAP_ACTIONS]
name: N
parameterDefinitions:
- {name: Out, type: PATH}
- {name: Count, type: int}
- {name: Files, type: "LIST[PATH]"}
jobEnvironments:
- name: JobEnv
  variables: {V: x}
  script:
    let: [e = 1]
    actions:
      onEnter: {command: x, timeout: "1"}
      onWrapEnvEnter: {command: x, args: [a], timeout: "1"}
      onWrapTaskRun: {command: x, cancelation: {mode: TERMINATE}}
      onWrapEnvExit: {command: x}
    embeddedFiles: [{name: EnvF, type: TEXT, data: d}]
steps:
- name: S
  let: [a = 1, b = a]
  parameterSpace:
    taskParameterDefinitions:
    - {name: Frame, type: INT, range: "1-2"}
    - {name: Chunk, type: "chunk[int]", range: "1-2", chunks: {defaultTaskCount: "1", rangeConstraint: CONTIGUOUS}}
    - {name: In, type: PATH, range: [a]}
  stepEnvironments:
  - name: StepEnv
    variables: {W: y}
  script:
    let: [c = 1]
    actions:
      onRun: {command: run, timeout: "5"}
    embeddedFiles: [{name: TaskF, type: TEXT, data: d}]
- name: T
  python:
    script: s
"""

COMMON = {"RawParam.Out": "string", "RawParam.Count": "int", "RawParam.Files": "list[string]", "Param.Count": "int"}
WORKER = {"Param.Out": "path", "Param.Files": "list[path]", "Session.WorkingDirectory": "path",
          "Session.PathMappingRulesFile": "path", "Session.HasPathMappingRules": "bool"}
WRAPPED = {"WrappedAction.Command": "string", "WrappedAction.Args": "list[string]",
           "WrappedAction.Environment": "list[string]", "WrappedAction.Timeout": "int?",
           "WrappedAction.Cancelation.Mode": "string?", "WrappedAction.Cancelation.NotifyPeriodInSeconds": "int?"}


def _symbols(template, path):
    ctx = context_of(template)
    field = next(f for f in format_string_fields(ctx) if f.path == path)
    return base_symbols(ctx, field)


def test_job_name_sees_template_scope_symbols_only():
    assert _symbols(JOB, ("name",)) == COMMON


def test_step_template_fields_see_step_name_but_no_session_or_path_params():
    assert _symbols(JOB, ("steps", 0, "parameterSpace", "taskParameterDefinitions", 0, "range")) == \
        {**COMMON, "Job.Name": "string", "Step.Name": "string"}
    assert _symbols(JOB, ("steps", 0, "script", "actions", "onRun", "timeout")) == \
        {**COMMON, "Job.Name": "string", "Step.Name": "string"}


def test_step_script_sees_task_parameters_and_its_own_files():
    task = {"Task.Param.Frame": "int", "Task.RawParam.Frame": "int", "Task.Param.Chunk": "range_expr",
            "Task.RawParam.Chunk": "range_expr", "Task.Param.In": "path", "Task.RawParam.In": "string"}
    expected = {**COMMON, **WORKER, **task, "Task.File.TaskF": "path", "Job.Name": "string", "Step.Name": "string"}
    assert _symbols(JOB, ("steps", 0, "script", "actions", "onRun", "command")) == expected
    assert _symbols(JOB, ("steps", 0, "script", "let", 0)) == expected
    simple = _symbols(JOB, ("steps", 1, "python", "script"))
    assert "Task.Param.Frame" not in simple and "Task.File.TaskF" not in simple


def test_environments_see_session_but_not_task_symbols():
    variables = _symbols(JOB, ("jobEnvironments", 0, "variables", "V"))
    assert variables == {**COMMON, **WORKER, "Job.Name": "string"}
    on_enter = _symbols(JOB, ("jobEnvironments", 0, "script", "actions", "onEnter", "command"))
    assert on_enter == {**variables, "Env.File.EnvF": "path"}
    step_env = _symbols(JOB, ("steps", 0, "stepEnvironments", 0, "variables", "W"))
    assert step_env == {**variables, "Step.Name": "string"}


def test_wrap_hooks_see_their_wrapped_symbols():
    base = {**COMMON, **WORKER, "Job.Name": "string", "Env.File.EnvF": "path"}
    hooks = ("jobEnvironments", 0, "script", "actions")
    assert _symbols(JOB, hooks + ("onWrapEnvEnter", "args", 0)) == {**base, **WRAPPED, "WrappedEnv.Name": "string"}
    assert _symbols(JOB, hooks + ("onWrapTaskRun", "command")) == {**base, **WRAPPED, "WrappedStep.Name": "string"}
    assert _symbols(JOB, hooks + ("onWrapEnvEnter", "timeout")) == {**COMMON, "Job.Name": "string", **WRAPPED}
    assert _symbols(JOB, hooks + ("onWrapTaskRun", "cancelation", "mode")) == \
        {**COMMON, "Job.Name": "string", **WRAPPED}
    assert "WrappedAction.Command" not in _symbols(JOB, hooks + ("onEnter", "command"))
    assert "WrappedAction.Command" not in _symbols(JOB, ("jobEnvironments", 0, "script", "embeddedFiles", 0, "data"))
    assert "WrappedAction.Command" not in _symbols(JOB, ("jobEnvironments", 0, "script", "let", 0))


def test_wrap_task_run_draft_names_only_in_its_hook():
    draft = JOB.replace("WRAP_ACTIONS", "WRAP_TASK_RUN")
    hooks = ("jobEnvironments", 0, "script", "actions")
    command = _symbols(draft, hooks + ("onWrapTaskRun", "command"))
    assert {k: command[k] for k in command if k.startswith(("Task.", "Env.Action"))} == {
        "Task.Command": "string", "Task.Args": "list[string]", "Task.Environment": "list[string]",
        "Env.Action.Timeout": "int?"}
    assert not any(k.startswith("Wrapped") for k in command)
    cancelation = _symbols(draft, hooks + ("onWrapTaskRun", "cancelation", "mode"))
    assert "Env.Action.Timeout" in cancelation and "Task.Command" not in cancelation
    assert "Task.Command" not in _symbols(draft, hooks + ("onWrapEnvEnter", "command"))


def test_without_expr_every_symbol_is_a_string_and_job_name_is_absent():
    plain = """\
specificationVersion: jobtemplate-2023-09
name: N
parameterDefinitions: [{name: Count, type: INT}]
steps:
- name: S
  script: {actions: {onRun: {command: "{{Param.Count}}"}}}
"""
    symbols = _symbols(plain, ("steps", 0, "script", "actions", "onRun", "command"))
    assert symbols == {"Param.Count": "string", "RawParam.Count": "string", "Session.WorkingDirectory": "string",
                       "Session.PathMappingRulesFile": "string", "Session.HasPathMappingRules": "string"}


def test_environment_template_sees_job_name_with_expr():
    template = """\
specificationVersion: environment-2023-09
extensions: [EXPR]
parameterDefinitions: [{name: P, type: STRING}]
environment:
  name: E
  script:
    actions: {onEnter: {command: x, timeout: "3"}}
"""
    assert _symbols(template, ("environment", "script", "actions", "onEnter", "timeout")) == \
        {"Param.P": "string", "RawParam.P": "string", "Job.Name": "string"}


def test_let_names_with_their_types_in_scope():
    ctx = context_of(JOB)
    fields = {f.path: f for f in format_string_fields(ctx)}
    bindings = {("steps", 0, "let", 0): ("a", parse_type("int")), ("steps", 0, "let", 1): ("b", parse_type("int")),
                ("steps", 0, "script", "let", 0): ("c", parse_type("string"))}
    second = visible_symbols(ctx, fields[("steps", 0, "let", 1)], bindings)
    assert second["a"] == parse_type("int") and "b" not in second
    first = visible_symbols(ctx, fields[("steps", 0, "let", 0)], bindings)
    assert "a" not in first
    command = visible_symbols(ctx, fields[("steps", 0, "script", "actions", "onRun", "command")], bindings)
    assert (command["a"], command["b"], command["c"]) == (parse_type("int"), parse_type("int"), parse_type("string"))
    assert command["Param.Out"] == parse_type("path")
    timeout = visible_symbols(ctx, fields[("steps", 0, "script", "actions", "onRun", "timeout")], bindings)
    assert "a" in timeout and "c" not in timeout


def test_definitions_say_where_each_symbol_is_visible():
    definitions = symbol_definitions(context_of(JOB))
    assert "worker" in definitions["Param.Out"]
    assert definitions["Param.Count"] == "everywhere"
    assert "step 'S'" in definitions["Task.Param.Frame"]
    assert "step 'S'" in definitions["Task.File.TaskF"]
    assert "environment 'JobEnv'" in definitions["Env.File.EnvF"]
    assert "worker" in definitions["Session.WorkingDirectory"]
    assert "onWrapTaskRun" in definitions["WrappedStep.Name"]
    assert "step 'S'" in definitions["c"] and "environment 'JobEnv'" in definitions["e"]
    assert "Job.Name" in definitions and "Step.Name" in definitions
    assert "Job.Name" not in symbol_definitions(context_of(JOB.replace("EXPR, ", "")))
