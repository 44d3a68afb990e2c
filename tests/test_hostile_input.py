"""Hostile input: each case ends in a finding or a clean usage error within bounded time and memory.

Every case runs the command line in a subprocess whose address space is capped, and asserts its peak
resident memory and a deadline. The bounds asserted here are generous, for busy shared machines; the
figures measured on a quiet one are in README.md ("Limits and performance").
"""

import json
import os
import resource
import subprocess
import sys
import time

import pytest

DEADLINE_S = 60
PEAK_RSS_MB = 500
ADDRESS_SPACE = 3 * 1024 ** 3  # a runaway allocation fails inside the child instead of exhausting the machine

# The peak is read from VmHWM where there is one: ru_maxrss would also count the forked test process
# before the child's exec.
_DRIVER = """\
import resource, sys
from openjd_lint.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"\\npeak-rss-kb={peak}\\n")
sys.exit(code)
"""

HEADER = "specificationVersion: jobtemplate-2023-09\n"
EXPR_JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR]
name: hostile
parameterDefinitions:
- name: N
  type: INT
steps:
- name: Step
  script:
    actions:
      onRun:
        command: echo
        args: ["%s"]
"""


class Outcome:
    def __init__(self, completed: subprocess.CompletedProcess, elapsed: float):
        self.code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.elapsed = elapsed
        marker = [line for line in completed.stderr.splitlines() if line.startswith("peak-rss-kb=")]
        self.peak_rss_mb = int(marker[-1].split("=")[1]) / 1024 if marker else None

    @property
    def rules(self) -> list:
        return sorted({finding["rule"] for finding in json.loads(self.stdout)["findings"]})

    def assert_bounded(self) -> None:
        assert self.code in (0, 1, 2), f"exit code {self.code}: {self.stderr[-2000:]}"
        assert self.peak_rss_mb is not None and self.peak_rss_mb < PEAK_RSS_MB, self.peak_rss_mb


def run(*args, cwd, stdin: bytes = b"", deadline: float = DEADLINE_S) -> Outcome:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-c", _DRIVER, *args], input=stdin, capture_output=True,
                               cwd=cwd, timeout=deadline, preexec_fn=limit)
    completed.stdout, completed.stderr = completed.stdout.decode(), completed.stderr.decode(errors="replace")
    return Outcome(completed, time.perf_counter() - start)


def check(tmp_path, name: str, data: bytes, *options: str) -> Outcome:
    (tmp_path / name).write_bytes(data)
    outcome = run("check", "--no-cache", "--format", "json", *options, name, cwd=tmp_path)
    outcome.assert_bounded()
    return outcome


def alias_bomb() -> bytes:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return (HEADER + "\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("name, data, expected", [
    ("alias-bomb.yaml", alias_bomb(), ["L008"]),
    ("deep-block.yaml", (HEADER + "x:\n  " + "- " * 10_000 + "x\n").encode(), ["L010"]),
    ("deep-flow-sequence.yaml", (HEADER + "x: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(), ["L010"]),
    ("deep-flow-mapping.yaml", (HEADER + "x: " + "{a: " * 10_000 + "}" * 10_000 + "\n").encode(), ["L010"]),
    ("nul.yaml", (HEADER + "name: a\x00b\n").encode(), ["L007"]),
    ("latin-1.yaml", HEADER.encode() + b"name: caf\xe9\n", ["L006"]),
    ("utf-16.yaml", (HEADER + "name: x\n").encode("utf-16"), ["L006"]),
    ("utf-16-without-bom.json", '{"specificationVersion": "jobtemplate-2023-09"}'.encode("utf-16-le"), ["L007"]),
], ids=lambda value: value if isinstance(value, str) and value.endswith((".yaml", ".json")) else "")
def test_hostile_files_are_findings(tmp_path, name, data, expected):
    outcome = check(tmp_path, name, data)
    assert outcome.code == 1 and outcome.rules == expected


def test_a_one_megabyte_line(tmp_path):
    outcome = check(tmp_path, "long-line.yaml", (HEADER + "name: " + "x" * 1024 ** 2 + "\n").encode())
    assert outcome.code == 1 and "S003" in outcome.rules


def test_a_50_megabyte_file_is_reported_unread(tmp_path):
    with open(tmp_path / "huge.yaml", "wb") as huge:
        huge.write(HEADER.encode())
        huge.truncate(50 * 1024 ** 2)
    outcome = run("check", "--no-cache", "--format", "json", "huge.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == 1 and outcome.rules == ["L011"]
    assert outcome.peak_rss_mb < 100  # not read into memory


def test_an_expression_of_10000_nested_parentheses(tmp_path):
    outcome = check(tmp_path, "parentheses.yaml", (EXPR_JOB % ("{{ " + "(" * 10_000 + "1" + ")" * 10_000 + " }}")).encode())
    assert outcome.code == 1 and outcome.rules == ["X002"]


def test_a_format_string_of_100000_interpolations(tmp_path):
    outcome = check(tmp_path, "interpolations.yaml", (EXPR_JOB % ("{{Param.N}}" * 100_000)).encode())
    assert outcome.code == 0


def test_expand_refuses_a_range_of_2_to_the_63_items(tmp_path):
    (tmp_path / "range.yaml").write_text("""\
