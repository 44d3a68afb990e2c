"""Which interpreter parses which element of an action's argv.

An argv element is its literal text as written in the template (interpolations included, `{{...}}`);
the analysis only trusts literal words, so an element built from an interpolation never counts as
an option or a program name.

`invocation(argv)` looks through launcher prefixes (`env`, `exec`, `sudo`, `timeout`, `nice`, `nohup`,
`setsid`) and container runners (`docker exec`/`run`, `podman`), then knows the command-line syntax
of POSIX shells (`-c`), `ssh`, `cmd /c`, PowerShell (`-Command`, `-File`), Python (`-c`) and Node.js
(`-e`, `-p`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

SH = "sh"
CMD = "cmd"
PWSH = "pwsh"
PY = "py"
JS = "js"

# JSON text is a JavaScript literal, so `repr_json` quotes for Node.js.
QUOTING_FUNCTION = {SH: "repr_sh", CMD: "repr_cmd", PWSH: "repr_pwsh", PY: "repr_py", JS: "repr_json"}
DESCRIPTION = {SH: "a POSIX shell", CMD: "cmd.exe", PWSH: "PowerShell", PY: "Python", JS: "Node.js"}

# How a value reaches code as an argument instead of as text: what the code reads, and how to pass it.
ARGUMENT_IN_SCRIPT = {SH: '"$1"', PY: "sys.argv[1]", PWSH: "$args[0]", CMD: "%~1", JS: "process.argv[2]"}
ARGUMENT_AFTER_CODE = {
    SH: 'pass it after the code as its own argument (`args: ["-c", "... \\"$1\\" ...", "bash", "{value}"]`; the '
        'word right after the code is `$0`)',
    PY: 'pass it after the code as its own argument (`args: ["-c", "import sys; ... sys.argv[1] ...", "{value}"]`)',
    JS: 'pass it after the code as its own argument and read `process.argv[1]`',
    PWSH: "run the code as a `-File` script and pass the value as its own argument (`$args[0]`)",
    CMD: "run a batch file and pass the value as its own argument (`%~1`)",
}

_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh"})
_PYTHONS = re.compile(r"(python[0-9.]*|pythonw|py)")
_POWERSHELLS = frozenset({"powershell", "pwsh"})
_NODES = frozenset({"node", "nodejs"})
_CONTAINER_RUNNERS = frozenset({"docker", "podman", "nerdctl"})

# Options that take a value as the next element, per launcher.
_SHELL_VALUE_OPTIONS = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})
_SSH_VALUE_OPTIONS = frozenset("BbcDEeFIiJLlmOopQRSWw")
_SUDO_VALUE_OPTIONS = frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user", "--group",
                                 "--chdir", "--prompt", "--role", "--type", "--other-user", "--host",
                                 "--close-from", "--command-timeout"})
_TIMEOUT_VALUE_OPTIONS = frozenset({"-s", "-k", "--signal", "--kill-after"})
_ENV_VALUE_OPTIONS = frozenset({"-u", "--unset", "-C", "--chdir"})
_PYTHON_VALUE_OPTIONS = frozenset({"-W", "-X", "--check-hash-based-pycs"})
_NODE_EVAL_OPTIONS = frozenset({"-e", "--eval", "-p", "--print", "-pe"})
_NODE_VALUE_OPTIONS = frozenset({"-r", "--require", "--import", "--loader", "--input-type", "-C", "--conditions"})
_PWSH_SWITCHES = frozenset({"-noprofile", "-nop", "-noninteractive", "-noni", "-nologo", "-noexit", "-sta", "-mta",
                            "-login", "-l", "-interactive", "-i"})
_DOCKER_VALUE_SHORT = frozenset("eulwvphmc")
_DOCKER_BOOLEAN_LONG = frozenset({"--rm", "--init", "--privileged", "--interactive", "--tty", "--detach",
                                  "--read-only", "--no-healthcheck", "--oom-kill-disable", "--publish-all",
                                  "--sig-proxy", "--quiet", "--disable-content-trust"})

_SCRIPT_EXTENSIONS = {".sh": SH, ".bash": SH, ".zsh": SH, ".ksh": SH, ".bat": CMD, ".cmd": CMD, ".ps1": PWSH,
                      ".py": PY, ".js": JS, ".mjs": JS, ".cjs": JS}


@dataclass(frozen=True)
class Invocation:
    """What an argv runs. `program_index` is the element naming the program that finally runs (after
    launchers); `parsed` maps argv indices to the interpreter that parses that element as code;
    `script_index` is the element naming a script file the interpreter `script_interpreter` reads;
    `program` is the normalised program name (None when not a literal). `detached_by` names a
    launcher that detaches the process from the caller (`nohup`, `setsid`, `docker --detach`).
    `encoded_index` is the element PowerShell reads as base64 of UTF-16LE source (`-EncodedCommand`);
    `misplaced_options` are the indices of container-runner options written after the container or
    image (`docker exec CONTAINER -e X=1 cmd`), which the runner passes to the command instead."""

    program_index: int
    program: Optional[str]
    parsed: dict = field(default_factory=dict)
    script_index: Optional[int] = None
    script_interpreter: Optional[str] = None
    detached_by: Optional[str] = None
    encoded_index: Optional[int] = None
    misplaced_options: tuple = ()

    @property
    def is_interpreter(self) -> bool:
        return bool(self.parsed) or self.script_index is not None


def program_name(word: Optional[str]) -> Optional[str]:
    """`/usr/bin/Bash.EXE` -> `bash`; None for an element that is not plain literal text."""
    if not word or "{{" in word:
        return None
    name = re.split(r"[\\/]", word)[-1].lower()
    for suffix in (".exe", ".com"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name or None


def interpreter_of_program(name: Optional[str]) -> Optional[str]:
    if name is None:
        return None
    if name in _SHELLS:
        return SH
    if name in _POWERSHELLS:
        return PWSH
    if name == "cmd":
        return CMD
    if _PYTHONS.fullmatch(name):
        return PY
    if name in _NODES:
        return JS
    return None


def invocation(argv: Sequence[Optional[str]], start: int = 0) -> Invocation:
    """Analyse argv[start:] (argv[0] is the action's `command`)."""
    index, detached_by = _skip_launchers(argv, start)
    if index >= len(argv):
        return Invocation(min(index, max(len(argv) - 1, 0)), None, detached_by=detached_by)
    name = program_name(argv[index])
    if name in _CONTAINER_RUNNERS:
        inner_start, detach, misplaced = _container_command(argv, index)
        if inner_start is not None:
            inner = invocation(argv, inner_start)
            return Invocation(inner.program_index, inner.program, inner.parsed, inner.script_index,
                              inner.script_interpreter, detached_by or detach or inner.detached_by,
                              inner.encoded_index, misplaced + inner.misplaced_options)
        return Invocation(index, name, detached_by=detached_by or detach, misplaced_options=misplaced)
    kind = interpreter_of_program(name)
    analyse = {SH: _shell, PY: _python, PWSH: _powershell, CMD: _cmd, JS: _node}.get(kind)
    if name == "ssh":
        analyse = _ssh
    if analyse is None:
        return Invocation(index, name, detached_by=detached_by)
    parsed, script_index, *encoded = analyse(argv, index, name)
    return Invocation(index, name, parsed, script_index, kind if script_index is not None else None, detached_by,
                      encoded[0] if encoded else None)


def script_interpreter(filename: Optional[str], data: Optional[str]) -> Optional[str]:
    """The interpreter of a script file run directly: its shebang line, else its extension."""
    if data and data.startswith("#!"):
        words = data[2:].splitlines()[0].split()
        if words:
            found = invocation(words)
            kind = interpreter_of_program(found.program)
            if kind is not None:
                return kind
    if filename and "{{" not in filename:
        lowered = filename.lower()
        for extension, kind in _SCRIPT_EXTENSIONS.items():
            if lowered.endswith(extension):
                return kind
    return None


def _literal(argv: Sequence[Optional[str]], index: int) -> Optional[str]:
    word = argv[index] if 0 <= index < len(argv) else None
    return word if word is not None and "{{" not in word else None


def _skip_launchers(argv: Sequence[Optional[str]], index: int) -> tuple:
    detached_by = None
    while index < len(argv):
        name = program_name(argv[index])
        if name in ("nohup", "setsid"):
            detached_by = detached_by or name
            index = _skip_options(argv, index + 1, frozenset())
        elif name in ("exec", "nice", "stdbuf", "time"):
            index = _skip_options(argv, index + 1, frozenset({"-n", "-a", "-i", "-o", "-e", "--adjustment"}))
        elif name == "env":
            index = _skip_options(argv, index + 1, _ENV_VALUE_OPTIONS)
            while _literal(argv, index) is not None and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", argv[index], re.S):
                index += 1
        elif name == "sudo":
            index = _skip_options(argv, index + 1, _SUDO_VALUE_OPTIONS)
        elif name == "timeout":
            index = _skip_options(argv, index + 1, _TIMEOUT_VALUE_OPTIONS) + 1
        else:
            break
    return index, detached_by


def _skip_options(argv: Sequence[Optional[str]], index: int, value_options: frozenset) -> int:
    while index < len(argv):
        word = _literal(argv, index)
        if word is None or not word.startswith("-") or word == "-":
            return index
        index += 1
        if word == "--":
            return index
        if word in value_options:
            index += 1
    return index


def _shell(argv, index, name) -> tuple:
    position = index + 1
    command_mode = False
    while position < len(argv):
        word = _literal(argv, position)
        if word is None:
            break
        if word == "--":
            position += 1
            break
        if not word.startswith(("-", "+")) or word in ("-", "+"):
            break
        position += 1
        if word in _SHELL_VALUE_OPTIONS:
            position += 1
        elif not word.startswith("--") and "c" in word[1:]:
            command_mode = True
    if position >= len(argv):
        return {}, None
    if command_mode:
        return {position: SH}, None
    return {}, position


def _python(argv, index, name) -> tuple:
    return _code_option(argv, index, PY, lambda word: not word.startswith("--") and word.endswith("c"),
                        _PYTHON_VALUE_OPTIONS, stops=("-m", "--"))


def _node(argv, index, name) -> tuple:
    return _code_option(argv, index, JS, _NODE_EVAL_OPTIONS.__contains__, _NODE_VALUE_OPTIONS, ends=("--",))


def _code_option(argv, index, kind, is_code, value_options, stops=(), ends=()) -> tuple:
    """`python -c CODE`, `node -e CODE`: the code element, else the element naming the script. After an
    option in `stops` neither is known; an option in `ends` ends the options."""
    position = index + 1
    while position < len(argv):
        word = _literal(argv, position)
        if word is None or not word.startswith("-") or word == "-":
            break
        position += 1
        if word in stops:
            return {}, None
        if word in ends:
            break
        if word in value_options:
            position += 1
        elif is_code(word):
            return ({position: kind} if position < len(argv) else {}), None
    return {}, (position if position < len(argv) else None)


def _powershell(argv, index, name) -> tuple:
    position = index + 1
    while position < len(argv):
        word = _literal(argv, position)
        if word is None:
            break
        lowered = word.lower()
        if not lowered.startswith("-"):
            break
        position += 1
        if lowered in _PWSH_SWITCHES:
            continue
        if len(lowered) > 1 and "-command".startswith(lowered):
            return dict.fromkeys(range(position, len(argv)), PWSH), None
        if len(lowered) > 1 and "-file".startswith(lowered):
            return {}, (position if position < len(argv) else None)
        if lowered in ("-e", "-ec") or (len(lowered) > 3 and "-encodedcommand".startswith(lowered)):
            return {}, None, (position if position < len(argv) else None)
        if lowered in ("-encodedarguments", "-ea"):
            return {}, None
        position += 1  # any other parameter takes a value
    if position >= len(argv):
        return {}, None
    if name == "powershell":  # Windows PowerShell reads the remaining words as a command
        return dict.fromkeys(range(position, len(argv)), PWSH), None
    return {}, position


def _cmd(argv, index, name) -> tuple:
    for position in range(index + 1, len(argv)):
        word = _literal(argv, position)
        if word is None or not word.startswith("/"):
            return {}, None
        if word.lower() in ("/c", "/k"):
            return dict.fromkeys(range(position + 1, len(argv)), CMD), None
    return {}, None


def _ssh(argv, index, name) -> tuple:
    position = index + 1
    while position < len(argv):
        word = _literal(argv, position)
        if word is None or not word.startswith("-"):
            break
        position += 1
        if len(word) == 2 and word[1] in _SSH_VALUE_OPTIONS:
            position += 1
    # argv[position] is the destination; the remote shell parses the rest, joined with spaces.
    return dict.fromkeys(range(position + 1, len(argv)), SH), None


def _container_command(argv, index) -> tuple:
    """(index where the command inside the container starts or None, detach marker, indices of options
    written after the container or image)."""
    position = index + 1
    subcommand = _literal(argv, position)
    if subcommand not in ("exec", "run"):
        return None, None, ()
    label = f"{program_name(argv[index])} {subcommand}"
    position, detach = _container_options(argv, position + 1, label, lambda word: True)
    # argv[position] is the container (exec) or the image (run); what follows is the command. For `exec` no
    # command starts with `-`; after `run`'s image, only the runner's own options are taken for misplaced
    # ones (the image's entrypoint may take options of its own).
    known = (lambda word: True) if subcommand == "exec" else _is_run_option
    start, _ = _container_options(argv, position + 1, label, known)  # a misplaced `-d` detaches nothing
    misplaced = tuple(i for i in range(position + 1, start) if (_literal(argv, i) or "").startswith("-"))
    if start < len(argv):
        return start, detach, misplaced
    return None, detach, misplaced


def _container_options(argv, position: int, label: str, accepts) -> tuple:
    """Skip the options of `docker exec`/`run` from `position`: (the index after them, detach marker)."""
    detach = None
    while position < len(argv):
        word = _literal(argv, position)
        if word is None or not word.startswith("-") or word == "-" or not accepts(word):
            break
        position += 1
        if word == "--":
            break
        if word == "--detach" or (not word.startswith("--") and "d" in word[1:] and "=" not in word):
            detach = detach or f"{label} {word}"
        if word.startswith("--"):
            if "=" not in word and word not in _DOCKER_BOOLEAN_LONG:
                position += 1
        elif word[-1] in _DOCKER_VALUE_SHORT:
            position += 1
    return position, detach


_DOCKER_RUN_LONG = frozenset({"--env", "--env-file", "--volume", "--workdir", "--user", "--rm", "--name", "--network",
                              "--entrypoint", "--mount", "--gpus", "--privileged", "--init", "--detach", "--interactive",
                              "--tty", "--publish", "--label", "--cpus", "--memory", "--platform", "--pull",
                              "--hostname", "--add-host", "--cap-add", "--device", "--ipc", "--shm-size",
                              "--security-opt", "--ulimit", "--restart"})


def _is_run_option(word: str) -> bool:
    if word.startswith("--"):
        return word.split("=", 1)[0] in _DOCKER_RUN_LONG
    return len(word) > 1 and all(ch in "eiltdvwupm" for ch in word[1:].split("=", 1)[0])
