"""H rules: wrap hooks that lose the wrapped action's status, output, timeout or signals."""

import pytest

from openjd_lint.findings import Severity
from wrap_templates import REVISIONS, diagnostics, environment, errors, job, rule_ids

TIMEOUT = 'timeout: "{{WrappedAction.Timeout}}"\n'
RUN = "{{ repr_sh(WrappedAction.Command) }} {{ repr_sh(WrappedAction.Args) }}"


def shell_hook(line: str, timeout: str = TIMEOUT) -> str:
    return f'command: bash\nargs: ["-c", "{line}"]\n{timeout}'


def warnings(template: str) -> list:
    return sorted(d.rule for d in diagnostics(template, "H") if d.severity != Severity.INFO)


@pytest.mark.parametrize("revision", REVISIONS)
def test_clean_shell_line(revision):
    template = environment(revision, shell_hook(f"exec {RUN}"))
    assert errors(template) == [] and warnings(template) == []


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("line, rule", [
    ("exec timeout {{WrappedAction.Timeout}} " + RUN, "H001"),
    ("exec timeout {{WrappedAction.Timeout * 2}} " + RUN, "H001"),
    (RUN + " &", "H003"),
    ("nohup " + RUN, "H003"),
    ("exec setsid " + RUN, "H003"),
    ("docker run --detach img " + RUN, "H003"),
    (RUN + " || true", "H004"),
    (RUN + "; exit 0", "H004"),
    (RUN + "; echo done", "H004"),
    (RUN + "\\necho done", "H004"),
    (RUN + " && cleanup; echo done", "H004"),
    (RUN + " | tee -a log", "H004"),
    ("if " + RUN + "; then echo ok; fi", "H004"),
    (RUN + " > /dev/null", "H005"),
    (RUN + " >&2", "H005"),
])
def test_shell_hazards(revision, line, rule):
    assert warnings(environment(revision, shell_hook(line))) == [rule]


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("line", [
    "exec timeout {{WrappedAction.Timeout or 0}} " + RUN,
    "exec timeout {{ (WrappedAction.Timeout or 0) * 2 }} " + RUN,
    "docker pull img > /dev/null && exec " + RUN,
    "set -o pipefail; " + RUN + " | tee log.txt",
    RUN + " && cleanup",
    RUN + "; status=$?; cleanup; exit $status",
    "set -e; " + RUN + "; echo done",
    RUN + "\\nexit",
    RUN + " | tee log.txt; exit ${PIPESTATUS[0]}",
    "echo T=<{{WrappedAction.Timeout}}>; exec " + RUN,
    "exec " + RUN + " # || true",
])
def test_shell_lines_that_are_fine(revision, line):
    assert warnings(environment(revision, shell_hook(line))) == []


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("pipe, last, lost", [
    ("| grep -v DEBUG", "grep -v DEBUG", "`| grep` filters the wrapped command's stdout"),
    ("| tee log.txt > /dev/null", "tee log.txt", "`| tee` writes the wrapped command's stdout to a file only")])
def test_a_filtering_pipe_loses_both_stdout_and_the_exit_status(revision, pipe, last, lost):
    found = diagnostics(environment(revision, shell_hook(f"{RUN} {pipe}")), "H")
    assert sorted((d.rule, d.message) for d in found if d.severity != Severity.INFO) == [
        ("H004", f"the pipeline exits with the status of `{last}`, not the wrapped command's"), ("H005", lost)]


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("options, line, rule", [
    ('"-e", "-c"', RUN + "; echo done", None), ('"-c"', RUN + "; echo done", "H004"),
    ('"-o", "pipefail", "-c"', RUN + " | tee x", None), ('"-c"', RUN + " | tee x", "H004"),
])
def test_shell_options_that_keep_the_status(revision, options, line, rule):
    template = environment(revision, f'command: bash\nargs: [{options}, "{line}"]\n{TIMEOUT}')
    assert warnings(template) == ([rule] if rule else [])


@pytest.mark.parametrize("revision", REVISIONS)
def test_status_masked_position_is_the_command_that_runs_last(revision):
    template = environment(revision, shell_hook(RUN + "; echo done"))
    (found,) = diagnostics(template, "H004")
    line = next(n for n, text in enumerate(template.splitlines(), 1) if "echo done" in text)
    column = template.splitlines()[line - 1].index("echo done") + 1
    assert (found.line, found.column, found.end_column) == (line, column, column + len("echo done"))
    assert found.message == "`echo done` runs after the wrapped command, so the hook exits with its status " \
                            "instead of the wrapped command's"