specificationVersion: jobtemplate-2023-09
name: range
parameterDefinitions:
- name: Frames
  type: STRING
steps:
- name: Step
  parameterSpace:
    taskParameterDefinitions:
    - name: Frame
      type: INT
      range: "{{Param.Frames}}"
  script:
    actions:
      onRun:
        command: echo
        args: ["{{Task.Param.Frame}}"]
""")
    outcome = run("expand", "-p", f"Frames=0-{2 ** 63 - 2}", "range.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == 1 and "9223372036854775807 values" in outcome.stdout + outcome.stderr


def test_expand_refuses_an_expression_over_2_to_the_63_items(tmp_path):
    (tmp_path / "range.yaml").write_text(EXPR_JOB % "{{ len(range(Param.N)) }}")
    outcome = run("expand", "-p", f"N={2 ** 63 - 1}", "range.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == 1 and "exceeded limit" in outcome.stdout + outcome.stderr


def test_a_directory_symlink_loop(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "job.yaml").write_text(HEADER + "name: x\n")
    os.symlink(tmp_path / "templates", tmp_path / "templates" / "loop")
    os.symlink(tmp_path / "templates" / "loop", tmp_path / "templates" / "loop-of-loop")
    outcome = run("check", "--no-cache", "--format", "json", "templates", cwd=tmp_path)
    outcome.assert_bounded()
    assert json.loads(outcome.stdout)["files_checked"] == 1


def test_hostile_standard_input(tmp_path):
    outcome = run("check", "--no-cache", "--format", "json", "-", cwd=tmp_path, stdin=alias_bomb())
    outcome.assert_bounded()
    assert outcome.rules == ["L008"]


def test_a_missing_file_is_a_usage_error(tmp_path):
    outcome = run("check", "--no-cache", "missing.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == 2 and "no such file" in outcome.stderr


# ruamel.yaml's C composer recurses once per nesting level and would die of a segmentation fault past
# about 25,000 levels: the loader measures depth on the event stream before composing.
def test_block_nesting_deeper_than_the_c_stack(tmp_path):
    outcome = check(tmp_path, "deeper-block.yaml", (HEADER + "x:\n  " + "- " * 40_000 + "x\n").encode())
    assert outcome.rules == ["L010"]


def test_flow_nesting_deeper_than_the_c_stack(tmp_path):
    outcome = check(tmp_path, "deeper-flow.yaml", (HEADER + "x: " + "[" * 30_000 + "]" * 30_000 + "\n").encode())
    assert outcome.rules == ["L010"]



def test_the_densest_megabyte(tmp_path):
    # half a million one-character scalars: the most nodes a 1 MB file can hold; refused before composing
    outcome = check(tmp_path, "dense.yaml", (HEADER + "x: [" + ",".join(["1"] * (1 << 19)) + "]\n").encode())
    assert outcome.code == 1 and outcome.rules == ["L012"]


# ---------------------------------------------------------------------------- numerals of any length

LONG = "9" * 5000  # past Python's 4,300-digit limit on converting text to int
STEP_JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR]
name: numerals
parameterDefinitions:
- name: N
  type: INT
%s
steps:
- name: Step
  parameterSpace:
    taskParameterDefinitions:
    - name: F
      type: INT
      range: %s
  script:
    actions:
      onRun:
        command: echo
        args: ["%s"]
"""
NUMERAL_CASES = {  # file -> (parameter keys, task range, argument), the rules reported
    "hex-without-digits.yaml": (("  default: 1", "[0x_, 0o_, -0x_]", "x"), ["S007"]),  # text, not numbers
    "plain-integer.yaml": (("  default: 1", f"[{LONG}]", "x"), ["L013", "T401"]),
    "tagged-integer.yaml": (("  default: 1", f"[!!int {LONG}]", "x"), ["L013", "T401"]),
    "leading-zeros.yaml": (("  default: 0" + "0" * 5000 + "7", "[1]", "x"), []),
    "int-default.yaml": ((f"  default: '{LONG}'", "[1]", "x"), ["T204"]),
    "int-limits.yaml": ((f"  minValue: '-{LONG}'\n  maxValue: '{LONG}'", "[1]", "x"), ["T204"]),
    "range-item.yaml": (("  default: 1", f"['{LONG}']", "x"), ["T401"]),
    "range-expression.yaml": (("  default: 1", f'"1-{LONG}"', "x"), ["T403"]),
    "expression-literal.yaml": (("  default: 1", "[1]", f"{{{{ {LONG} }}}}"), ["X002"]),
    "int-of-text.yaml": (("  default: 1", "[1]", f"{{{{ int('{LONG}') }}}}"), ["X007"]),
    "range-of-text.yaml": (("  default: 1", "[1]", f"{{{{ len(range_expr('1-{LONG}')) }}}}"), ["X007"]),
    "frame-padding.yaml": (("  default: 1", "[1]", f"{{{{ with_number('a.%0{LONG}d.exr', 1) }}}}"), ["X007"]),
}


