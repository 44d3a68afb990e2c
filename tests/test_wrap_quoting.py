"""Q rules: quoting of wrapped values and user-controlled strings in text an interpreter parses."""

import pytest

from openjd_lint.fixes import apply_fixes
from wrap_templates import REVISIONS, diagnostics, environment, errors, rule_ids

ARGV_FORWARDING = """\
command: "{{WrappedAction.Command}}"
args: ["{{WrappedAction.Args}}"]
timeout: "{{WrappedAction.Timeout}}"
"""
SHELL_LINE = """\
command: bash
args: ["-c", "exec {{ repr_sh(WrappedAction.Command) }} {{ repr_sh(WrappedAction.Args) }}"]
timeout: "{{WrappedAction.Timeout}}"
"""
RAW_SHELL_LINE = """\
command: bash
args: ["-c", "{{WrappedAction.Command}} {{WrappedAction.Args}}"]
timeout: "{{WrappedAction.Timeout}}"
"""


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("hook", [ARGV_FORWARDING, SHELL_LINE], ids=["argv", "repr_sh"])
def test_safe_forms_are_quiet(revision, hook):
    template = environment(revision, hook)
    assert errors(template) == []
    assert rule_ids(template, "Q") == []


@pytest.mark.parametrize("revision", REVISIONS)
def test_raw_shell_line_is_reported_at_each_interpolation(revision):
    template = environment(revision, RAW_SHELL_LINE)
    found = diagnostics(template, "Q")
    assert [d.rule for d in found] == ["Q001", "Q001"]
    line = template.splitlines().index(next(l for l in template.splitlines() if '"-c", "{{' in l)) + 1
    text = template.splitlines()[line - 1]
    command = "Task.Command" if revision == "WRAP_TASK_RUN" else "WrappedAction.Command"
    assert [(d.line, d.column) for d in found] == [(line, text.index("{{") + 1),
                                                   (line, text.index("{{", text.index(command)) + 1)]
    assert "bracketed" in found[1].message


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("line, twice", [
    ("exec {{ repr_sh(repr_sh(WrappedAction.Command)) }}", True),
    ("exec {{ WrappedAction.Command.repr_sh().repr_sh() }}", True),
    ("exec {{ repr_sh(repr_sh(WrappedAction.Command) if WrappedAction.Command else 'x') }}", True),
    ("exec {{ repr_sh(WrappedAction.Command) }}", False),
    ("ssh host {{ repr_sh(repr_sh(WrappedAction.Command)) }}", False),  # the remote shell parses it again
    ("exec sh -c {{ repr_sh(repr_sh(WrappedAction.Command)) }}", False),
])
def test_quoted_twice_for_one_shell(revision, line, twice):
    template = environment(revision, f'command: bash\nargs: ["-c", "{line}"]\n')
    found = diagnostics(template, "Q002")
    assert len(found) == twice
    if twice:
        (finding,) = found
        assert "applied to its own result" in finding.message and not finding.fix.safe
        fixed, applied = apply_fixes(template, [finding.fix])
        assert applied == 1 and diagnostics(fixed, "Q") == []


