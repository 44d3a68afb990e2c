"""Where the spec text is silent or stricter, the conformance suite's conventions win:

- a line break in an `args` item needs no extension (the suite's job tests pass multi-line `python -c`
  programs in templates that declare none); a tab still needs EXPR;
- a capability name may be a format string, resolved at job creation: the resolved name must be valid, which
  `expand` checks with the given values and `check` with the values the job parameters are known to take.
"""

from __future__ import annotations

import sys
import textwrap

import pytest

from openjd_lint.findings import Severity
from openjd_lint.pipeline import lint_file
from openjd_lint.rules import REGISTRY
from test_expand_conformance import expand_json, run_session

PROGRAM = textwrap.dedent("""\
    import sys
    for word in ("first", "second"):
        print("LINE", word)
    print("ARGV", sys.argv[1:])
""")

MULTI_LINE_JOB = {
    "specificationVersion": "jobtemplate-2023-09",
    "name": "MultiLinePythonThroughWrap",
    "steps": [{"name": "Step1", "script": {"actions": {"onRun": {
        "command": "python", "args": ["-c", PROGRAM, "two words", "it's"]}}}}],
}
FORWARDING_ENVIRONMENT = {
    "specificationVersion": "environment-2023-09",
    "extensions": ["WRAP_ACTIONS", "EXPR"],
    "environment": {"name": "Forward", "script": {"actions": {
        hook: {"command": "python", "args": [
            "-c", "import subprocess,sys; print('HOOK " + hook + "'); sys.exit(subprocess.run("
            "[{{repr_py(WrappedAction.Command)}}]+{{repr_py(WrappedAction.Args)}}).returncode)"]}
        for hook in ("onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit")}}},
}


def errors(text: str) -> list:
    return [(d.rule, d.message) for d in lint_file(text.encode(), "job.yaml", REGISTRY).diagnostics
            if d.severity is Severity.ERROR]


def job_with_arg(item: str, extensions: str = "") -> str:
    return (f"specificationVersion: jobtemplate-2023-09\n{extensions}name: J\nsteps:\n- name: S\n  script:\n"
            f"    actions:\n      onRun:\n        command: python\n        args:\n        - -c\n        - {item}\n")


def test_a_line_break_in_args_needs_no_extension():
    assert errors(job_with_arg('"import sys\\nprint(sys.argv)\\r\\n"')) == []
    assert errors(job_with_arg("|\n          import sys\n          print(sys.argv)")) == []


def test_a_tab_in_args_still_needs_expr():
    assert errors(job_with_arg('"a\\tb"')) == [("S010", "a tab in `args` requires the EXPR extension")]
    assert errors(job_with_arg('"a\\tb"', extensions="extensions: [EXPR]\n")) == []


@pytest.mark.skipif(sys.platform == "win32", reason="runs the expanded POSIX argv")
def test_a_multi_line_python_program_forwarded_through_a_wrapping_environment_expands_and_runs(tmp_path, capsys):
    document = {"template": MULTI_LINE_JOB, "environments": [FORWARDING_ENVIRONMENT]}
    expansion = expand_json(tmp_path, document, capsys)
    [task] = [action for action in expansion["actions"] if action["kind"] == "task_run"]
    assert task["wrapped_by"] == "Forward.onWrapTaskRun"
    assert task["wrapped"]["argv"] == ["python", "-c", PROGRAM, "two words", "it's"]
    output, failures = run_session(expansion, tmp_path)
    assert not failures, output
    assert "HOOK onWrapTaskRun\nLINE first\nLINE second\nARGV ['two words', \"it's\"]\n" in output


def capability_job(name: str, parameter: str) -> str:
    return ("specificationVersion: jobtemplate-2023-09\nname: J\nparameterDefinitions:\n"
            f"- {{name: License, type: STRING{parameter}}}\nsteps:\n- name: S\n  hostRequirements:\n"
            f"    amounts:\n    - name: \"{name}\"\n      min: 1\n    attributes:\n"
            "    - name: \"attr.{{Param.License}}\"\n      anyOf: [x]\n"
            "  script:\n    actions:\n      onRun:\n        command: render\n")


@pytest.mark.parametrize("name", ["amount.{{Param.License}}", "{{Param.License}}", "acme:amount.{{ Param.License }}"])
def test_a_capability_name_may_be_a_format_string(name):
    assert errors(capability_job(name, "")) == []
    assert errors(capability_job(name.replace("License", "Missing"), "")) == [
        ("X004", "`Param.Missing` is not defined")]


@pytest.mark.parametrize("parameter, expected", [
    (", default: studio.nuke", []),
    (", allowedValues: [studio.nuke, studio.katana]", []),
    (", default: 2d.nuke", [
        "with License = '2d.nuke' (its default), the capability name resolves to 'amount.2d.nuke', which is not a "
        "valid amount name: it is not `amount.` followed by dot-separated identifiers, optionally after a `vendor:` "
        "prefix",
        "with License = '2d.nuke' (its default), the capability name resolves to 'attr.2d.nuke', which is not a "
        "valid attribute name: it is not `attr.` followed by dot-separated identifiers, optionally after a `vendor:` "
        "prefix"]),
    (", allowedValues: [studio.nuke, worker.gpu]", [
        "with License = 'worker.gpu' (one of its allowed values), the capability name resolves to 'attr.worker.gpu', "
        "which is not a valid attribute name: it uses the reserved scope `attr.worker`, which only names the "
        "capabilities OpenJD defines"]),
    (", default: " + "x" * 95, [
        f"with License = '{'x' * 95}' (its default), the capability name resolves to 'amount.{'x' * 95}', which is "
        "not a valid amount name: it is 102 characters long; the maximum is 100"]),
])
def test_check_judges_the_resolved_name_when_the_values_are_known(parameter, expected):
    found = errors(capability_job("amount.{{Param.License}}", parameter))
    assert [message for rule, message in found if rule == "T306"] == expected
    assert [rule for rule, _ in found if rule != "T306"] == []


def test_expand_judges_the_resolved_name_with_the_given_value(tmp_path, capsys):
    from openjd_lint.cli import main

    path = tmp_path / "job.yaml"
    path.write_text(capability_job("amount.{{Param.License}}", ""))
    assert main(["expand", str(path), "-p", "License=studio.nuke"]) == 0
    capsys.readouterr()
    assert main(["expand", str(path), "-p", "License=worker.licenses"]) == 1
    out = capsys.readouterr().out
    assert ("error[host-requirements] step 'S': the capability name 'amount.{{Param.License}}' resolves to "
            "'amount.worker.licenses', which is not a valid amount name: it uses the reserved scope `amount.worker`"
            in out)