def test_numerals_of_any_length(tmp_path):
    for name, ((keys, task_range, argument), _) in NUMERAL_CASES.items():
        (tmp_path / name).write_text(STEP_JOB % (keys, task_range, argument))
    outcome = run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    outcome.assert_bounded()
    findings = json.loads(outcome.stdout)["findings"]
    assert outcome.code == 1
    assert {name: sorted({f["rule"] for f in findings if f["file"] == name}) for name in NUMERAL_CASES} == {
        name: expected for name, (_, expected) in NUMERAL_CASES.items()}
    assert max(len(f["message"]) for f in findings) < 300  # long numerals are abbreviated


def test_a_json_integer_of_any_length(tmp_path):
    outcome = check(tmp_path, "job.json", ('{"specificationVersion": "jobtemplate-2023-09", "name": "x", "x": %s}'
                                           % LONG).encode())
    assert outcome.code == 1 and outcome.rules == ["L013", "S002", "S003"]  # and `steps` is missing


@pytest.mark.parametrize("options, code, shown", [
    (["-p", f"N={LONG}"], 1, "99999999999999999999...9999999999 (5,000 characters) is outside the 64-bit"),
    (["-p", f"R=1-{LONG}"], 1, "(5,000 characters) is outside the 64-bit signed range"),
    (["--task", LONG], 2, "--task takes `all` or a task number"),
    (["--task", "\u00b2"], 2, "--task takes `all` or a task number"),
], ids=["int-parameter", "range-parameter", "task-number", "superscript-task-number"])
def test_expand_with_numerals_of_any_length(tmp_path, options, code, shown):
    (tmp_path / "job.yaml").write_text(STEP_JOB.replace("  type: INT\n%s", "  type: INT\n- name: R\n  type: RANGE_EXPR")
                                       % ('"{{Param.R}}"', "{{Param.N}}"))
    outcome = run("expand", *options, "job.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == code and shown in outcome.stdout + outcome.stderr


# ------------------------------------------------------------------------------- lone surrogates

@pytest.mark.parametrize("expression", ["[x for x in ['\\\\udc80']]", "['\\\\ud800' + 'x' for x in [1]]"])
def test_lone_surrogates_in_expressions(tmp_path, expression):
    (tmp_path / "job.yaml").write_text(EXPR_JOB % f"{{{{ {expression} }}}}")
    for command in (["check", "--no-cache"], ["expand", "-p", "N=1"]):
        outcome = run(*command, "job.yaml", cwd=tmp_path)
        outcome.assert_bounded()
        assert outcome.code == 0
    assert "\\ud800x" in outcome.stdout or "\\udc80" in outcome.stdout  # written as an escape


# ------------------------------------------------------------------ what a walked directory holds

def test_a_walked_directory_with_links_fifos_sockets_and_devices(tmp_path):
    import socket

    (tmp_path / "job.yaml").write_text(HEADER + "name: [\n")
    (tmp_path / "link-to-job.yaml").symlink_to("job.yaml")
    (tmp_path / "dangling.yaml").symlink_to("nowhere.yaml")
    (tmp_path / "loop-a.yaml").symlink_to("loop-b.yaml")
    (tmp_path / "loop-b.yaml").symlink_to("loop-a.yaml")
    (tmp_path / "zeros.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.yaml")  # opening it for reading would wait for a writer forever
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "socket.yaml"))
        outcome = run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == 1 and json.loads(outcome.stdout)["files_checked"] == 2
    assert [line for line in outcome.stderr.splitlines() if "note" in line] == [
        "openjd-lint: note: skipped dangling.yaml: a symbolic link to nothing",
        "openjd-lint: note: skipped fifo.yaml: a FIFO (named pipe), not a regular file",
        "openjd-lint: note: skipped loop-a.yaml: Too many levels of symbolic links",
        "openjd-lint: note: skipped loop-b.yaml: Too many levels of symbolic links",
        "openjd-lint: note: skipped socket.yaml: a socket, not a regular file",
        "openjd-lint: note: skipped zeros.yaml: a device, not a regular file",
    ]