@pytest.mark.parametrize("revision", REVISIONS)
def test_quoting_fix_makes_the_warning_go_away(revision):
    template = environment(revision, RAW_SHELL_LINE)
    fixes = [d.fix for d in diagnostics(template, "Q001")]
    assert all(fix is not None and not fix.safe for fix in fixes)
    fixed, applied = apply_fixes(template, fixes)
    assert applied == 2 and "repr_sh(" in fixed
    assert rule_ids(fixed, "Q") == [] and errors(fixed) == []


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("command, script, function", [
    ("cmd", ["/c"], "repr_cmd"), ("powershell", ["-Command"], "repr_pwsh"), ("python", ["-c"], "repr_py"),
    ("ssh", ["host"], "repr_sh"),
])
def test_each_interpreter_wants_its_own_function(revision, command, script, function):
    prefix = ", ".join(f'"{s}"' for s in script)
    raw = environment(revision, f'command: {command}\nargs: [{prefix}, "run {{{{WrappedAction.Command}}}}"]\n'
                                'timeout: "{{WrappedAction.Timeout}}"\n')
    quoted = raw.replace("run {{WrappedAction.Command}}", f"run {{{{{function}(WrappedAction.Command)}}}}").replace(
        "run {{Task.Command}}", f"run {{{{{function}(Task.Command)}}}}")
    wrong = quoted.replace(function, "repr_cmd" if function != "repr_cmd" else "repr_sh")
    assert rule_ids(raw, "Q") == ["Q001"]
    assert rule_ids(quoted, "Q") == []
    assert rule_ids(wrong, "Q") == ["Q002"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_repr_result_inside_shell_quotes(revision):
    template = environment(revision, SHELL_LINE.replace("exec {{ repr_sh(WrappedAction.Command) }}",
                                                        "exec \\\"{{ repr_sh(WrappedAction.Command) }}\\\""))
    assert rule_ids(template, "Q") == ["Q002"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_quoted_value_as_plain_argument(revision):
    bad = environment(revision, 'command: docker\nargs: [exec, ctr, "{{repr_sh(WrappedAction.Command)}}", '
                                '"{{WrappedAction.Args}}"]\ntimeout: "{{WrappedAction.Timeout}}"\n')
    assert rule_ids(bad, "Q") == ["Q003"]
    assert "`docker`" in diagnostics(bad, "Q003")[0].message
    assert rule_ids(bad.replace("{{repr_sh(WrappedAction.Command)}}", "{{WrappedAction.Command}}").replace(
        "{{repr_sh(Task.Command)}}", "{{Task.Command}}"), "Q") == []
    after_script = environment(revision, 'command: bash\nargs: ["-c", "exec \\"$@\\"", sh, '
                                         '"{{repr_sh(WrappedAction.Command)}}"]\ntimeout: "{{WrappedAction.Timeout}}"\n')
    assert rule_ids(after_script, "Q") == ["Q003"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_list_inside_a_larger_argument(revision):
    bad = environment(revision, 'command: "{{WrappedAction.Command}}"\nargs: ["--args={{WrappedAction.Args}}"]\n'
                                'timeout: "{{WrappedAction.Timeout}}"\n')
    assert rule_ids(bad, "Q") == ["Q004"]
    assert rule_ids(environment(revision, ARGV_FORWARDING), "Q") == []


@pytest.mark.parametrize("revision", REVISIONS)
def test_parameters_are_left_to_the_injection_rules(revision):
    parameter = "parameterDefinitions:\n- {name: Image, type: STRING, default: ubuntu}\n"
    hook = ('command: bash\nargs: ["-c", "exec docker run {{Param.Image}} {{ repr_sh(WrappedAction.Command) }}"]\n'
            'timeout: "{{WrappedAction.Timeout}}"\n')
    assert rule_ids(environment(revision, hook, extra=parameter), "Q") == []
    assert rule_ids(environment(revision, hook, extra=parameter), "I") == ["I001"]
    safe = parameter.replace("default: ubuntu}", "default: ubuntu, allowedValues: [ubuntu, debian]}")
    assert rule_ids(environment(revision, hook, extra=safe), "I") == []
    numbers = "parameterDefinitions:\n- {name: Image, type: INT, default: 1}\n"
    assert rule_ids(environment(revision, hook, extra=numbers), "I") == []


@pytest.mark.parametrize("revision", REVISIONS)
def test_embedded_script_run_by_the_hook(revision):
    parameter = "parameterDefinitions:\n- {name: Image, type: STRING, default: ubuntu}\n"
    files = ("- name: Run\n  type: TEXT\n  filename: run.sh\n"
             "  data: |\n    #!/bin/sh\n    exec docker run {{Param.Image}} \"$@\"\n")
    hook = 'command: "{{Env.File.Run}}"\nargs: ["{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]\n' \
           'timeout: "{{WrappedAction.Timeout}}"\n'
    template = environment(revision, hook, extra=parameter, files=files)
    found = diagnostics(template, "I")
    assert [d.rule for d in found] == ["I001"] and "embedded file `Run`" in found[0].message
    assert rule_ids(template, "Q") == []
    assert rule_ids(template.replace("{{Param.Image}}", "{{repr_sh(Param.Image)}}"), "I") == []


def test_job_template_step_actions_are_not_in_scope():
    template = ("specificationVersion: jobtemplate-2023-09\nname: J\nparameterDefinitions:\n"
                "- {name: X, type: STRING, default: a}\nsteps:\n- name: S\n  script:\n    actions:\n"
                "      onRun:\n        command: bash\n        args: ['-c', 'echo {{Param.X}}']\n")
    assert rule_ids(template, "Q") == []


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("program, option, reported", [
    ("pwsh", "-EncodedCommand", True), ("powershell", "-enc", True), ("pwsh", "-e", True), ("pwsh", "-ec", True),
    ("pwsh", "-Command", False),
])
def test_a_wrap_value_in_an_encoded_command_is_always_wrong(revision, program, option, reported):
    value = "{{ repr_pwsh(WrappedAction.Command) }}" if option == "-Command" else "{{WrappedAction.Command}}"
    template = environment(revision, f'command: {program}\nargs: ["-NoProfile", "{option}", "{value}"]\n')
    found = diagnostics(template, "Q005")
    assert len(found) == reported
    if reported:
        (finding,) = found
        assert finding.severity.label == "error" and "base64 of UTF-16LE" in finding.message
        line = next(n for n, text in enumerate(template.splitlines(), 1) if option in text)
        assert (finding.line, finding.column) == (line, template.splitlines()[line - 1].index("{{") + 1)
        assert diagnostics(template, "Q001") == []  # one problem, one finding


def _hint_of(template: str) -> str:
    (finding,) = diagnostics(template, "Q001")
    return finding.message, finding.hint


@pytest.mark.parametrize("revision", REVISIONS)
def test_hints_for_a_value_inside_a_python_string_literal_give_working_code(revision):
    template = environment(revision, 'command: python\nargs: ["-c", "import os; os.execvp(\'{{WrappedAction.Command}}\', '
                                     '[])"]\n')
    message, hint = _hint_of(template)
    command = "Task.Command" if revision == "WRAP_TASK_RUN" else "WrappedAction.Command"
    assert "inside a Python string literal" in message
    assert hint == (f"replace the surrounding quotes with `{{{{ repr_py({command}) }}}}`, or forward the wrapped "
                    "command as separate argv elements")


@pytest.mark.parametrize("code, expected", [
    ("print('Ran for {{WrappedStep.Name}}')",
     "pass it after the code as its own argument (`args: [\"-c\", \"import sys; ... sys.argv[1] ...\", "
     "\"{{WrappedStep.Name}}\"]`), or close the literal around it: `'...' + {{ repr_py(WrappedStep.Name) }}`"),
    ("print('{{WrappedStep.Name}}')",
     "replace the surrounding quotes with `{{ repr_py(WrappedStep.Name) }}`, or pass it after the code as its own "
     "argument (`args: [\"-c\", \"import sys; ... sys.argv[1] ...\", \"{{WrappedStep.Name}}\"]`)"),
    ("print({{WrappedStep.Name}})",
     "quote it with `{{ repr_py(WrappedStep.Name) }}`, or pass it after the code as its own argument "
     "(`args: [\"-c\", \"import sys; ... sys.argv[1] ...\", \"{{WrappedStep.Name}}\"]`)"),
])
def test_each_hint_for_a_wrapped_name_in_python_compiles(code, expected):
    template = environment("WRAP_ACTIONS", f'command: python\nargs: ["-c", "{code}"]\n')
    _, hint = _hint_of(template)
    assert hint == expected
    # The suggested form, with the quoting function's result in place, is Python that runs.
    suggestion = hint.split("`")[-2] if "close the literal" in hint else hint.split("`")[1]
    value = repr("it's \"odd\"")
    if "close the literal" in hint:
        fixed = code.replace("{{WrappedStep.Name}}", "' + {{ repr_py(WrappedStep.Name) }} + '")
    elif "replace the surrounding quotes" in hint:
        fixed = code.replace("'{{WrappedStep.Name}}'", suggestion)
    else:
        fixed = code.replace("{{WrappedStep.Name}}", suggestion)
    compile(fixed.replace("{{ repr_py(WrappedStep.Name) }}", value), "<hint>", "exec")


def test_a_hint_for_a_wrapped_name_inside_shell_quotes_keeps_the_shell_word_whole():
    template = environment("WRAP_ACTIONS", 'command: bash\nargs: ["-c", "echo \'step {{WrappedStep.Name}}\'; exec '
                                           '{{ repr_sh(WrappedAction.Command) }}"]\n')
    message, hint = _hint_of(template)
    assert "inside single quotes" in message
    assert hint.startswith("pass it after the code as its own argument") and hint.endswith(
        "or close the literal around it: `'...'{{ repr_sh(WrappedStep.Name) }}`")
