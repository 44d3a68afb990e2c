"""The X family through the real pipeline: exact positions inside strings, every error class, and
silence on every valid conformance fixture."""

from pathlib import Path

import pytest

import openjd_lint.rules
from openjd_lint.pipeline import lint_bytes
from openjd_lint.rules import expressions

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"

HEAD = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR, FEATURE_BUNDLE_1]
name: Render
parameterDefinitions:
- {name: Frames, type: INT}
- {name: Out, type: PATH}
steps:
- name: Frame
  script:
    actions:
      onRun:
        command: render
"""


def x_findings(template: str) -> list:
    """(rule, line, column, end line, end column) of every X finding, in position order."""
    result = lint_bytes(template.encode(), "template.yaml", openjd_lint.rules.REGISTRY)
    return [(d.rule, d.line, d.column, d.end_line, d.end_column) for d in result.diagnostics
            if d.rule.startswith("X")]


def x_messages(template: str) -> list:
    result = lint_bytes(template.encode(), "template.yaml", openjd_lint.rules.REGISTRY)
    return [(d.rule, d.message, d.hint) for d in result.diagnostics if d.rule.startswith("X")]


def with_args(*lines: str, head: str = HEAD) -> str:
    return head + "        args:\n" + "".join(f"        - {line}\n" for line in lines)


def test_rules_are_registered():
    assert all(openjd_lint.rules.REGISTRY.get(rule.id) is rule for rule in expressions.RULES)


def test_unbalanced_braces_point_at_the_braces():
    # line 14 `        - "{{Param.Frames"`: the quote is column 11, `{{` columns 12-13
    assert x_findings(with_args('"{{Param.Frames"')) == [("X001", 14, 12, 14, 14)]
    assert x_findings(with_args('"a }} b"')) == [("X001", 14, 14, 14, 16)]
    assert x_findings(with_args('"{{ }}"')) == [("X001", 14, 12, 14, 17)]


def test_syntax_error_points_at_the_offending_token():
    # `{{Param.Frames +}}`: the dangling `+` is character 15, column 11 + 1 + 15
    assert x_findings(with_args('"{{Param.Frames +}}"')) == [("X002", 14, 27, 14, 28)]
    assert x_findings(with_args('"{{Param.Frames & 1}}"')) == [("X002", 14, 27, 14, 28)]


def test_unknown_name_with_suggestion():
    assert x_findings(with_args('"{{Param.Frame}}"')) == [("X004", 14, 14, 14, 25)]
    assert x_messages(with_args('"{{Param.Frame}}"')) == [
        ("X004", "`Param.Frame` is not defined", "did you mean `Param.Frames`?")]


def test_name_out_of_scope_says_where_it_is_visible():
    template = HEAD.replace("name: Render", 'name: "Render {{Param.Out}}"')
    assert x_findings(template) == [("X005", 3, 17, 3, 26)]
    [(rule, message, hint)] = x_messages(template)
    assert "worker" in message and hint == "use `RawParam.Out` for the unmapped path"
    timeout = HEAD + '        timeout: "{{Session.WorkingDirectory}}"\n'
    assert x_findings(timeout) == [("X005", 13, 21, 13, 45)]


def test_task_symbols_are_visible_only_in_their_own_step_script():
    template = HEAD.replace("- name: Frame\n", """\
- name: Frame
  parameterSpace:
    taskParameterDefinitions:
    - {name: F, type: INT, range: "1-{{Task.Param.F}}"}