@pytest.mark.parametrize("source", ["device", "stdin"])
def test_an_endless_stream_is_read_up_to_the_limit(tmp_path, source):
    if source == "device":
        outcome = run("check", "--no-cache", "--format", "json", "--max-file-size", "1M", "/dev/zero", cwd=tmp_path)
    else:
        outcome = run("check", "--no-cache", "--format", "json", "--max-file-size", "1M", "-", cwd=tmp_path,
                      stdin=b"\0" * (8 * 1024 ** 2))
    outcome.assert_bounded()
    assert outcome.code == 1 and outcome.rules == ["L011"] and "stream holds more than" in outcome.stdout


# ------------------------------------------------------------------------ expand --workdir

EMBEDDING_JOB = """\
specificationVersion: jobtemplate-2023-09
name: Job
steps:
- name: %s
  script:
    embeddedFiles:
    - {name: Run, type: TEXT, runnable: true, filename: "%s", data: "echo planted"}
    actions:
      onRun: {command: "{{Task.File.Run}}"}
"""


@pytest.mark.parametrize("step, filename, plant", [  # the step's embedded files go to embedded/task-S-0/
    ("S", "..", None),
    ("S", ".", None),
    ("S", "run.sh", "linked-directory"),
    ("S", "run.sh", "linked-file"),
], ids=["file-named-dot-dot", "file-named-dot", "link-to-a-directory", "link-to-a-file"])
def test_expand_workdir_writes_only_plain_names_and_never_through_links(tmp_path, step, filename, plant):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "run.sh").write_text("precious\n")
    work = tmp_path / "work"
    if plant == "linked-directory":
        (work / "embedded").mkdir(parents=True)
        (work / "embedded" / "task-S-0").symlink_to(outside, target_is_directory=True)
    elif plant == "linked-file":
        (work / "embedded" / "task-S-0").mkdir(parents=True)
        (work / "embedded" / "task-S-0" / "run.sh").symlink_to(outside / "run.sh")
    (tmp_path / "job.yaml").write_text(EMBEDDING_JOB % (step, filename))
    before = sorted(os.listdir(tmp_path))
    outcome = run("expand", "--workdir", "work", "job.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == 1 and "openjd-lint: error: not writing " in outcome.stderr, outcome.stderr
    assert (outside / "run.sh").read_text() == "precious\n" and os.listdir(outside) == ["run.sh"]
    assert set(os.listdir(tmp_path)) <= set(before) | {"work"}
    written = [os.path.join(directory, name) for directory, _, names in os.walk(work) for name in names]
    assert not [path for path in written if not os.path.islink(path)]