@pytest.mark.parametrize("revision", REVISIONS)
def test_nullable_in_argv_and_whole_field(revision):
    bad = environment(revision, 'command: timeout\nargs: ["{{WrappedAction.Timeout}}s", "{{WrappedAction.Command}}",'
                                ' "{{WrappedAction.Args}}"]\n' + TIMEOUT)
    assert warnings(bad) == ["H001"]
    good = bad.replace("{{WrappedAction.Timeout}}s", "{{WrappedAction.Timeout or 0}}s").replace(
        "{{Env.Action.Timeout}}s", "{{Env.Action.Timeout or 0}}s")
    assert warnings(good) == []


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("args, reported", [
    ('["--timeout={{ string(WrappedAction.Timeout) }}"]', "string(WrappedAction.Timeout)"),
    ('["{{ string(WrappedAction.Timeout) }}"]', "string(WrappedAction.Timeout)"),
    ('["--timeout={{ string(WrappedAction.Timeout or 0) }}"]', None),
    ('["--timeout={{ string(WrappedAction.Timeout) if WrappedAction.Timeout != null else 0 }}"]', None),
])
def test_string_of_a_nullable_value_is_no_guard(revision, args, reported):
    hook = f'command: render-wrapper\nargs: {args[:-1]}, "{{{{WrappedAction.Command}}}}", "{{{{WrappedAction.Args}}}}"]\n'
    template = environment(revision, hook + TIMEOUT)
    found = diagnostics(template, "H001")
    if reported is None:
        assert found == []
        return
    reported = reported.replace("WrappedAction.Timeout", "Env.Action.Timeout" if revision == "WRAP_TASK_RUN"
                                else "WrappedAction.Timeout")
    (finding,) = found
    line = next(n for n, text in enumerate(template.splitlines(), 1) if "string(" in text)
    column = template.splitlines()[line - 1].index("string(") + 1
    assert (finding.line, finding.column, finding.end_column) == (line, column, column + len(reported))
    assert finding.message.startswith(f"`{reported}` renders `null` when")


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_failing_operation_on_null_is_named_as_written(revision):
    template = environment(revision, shell_hook("exec timeout {{ WrappedAction.Timeout * 2 }} " + RUN))
    (finding,) = diagnostics(template, "H001")
    name = "Env.Action.Timeout" if revision == "WRAP_TASK_RUN" else "WrappedAction.Timeout"
    assert finding.message == f"`{name} * 2` fails when `{name}` is null"


@pytest.mark.parametrize("revision", REVISIONS)
def test_timeout_not_forwarded_is_info(revision):
    template = environment(revision, shell_hook(f"exec {RUN}", timeout=""))
    found = [d for d in diagnostics(template, "H002")]
    assert len(found) == 1 and found[0].severity == Severity.INFO
    timeout_name = "Env.Action.Timeout" if revision == "WRAP_TASK_RUN" else "WrappedAction.Timeout"
    assert timeout_name in found[0].hint
    assert diagnostics(environment(revision, shell_hook(f"exec {RUN}")), "H002") == []
    passed_on = shell_hook("exec timeout {{WrappedAction.Timeout or 0}} " + RUN, timeout="")
    assert diagnostics(environment(revision, passed_on), "H002") == []


@pytest.mark.parametrize("revision", REVISIONS)
def test_shell_syntax_in_argv_of_a_program(revision):
    argv = 'command: docker\nargs: [exec, "{arg}", "{{{{WrappedAction.Command}}}}", "{{{{WrappedAction.Args}}}}"]\n'
    for arg in ("${DOCKER_CONTAINER_ID}", "$ID", "~/x", "/data/*.exr", "&&"):
        assert warnings(environment(revision, argv.format(arg=arg) + TIMEOUT)) == ["H006"], arg
    for arg in ("ctr", "--filter=a|b", "{{{{WrappedStep.Name}}}}" if revision == "WRAP_ACTIONS" else "x"):
        assert warnings(environment(revision, argv.format(arg=arg) + TIMEOUT)) == [], arg
    shell = shell_hook("exec docker exec \\\"${DOCKER_CONTAINER_ID}\\\" " + RUN)
    assert warnings(environment(revision, shell)) == []