""")
    assert x_findings(with_args('"{{Task.Param.F}}"', head=template)) == [("X005", 11, 40, 11, 52)]


def test_type_error_inside_an_expression():
    # the whole `Param.Frames + 'x'` (characters 2..20) is the ill-typed operation
    assert x_findings(with_args("\"{{Param.Frames + 'x'}}\"")) == [("X006", 14, 14, 14, 32)]
    assert x_findings(with_args('"{{Param.Out.upper()}}"')) == [("X006", 14, 14, 14, 31)]


def test_constant_error_and_host_only_function():
    assert x_findings(with_args('"{{Param.Frames + 1 // 0}}"')) == [("X007", 14, 29, 14, 35)]
    template = HEAD.replace("name: Render", "name: \"{{apply_path_mapping('/a')}}\"")
    assert [f[:2] for f in x_findings(template)] == [("X008", 3)]
    assert x_findings(with_args("\"{{apply_path_mapping('/a')}}\"")) == []


def test_whole_field_result_must_fit_the_field():
    assert x_findings(HEAD + "        timeout: \"{{'soon'}}\"\n") == [("X009", 13, 21, 13, 27)]
    assert x_findings(HEAD.replace("command: render", 'command: "{{null}}"')) == [("X009", 12, 21, 12, 25)]
    assert x_findings(HEAD + '        timeout: "{{Param.Frames * 60}}"\n') == []
    # surrounded by text the result is a string, whatever the expression's type
    assert x_findings(with_args('"{{[1, 2]}}"', '"-{{null}}"')) == []


def test_expression_syntax_without_expr_is_a_gate_finding():
    head = HEAD.replace("extensions: [EXPR, FEATURE_BUNDLE_1]\n", "")
    # `Param.Frames + 1` spans characters 2..18 of the value; line 13 now, the quote at column 11
    assert x_findings(with_args('"{{Param.Frames + 1}}"', head=head)) == [("X003", 13, 14, 13, 30)]
    assert x_findings(with_args('"{{Param.Out.name}}"', head=head)) == [("X003", 13, 14, 13, 28)]
    assert x_findings(with_args('"{{Job.Name}}"', head=head)) == [("X003", 13, 14, 13, 22)]
    assert x_findings(with_args('"{{Param.Frames}}"', head=head)) == []


def test_positions_inside_double_quoted_strings_with_escapes():
    # `"\t\u00e9{{Param.Frame}}"`: the escapes take 8 columns for 2 characters
    assert x_findings(with_args('"\\t\\u00e9{{Param.Frame}}"')) == [("X004", 14, 22, 14, 33)]


def test_positions_inside_block_scalars():
    template = HEAD + "        args:\n        - |\n          echo start\n          echo {{Param.Frame}}\n"
    assert x_findings(template) == [("X004", 16, 18, 16, 29)]


def test_let_rules():
    def step_let(*items: str, script_let: tuple = (), arg: str = '"{{a}}"') -> str:
        head = HEAD.replace("- name: Frame\n", "- name: Frame\n  let:\n" + "".join(f"  - {i}\n" for i in items))
        if script_let:
            head = head.replace("  script:\n", "  script:\n    let:\n" + "".join(f"    - {i}\n" for i in script_let))
        return with_args(arg, head=head)

    assert x_findings(step_let("a = 1", "b = a + 1")) == []
    assert x_findings(step_let("A = 1", arg='"x"')) == [("X010", 10, 5, 10, 6)]
    assert x_findings(step_let("'a: int = 1'", arg='"x"')) == [("X010", 10, 6, 10, 12)]
    assert x_findings(step_let("a 1", arg='"x"')) == [("X010", 10, 5, 10, 8)]
    assert x_findings(step_let("a = 1", "a = 2")) == [("X011", 11, 5, 11, 6)]
    assert x_findings(step_let("a = b", "b = 1")) == [("X013", 10, 9, 10, 10)]
    assert x_findings(step_let("a = a + 1", arg='"x"')) == [("X013", 10, 9, 10, 10)]
    assert x_findings(step_let("a = 1", script_let=("a = 2",))) == [("X012", 13, 7, 13, 8)]
    assert x_findings(step_let("a = 1 +", arg='"x"')) == [("X002", 10, 11, 10, 12)]
    assert x_findings(step_let("a = Session.WorkingDirectory", arg='"x"')) == [("X005", 10, 9, 10, 33)]
    assert x_findings(step_let("a = 1", script_let=("b = Session.WorkingDirectory / 'x'",), arg='"{{b}}"')) == []


def test_let_types_flow_into_later_bindings_and_fields():
    head = HEAD.replace("- name: Frame\n", "- name: Frame\n  let:\n  - a = 'text'\n  - b = a\n")
    findings = x_findings(with_args('"{{b + 1}}"', head=head))
    assert [f[0] for f in findings] == ["X006"]


def test_comprehension_variable_may_not_shadow():
    head = HEAD.replace("- name: Frame\n", "- name: Frame\n  let:\n  - n = 1\n")
    assert x_findings(with_args('"{{[n for n in [1, 2]]}}"', head=head)) == [("X014", 16, 21, 16, 22)]
    assert x_findings(with_args('"{{[[m for m in [1]] for m in [2]]}}"')) == [("X014", 14, 22, 14, 23)]
    assert x_findings(with_args('"{{[m for m in [1]]}}"')) == []


def test_wrap_hook_symbols_and_draft_hints():
    template = """\
specificationVersion: environment-2023-09
extensions: [EXPR, WRAP_ACTIONS]
environment:
  name: Wrap
  script:
    actions:
      onEnter:
        command: "{{WrappedAction.Command}}"
      onWrapEnvEnter:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedEnv.Name}}", "{{Task.Command}}"]
      onWrapTaskRun:
        command: "{{WrappedAction.Command}}"
        args: ["{{WrappedStep.Name}}", "{{WrappedAction.Args}}"]
      onWrapEnvExit:
        command: "{{WrappedAction.Command}}"
