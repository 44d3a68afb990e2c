"""The shell helpers: which interpreter parses which argv element, the POSIX word scanner, ARG_MAX."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openjd_lint.shell.argmax import CMD_COMMAND_LINE, LINUX_ARGUMENT, exceeded, limits_for, posix_argv_bytes, \
    windows_command_line_length
from openjd_lint.shell.interpreters import CMD, PWSH, PY, SH, invocation, program_name, script_interpreter
from openjd_lint.shell.words import COMMENT, DOUBLE, HEREDOC, SINGLE, UNQUOTED, commands, scan


@pytest.mark.parametrize("argv, parsed", [
    (["bash", "-c", "echo hi"], {2: SH}),
    (["/bin/sh", "-ec", "echo hi", "arg0", "arg1"], {2: SH}),
    (["zsh", "-o", "pipefail", "-c", "x"], {4: SH}),
    (["dash", "--", "script.sh"], {}),
    (["ssh", "-p", "22", "host", "ls", "-l"], {4: SH, 5: SH}),
    (["cmd.exe", "/d", "/C", "echo", "hi"], {3: CMD, 4: CMD}),
    (["powershell", "-NoProfile", "-Command", "Write-Output hi"], {3: PWSH}),
    (["pwsh", "-c", "Get-Date"], {2: PWSH}),
    (["python3", "-u", "-c", "print(1)"], {3: PY}),
    (["python", "-m", "http.server"], {}),
    (["env", "-u", "B", "A=1", "bash", "-c", "x"], {6: SH}),
    (["sudo", "-u", "render", "timeout", "-s", "TERM", "60", "nice", "-n", "5", "nohup", "sh", "-c", "x"], {13: SH}),
    (["docker", "exec", "-i", "-e", "A=1", "ctr", "bash", "-lc", "x"], {8: SH}),
    (["docker", "exec", "-i", "ctr", "{{WrappedAction.Command}}"], {}),
    (["render", "-c", "x"], {}),
    (["bash", "{{Param.Flag}}", "-c", "x"], {}),
])
def test_which_elements_an_interpreter_parses(argv, parsed):
    assert invocation(argv).parsed == parsed


def test_script_files_and_their_interpreter():
    found = invocation(["bash", "-e", "{{Env.File.Run}}", "a"])
    assert (found.script_index, found.script_interpreter) == (2, SH)
    found = invocation(["pwsh", "-File", "run.ps1", "x"])
    assert (found.script_index, found.script_interpreter, found.parsed) == (2, PWSH, {})
    assert invocation(["python", "run.py"]).script_index == 1


def test_detaching_launchers():
    assert invocation(["nohup", "render"]).detached_by == "nohup"
    assert invocation(["setsid", "-f", "render"]).detached_by == "setsid"
    assert invocation(["docker", "run", "-dit", "img", "x"]).detached_by == "docker run -dit"
    assert invocation(["docker", "run", "--rm", "img", "x"]).detached_by is None


def test_program_names_and_script_interpreters():
    assert program_name("C:\\Windows\\System32\\CMD.EXE") == "cmd"
    assert program_name("{{Env.File.X}}") is None
    assert script_interpreter("x.sh", None) == SH
    assert script_interpreter("x", "#!/usr/bin/env python3\nprint(1)") == PY
    assert script_interpreter("x.txt", "#!/usr/bin/env -S bash -e\n") == SH
    assert script_interpreter("x.BAT", "") == CMD
    assert script_interpreter("x.txt", "echo") is None


def _holes(text):
    return [m.span() for m in re.finditer(r"\{\{.*?\}\}", text)]


def test_quoting_context_of_each_hole():
    text = "a {{x}} \"b {{y}}\" 'c {{z}}' $(d {{w}}) # {{v}}\ncat <<EOF\n{{u}}\nEOF\n"
    assert scan(text, _holes(text)).contexts == {0: UNQUOTED, 1: DOUBLE, 2: SINGLE, 3: UNQUOTED, 4: COMMENT,
                                                  5: HEREDOC}


def test_simple_commands_with_operators_and_redirections():
    text = "exec a {{x}} >/dev/null 2>&1 || true; b | grep c &"
    found = commands(scan(text, _holes(text)).tokens)
    assert [[w.value for w in c.words] for c in found] == [["exec", "a", "{{x}}"], ["true"], ["b"], ["grep", "c"]]
    assert [(op.text, target.value) for op, target in found[0].redirects] == [(">", "/dev/null"), ("2>&", "1")]
    assert [c.after for c in found] == ["||", ";", "|", "&"]
    assert found[0].holes == {0}


def test_assignments_and_reserved_words_are_not_programs():
    found = commands(scan("if true; then X=1 exec run; fi").tokens)
    assert [c.program for c in found] == ["true", "exec"]


def test_length_limits():
    assert posix_argv_bytes(["ab", "é"]) == (3 + 8) + (3 + 8)
    assert windows_command_line_length(["a b", "c"]) == 5 + 1 + 1
    assert exceeded(["x" * 9000], (CMD_COMMAND_LINE,))[0][0] is CMD_COMMAND_LINE
    assert exceeded(["x" * 200_000], (LINUX_ARGUMENT,))[0][1] == 200_001
    assert exceeded(["x" * 100], limits_for(SH)) == []


def test_deep_nesting_does_not_exhaust_recursion():
    text = "$(" * 5000 + "{{x}}" + ")" * 5000
    scan(text, _holes(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab $(){}'\"\\`|&;<>#\n\t2-c{}", max_size=80))
def test_scanner_never_raises(text):
    found = scan(text, _holes(text))
    commands(found.tokens)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["bash", "-c", "ssh", "-p", "cmd", "/c", "docker", "exec", "run", "-d", "env",
                                 "A=1", "timeout", "5", "python", "-m", "pwsh", "-File", "{{x}}", "sudo", "-u",
                                 "--", "nohup", ""]), max_size=8))
def test_invocation_never_raises(argv):
    found = invocation(argv)
    assert all(0 <= index < len(argv) for index in found.parsed)


@pytest.mark.parametrize("argv, encoded", [
    (["pwsh", "-NoProfile", "-EncodedCommand", "AA=="], 3), (["powershell", "-enc", "AA=="], 2),
    (["pwsh", "-e", "AA=="], 2), (["pwsh", "-ec", "AA=="], 2), (["pwsh", "-EncodedArguments", "AA=="], None),
    (["pwsh", "-Command", "x"], None),
])
def test_powershell_encoded_command_argument(argv, encoded):
    assert invocation(argv).encoded_index == encoded


@pytest.mark.parametrize("argv, misplaced, program", [
    (["docker", "exec", "box", "-e", "A=1", "-w", "/x", "bash", "-c", "x"], (3, 5), "bash"),
    (["docker", "exec", "-e", "A=1", "box", "bash", "-c", "x"], (), "bash"),
    (["podman", "run", "--rm", "img", "--env", "A=1", "sh"], (4,), "sh"),
    (["docker", "run", "img", "--help"], (), "--help"),
    (["docker", "run", "img", "-d", "sleep"], (3,), "sleep"),
])
def test_container_options_after_the_container_are_misplaced(argv, misplaced, program):
    found = invocation(argv)
    assert found.misplaced_options == misplaced and found.program == program
    assert found.detached_by is None  # a misplaced -d detaches nothing