@pytest.mark.parametrize("revision", REVISIONS)
def test_hazards_in_an_embedded_script_the_hook_runs(revision):
    files = ("- name: Run\n  type: TEXT\n  filename: run.sh\n"
             "  data: |\n    #!/bin/sh\n    \"$@\" > /dev/null || true\n")
    hook = 'command: "{{Env.File.Run}}"\nargs: ["{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]\n' + TIMEOUT
    assert warnings(environment(revision, hook, files=files)) == ["H004", "H005"]
    clean = files.replace('"$@" > /dev/null || true', 'exec "$@"')
    assert warnings(environment(revision, hook, files=clean)) == []


@pytest.mark.parametrize("revision", REVISIONS)
def test_command_line_length(revision):
    long_literal = environment(revision, 'command: cmd\nargs: ["/c", "' + "x" * 9000 + ' {{repr_cmd('
                                         'WrappedAction.Command)}}"]\n' + TIMEOUT)
    found = diagnostics(long_literal, "H007")
    assert [d.severity for d in found] == [Severity.WARNING] and "8,191" in found[0].message
    # Packing the wrapped command line into one argument is no finding on its own (item 8 of issue 14) ...
    assert diagnostics(environment(revision, shell_hook(f"exec {RUN}")), "H007") == []
    argv = 'command: "{{WrappedAction.Command}}"\nargs: ["{{WrappedAction.Args}}"]\n' + TIMEOUT
    assert diagnostics(environment(revision, argv), "H007") == []


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("size, reported", [(70_000, True), (1_000, False)])
def test_command_line_length_estimated_for_the_wrapped_actions_of_a_job(revision, size, reported):
    """... only where the estimate of a wrapped action's command line can exceed a limit."""
    big = "x" * size
    template = job(revision, shell_hook(f"exec {RUN}"), f'command: render\nargs: ["{big}", "{big}"]\n')
    found = diagnostics(template, "H007")
    assert len(found) == reported
    if reported:
        (finding,) = found
        line = template.splitlines().index("      onRun:") + 1
        assert (finding.line, finding.column, finding.severity) == (line, 7, Severity.WARNING)
        assert finding.message.startswith("`onWrapTaskRun` of 'Wrapper' makes the `onRun` of step 'Render' an "
                                          "argument of at least 140,0")
        assert "MAX_ARG_STRLEN" in finding.message and finding.related[0].line == template.splitlines().index(
            "      onWrapTaskRun:") + 1
    forwarded = job(revision, 'command: "{{WrappedAction.Command}}"\nargs: ["{{WrappedAction.Args}}"]\n' + TIMEOUT,
                    f'command: render\nargs: ["{big}", "{big}"]\n')
    assert diagnostics(forwarded, "H007") == []  # each argument keeps its own limit