"""
    assert x_findings(template) == [("X005", 8, 21, 8, 42), ("X004", 11, 42, 11, 54)]
    hint = x_messages(template)[1][2]
    assert "WrappedAction" in hint


def test_invalid_input_never_raises():
    for text in ('"{{"', '"}}{{"', '"{{{{}}}}"', '"{{ [x for x in ] }}"', '"{{ \'}}\' }}"', '"{{' + "(" * 300 + '}}"'):
        x_findings(with_args(text))
    x_findings(HEAD.replace("- name: Frame\n", "- name: Frame\n  let: [5, '=', ' = 1', 'a =']\n"))


def _valid_fixture_documents() -> list:
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(
            reason=f"conformance fixtures not found at {CONFORMANCE}"))]
    import yaml

    documents = []
    for path in sorted(CONFORMANCE.glob("2023-09/**/*")):
        if not path.is_file() or ".invalid." in path.name or path.suffix not in (".yaml", ".json"):
            continue
        relative = path.relative_to(CONFORMANCE).as_posix()
        if path.name.endswith(".test.yaml"):
            test = yaml.safe_load(path.read_text(encoding="utf-8"))
            templates = [test["template"], *(test.get("environments") or [])]
            for index, template in enumerate(templates):
                documents.append(pytest.param(yaml.safe_dump(template).encode(), "template.yaml",
                                              id=f"{relative}#{index}"))
        else:
            documents.append(pytest.param(path.read_bytes(), path.name, id=relative))
    return documents


@pytest.mark.parametrize("data, name", _valid_fixture_documents())
def test_no_expression_finding_on_valid_conformance_fixtures(data, name):
    result = lint_bytes(data, name, openjd_lint.rules.REGISTRY)
    assert [(d.rule, d.line, d.column, d.message) for d in result.diagnostics if d.rule.startswith("X")] == []


def test_hints_for_draft_wrap_names_and_let_without_expr():
    template = """\
specificationVersion: environment-2023-09
extensions: [EXPR, WRAP_ACTIONS]
environment:
  name: Wrap
  script:
    actions:
      onWrapEnvEnter: {command: x}
      onWrapTaskRun: {command: "{{Task.Command}}", args: ["{{Env.Wrapped.Args}}", "{{Task.Monitor}}"]}
      onWrapEnvExit: {command: x}
"""
    assert [hint for _, _, hint in x_messages(template)] == [
        "`Task.Command` is the spelling of the WRAP_TASK_RUN draft; WRAP_ACTIONS calls it `WrappedAction.Command`",
        "`Env.Wrapped.Args` is the spelling of an earlier RFC 0008 draft; WRAP_ACTIONS calls it `WrappedAction.Args`",
        "no revision of the wrap extension defines a monitor (`Task.Monitor`, `onMonitor`): it was split off into "
        "a separate proposal (openjd-specifications issue #133)"]
    without_expr = with_args('"{{a}}"', head=HEAD.replace("extensions: [EXPR, FEATURE_BUNDLE_1]\n", "").replace(
        "- name: Frame\n", "- name: Frame\n  let: [a = 1]\n"))
    assert x_messages(without_expr) == [
        ("X004", "`a` is not defined", "`let` bindings need EXPR in the template's `extensions`")]


def test_whole_field_range_accepts_text_and_lists():
    head = HEAD.replace("- name: Frame\n", """\
- name: Frame
  parameterSpace:
    taskParameterDefinitions:
    - {name: A, type: INT, range: "{{Param.Frames}}"}
    - {name: B, type: INT, range: "{{RawParam.Out}}"}
    - {name: C, type: INT, range: "{{[1, 2]}}"}
    - {name: D, type: STRING, range: "{{['a', 'b']}}"}
    - {name: E, type: FLOAT, range: "{{'x'}}"}
""")
    assert x_findings(head) == [("X009", 15, 40, 15, 43)]


def test_whitespace_around_a_whole_field_expression_in_a_typed_field():
    assert x_findings(with_args('" {{Param.Frames}}"', '"{{Param.Frames}}\\n"')) == [
        ("X015", 14, 13, 14, 29), ("X015", 15, 12, 15, 28)]
    assert x_findings(HEAD.replace("command: render", 'command: " {{Param.Frames}} "')) == []
    assert x_findings(with_args('"a {{Param.Frames}}"')) == []