@pytest.mark.parametrize("revision", REVISIONS)
def test_timeout_advice_only_on_hooks_that_run_the_wrapped_command(revision):
    printing = 'command: python\nargs: ["-c", "print(1)"]\n'
    assert diagnostics(environment(revision, printing), "H002") == []
    assert len(diagnostics(environment(revision, shell_hook(f"exec {RUN}", timeout="")), "H002")) == 1


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("hook, on_run, lost", [
    (shell_hook(f"exec {RUN}", timeout=""), "command: render\ntimeout: 600\n", True),
    (shell_hook(f"exec {RUN}", timeout="timeout: 7200\n"), "command: render\ntimeout: 600\n", True),
    (shell_hook(f"exec {RUN}"), "command: render\ntimeout: 600\n", False),
    (shell_hook("exec timeout {{WrappedAction.Timeout or 0}} " + RUN, timeout=""), "command: render\ntimeout: 600\n",
     False),
    (shell_hook(f"exec {RUN}", timeout=""), "command: render\n", False),  # nothing declared, nothing lost
    ('command: python\nargs: ["-c", "print(1)"]\n', "command: render\ntimeout: 600\n", False),  # never runs it
])
def test_a_declared_timeout_that_the_hook_loses_is_reported_at_the_timeout(revision, hook, on_run, lost):
    template = job(revision, hook, on_run)
    found = diagnostics(template, "N004")
    assert len(found) == lost
    assert diagnostics(template, "H002") == []  # in a job the session is known: N004 says what is lost
    if lost:
        (finding,) = found
        line = template.splitlines().index("        timeout: 600") + 1
        assert (finding.line, finding.column, finding.end_column, finding.severity) == (line, 9, 16, Severity.WARNING)
        variable = "Env.Action.Timeout" if revision == "WRAP_TASK_RUN" else "WrappedAction.Timeout"
        own = "the hook's own `timeout: 7200` applies instead" if "7200" in hook else \
            "the hook has no timeout of its own, so nothing stops the action"
        assert finding.message == (f"the `onRun` of step 'Render' declares `timeout: 600`, but `onWrapTaskRun` of "
                                   f"'Wrapper' runs it without forwarding or enforcing `{variable}`: {own}")


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_timeout_lost_in_an_enclosing_environment_template_is_reported_in_the_job(revision):
    import openjd_lint.rules
    from openjd_lint.pipeline import lint_bytes
    from openjd_lint.session.environments import load_environment

    queue = load_environment("queue-env.yaml", environment(revision, shell_hook(f"exec {RUN}", timeout="")).encode())
    template = ("specificationVersion: jobtemplate-2023-09\nname: Job\nsteps:\n- name: Render\n  script:\n"
                "    actions:\n      onRun:\n        command: render\n        timeout: 600\n")
    found = [d for d in lint_bytes(template.encode(), "job.yaml", openjd_lint.rules.REGISTRY,
                                   enclosing=(queue,)).diagnostics if d.rule == "N004"]
    assert [(d.line, d.column) for d in found] == [(9, 9)]
    assert "`onWrapTaskRun` of 'Wrapper' (queue-env.yaml)" in found[0].message
    assert found[0].related[0].file == "queue-env.yaml"


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("args, misplaced", [
    ('[exec, box, -e, "A=1", --workdir, /w, "{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]',
     ["-e", "--workdir"]),
    ('[exec, -e, "A=1", --workdir, /w, box, "{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]', []),
    ('[run, --rm, img, -v, "/a:/b", "{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]', ["-v"]),
    ('[run, --rm, img, --verbose, "{{WrappedAction.Command}}"]', []),  # the image's entrypoint may take it
])
def test_container_options_after_the_container_or_image(revision, args, misplaced):
    template = environment(revision, f"command: docker\nargs: {args}\n" + TIMEOUT)
    found = diagnostics(template, "H008")
    assert [d.message.split("`")[1] for d in found] == misplaced
    line = next(n for n, text in enumerate(template.splitlines(), 1) if "command: docker" in text) + 1
    text = template.splitlines()[line - 1]
    for finding, option in zip(found, misplaced):
        column = text.index(f" {option},") + 2
        assert (finding.line, finding.column, finding.end_column) == (line, column, column + len(option))
        subcommand, target = ("exec", "container") if args.startswith("[exec") else ("run", "image")
        assert finding.message == (f"`{option}` comes after the {target}, so `docker {subcommand}` passes it to "
                                   "the command instead of reading it")


def test_an_embedded_script_run_by_three_hooks_is_reported_once():
    """One problem, one finding (WRAP_ACTIONS only: the draft has one hook)."""
    run = 'command: "{{Env.File.Wrap}}"\nargs: ["{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]\n' + TIMEOUT
    hooks = "".join(f"{name}:\n" + "".join(f"  {line}\n" for line in run.splitlines())
                    for name in ("onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit"))
    template = ("specificationVersion: environment-2023-09\nextensions: [WRAP_ACTIONS, EXPR, FEATURE_BUNDLE_1]\n"
                "environment:\n  name: Wrapper\n  script:\n    embeddedFiles:\n    - name: Wrap\n      type: TEXT\n"
                "      filename: wrap.sh\n      data: |\n        #!/bin/sh\n        \"$@\" > /dev/null\n    actions:\n"
                + "".join(f"      {line}\n" for line in hooks.splitlines()))
    (finding,) = diagnostics(template, "H005")
    lines = template.splitlines()
    assert (finding.line, finding.column) == (lines.index('        "$@" > /dev/null') + 1, 9)
    assert [(r.message, r.line) for r in finding.related] == [
        ("`onWrapTaskRun` runs it too", lines.index("      onWrapTaskRun:") + 1),
        ("`onWrapEnvExit` runs it too", lines.index("      onWrapEnvExit:") + 1)]
