"""I rules: parameter values pasted into text a shell or another interpreter parses, in every action."""

import csv
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openjd_lint.fixes import apply_fixes
from openjd_lint.shell.contexts import places
from openjd_lint.shell.interpreters import CMD, JS, PWSH, PY, SH
from wrap_templates import diagnostics, environment, errors, rule_ids

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REALWORLD = SHARED / "realworld"
CONFORMANCE = SHARED / "conformance"


def job(actions: str, parameters: str = "- {name: X, type: STRING}\n", extensions: str = "", files: str = "",
        step: str = "") -> str:
    """A job template whose step script has `actions` (YAML under `actions:`, unindented)."""
    embedded = ("    embeddedFiles:\n" + textwrap.indent(textwrap.dedent(files), "    ")) if files else ""
    return ("specificationVersion: jobtemplate-2023-09\n"
            + (f"extensions: [{extensions}]\n" if extensions else "")
            + "name: J\nparameterDefinitions:\n" + parameters
            + "steps:\n- name: S\n" + step + "  script:\n" + embedded + "    actions:\n"
            + textwrap.indent(textwrap.dedent(actions), "      "))


def queue_environment(actions: str, parameters: str = "- {name: X, type: STRING}\n", files: str = "",
                      extensions: str = "") -> str:
    embedded = ("    embeddedFiles:\n" + textwrap.indent(textwrap.dedent(files), "    ")) if files else ""
    return ("specificationVersion: environment-2023-09\n"
            + (f"extensions: [{extensions}]\n" if extensions else "")
            + "parameterDefinitions:\n" + parameters
            + "environment:\n  name: Queue\n  script:\n" + embedded + "    actions:\n"
            + textwrap.indent(textwrap.dedent(actions), "      "))


def simple(key: str, script: str, parameters: str = "- {name: X, type: STRING}\n", args: str = "") -> str:
    return ("specificationVersion: jobtemplate-2023-09\nextensions: [FEATURE_BUNDLE_1, EXPR]\nname: J\n"
            "parameterDefinitions:\n" + parameters + f"steps:\n- name: S\n  {key}:\n"
            + (f"    args: {args}\n" if args else "")
            + "    script: |\n" + textwrap.indent(script, "      "))


def position(template: str, needle: str, occurrence: int = 0) -> tuple:
    """(line, column) of the `occurrence`-th `needle` in the template, 1-based."""
    offset = -1
    for _ in range(occurrence + 1):
        offset = template.index(needle, offset + 1)
    line = template.count("\n", 0, offset) + 1
    return line, offset - (template.rfind("\n", 0, offset) + 1) + 1


def found(template: str) -> list:
    return [(d.rule, d.line, d.column) for d in diagnostics(template, "I")]


# Where values are re-parsed ----------------------------------------------------------------------

@pytest.mark.parametrize("command, args, rule", [
    ("bash", '["-c", "echo {{Param.X}}"]', "I001"),
    ("sh", '["-ec", "echo \'{{Param.X}}\'"]', "I001"),
    ("ssh", '["render-host", "ls {{Param.X}}"]', "I001"),
    ("python3", '["-c", "print(\'{{Param.X}}\')"]', "I002"),
    ("pwsh", '["-Command", "Write-Output \'{{Param.X}}\'"]', "I003"),
    ("cmd", '["/c", "echo {{Param.X}}"]', "I004"),
    ("node", '["-e", "console.log(\'{{Param.X}}\')"]', "I005"),
])
@pytest.mark.parametrize("action", ["onRun", "onEnter"])
def test_code_arguments_are_reported_at_the_interpolation(command, args, rule, action):
    body = f"{action}:\n  command: {command}\n  args: {args}\n"
    template = job(body) if action == "onRun" else queue_environment(body)
    assert errors(template) == []
    assert found(template) == [(rule, *position(template, "{{Param.X}}"))]


def test_every_environment_action_is_a_site():
    template = queue_environment('onEnter:\n  command: bash\n  args: ["-c", "echo {{Param.X}}"]\n'
                                 'onExit:\n  command: bash\n  args: ["-c", "echo {{Param.X}} done"]\n')
    assert found(template) == [("I001", *position(template, "{{Param.X}}")),
                               ("I001", *position(template, "{{Param.X}}", 1))]


@pytest.mark.parametrize("key, line, rule", [
    ("bash", "echo '{{Param.X}}'\n", "I001"),
    ("python", "print('{{Param.X}}')\n", "I002"),
    ("powershell", "Write-Output \"{{Param.X}}\"\n", "I003"),
    ("cmd", "echo {{Param.X}}\n", "I004"),
    ("node", "console.log(`{{Param.X}}`)\n", "I005"),
])
def test_simple_action_scripts(key, line, rule):
    template = simple(key, line)
    assert errors(template) == []
    assert found(template) == [(rule, *position(template, "{{Param.X}}"))]
    # Arguments of a simple action reach the script as argv: nothing parses them.
    quiet = simple(key, {"bash": 'echo "$1"\n', "python": "import sys; print(sys.argv[1])\n",
                         "powershell": "Write-Output $args[0]\n", "cmd": "echo %~1\n",
                         "node": "console.log(process.argv[2])\n"}[key], args='["{{Param.X}}"]')
    assert errors(quiet) == [] and found(quiet) == []


_RUN_SCRIPT = "- name: Run\n  type: TEXT\n  filename: {filename}\n  data: |\n{data}"


@pytest.mark.parametrize("command, args, filename, data", [
    ("bash", '["{{Task.File.Run}}"]', "run", "    echo '{{Param.X}}'\n"),  # by the command
    ('"{{Task.File.Run}}"', "[]", "run", "    #!/usr/bin/env bash\n    echo '{{Param.X}}'\n"),  # by the shebang
    ('"{{Task.File.Run}}"', "[]", "run.sh", "    echo '{{Param.X}}'\n"),  # by the extension
])
def test_embedded_files_run_by_a_shell(command, args, filename, data):
    template = job(f"onRun:\n  command: {command}\n  args: {args}\n",
                   files=_RUN_SCRIPT.format(filename=filename, data=data))
    assert found(template) == [("I001", *position(template, "{{Param.X}}"))]


def test_the_action_decides_the_interpreter_of_an_embedded_file():
    # A `.py` file that bash runs is shell code; a `.py` file no action runs is Python source.
    run_by_bash = job('onRun:\n  command: bash\n  args: ["{{Task.File.Run}}"]\n',
                      files=_RUN_SCRIPT.format(filename="run.py", data="    echo {{Param.X}}\n"))
    assert [r for r, *_ in found(run_by_bash)] == ["I001"]
    helper = job('onRun:\n  command: bash\n  args: ["-c", "true"]\n',
                 files=_RUN_SCRIPT.format(filename="helper.py", data="    print('{{Param.X}}')\n"))
    assert [r for r, *_ in found(helper)] == ["I002"]


def test_a_file_several_actions_run_is_reported_once():
    template = queue_environment('onEnter:\n  command: bash\n  args: ["{{Env.File.Run}}", "enter"]\n'
                                 'onExit:\n  command: bash\n  args: ["{{Env.File.Run}}", "exit"]\n',
                                 files=_RUN_SCRIPT.format(filename="run.sh", data="    echo \"{{Param.X}}\" \"$1\"\n"))
    assert found(template) == [("I001", *position(template, "{{Param.X}}"))]


# Which values can inject -------------------------------------------------------------------------

_ALL_TYPES = """\
- {name: Count, type: INT, default: 1}
- {name: Scale, type: FLOAT, default: 1.5}
- {name: Frames, type: RANGE_EXPR, default: "1-10"}
- {name: Flag, type: BOOL, default: true}
- {name: Mode, type: STRING, default: fast, allowedValues: [fast, slow]}
- {name: Scene, type: PATH, default: /scenes/a.blend}
"""


def test_numbers_booleans_ranges_and_safe_allowed_values_are_silent():
    line = "echo {{Param.Count}} {{Param.Scale}} {{Param.Frames}} {{Param.Flag}} {{Param.Mode}} {{len(Param.Scene)}}"
    template = job(f'onRun:\n  command: bash\n  args: ["-c", "{line}"]\n', parameters=_ALL_TYPES,
                   extensions="EXPR")
    assert errors(template) == [] and found(template) == []
    without_expr = job('onRun:\n  command: bash\n  args: ["-c", "echo {{Param.Count}} {{Param.Mode}}"]\n',
                       parameters=_ALL_TYPES.replace("- {name: Frames, type: RANGE_EXPR, default: \"1-10\"}\n", "")
                       .replace("- {name: Flag, type: BOOL, default: true}\n", ""))
    assert errors(without_expr) == [] and found(without_expr) == []


def test_allowed_values_are_judged_by_the_quoting_they_land_in():
    parameters = "- {name: X, type: STRING, default: a b, allowedValues: [a b, c]}\n"
    quoted = job('onRun:\n  command: bash\n  args: ["-c", "echo \'{{Param.X}}\'"]\n', parameters=parameters)
    unquoted = job('onRun:\n  command: bash\n  args: ["-c", "echo {{Param.X}}"]\n', parameters=parameters)
    assert found(quoted) == []
    assert [r for r, *_ in found(unquoted)] == ["I001"]


def test_quoted_argv_and_runtime_values_are_silent():
    template = job('onRun:\n  command: bash\n'
                   '  args: ["-c", "echo {{repr_sh(Param.X)}} \\"$1\\"", "bash", "{{Param.X}}",'
                   ' "{{Task.File.Run}}"]\n', extensions="EXPR",
                   files=_RUN_SCRIPT.format(filename="run.sh",
                                            data="    cd '{{Session.WorkingDirectory}}'\n    # {{Param.X}}\n"))
    assert errors(template) == [] and found(template) == []


def test_a_value_that_is_the_whole_code_gets_no_quoting_fix():
    template = job('onRun:\n  command: bash\n  args: ["-c", "{{Param.X}}"]\n', extensions="EXPR")
    [finding] = diagnostics(template, "I")
    assert "is the whole of argument 2 of `bash`" in finding.message and finding.fix is None
    assert "pass the value" in finding.hint


def test_repr_result_inside_quotes_breaks_out():
    template = job('onRun:\n  command: bash\n  args: ["-c", "echo \'{{repr_sh(Param.X)}}\'"]\n', extensions="EXPR")
    [finding] = diagnostics(template, "I")
    assert finding.rule == "I001" and "`repr_sh` result" in finding.message


def test_wrong_quoting_function_is_reported():
    template = job('onRun:\n  command: bash\n  args: ["-c", "echo {{repr_cmd(Param.X)}}"]\n', extensions="EXPR")
    [finding] = diagnostics(template, "I")
    assert "quoted with `repr_cmd`" in finding.message and finding.fix is None


def test_let_bindings_task_parameters_and_the_job_name_carry_their_sources():
    template = job('onRun:\n  command: bash\n  args: ["-c", "echo {{message}} {{Task.Param.Shot}} {{Task.Param.Frame}}'
                   ' {{Job.Name}}"]\n',
                   extensions="EXPR",
                   step="  parameterSpace:\n    taskParameterDefinitions:\n"
                        "    - {name: Shot, type: STRING, range: ['{{Param.X}}', b]}\n"
                        "    - {name: Frame, type: INT, range: '1-3'}\n"
                        "  let: ['message = \"hi \" + Param.X.upper()']\n")
    template = template.replace("name: J\n", "name: 'J {{Param.X}}'\n")
    assert errors(template) == []
    messages = [d.message for d in diagnostics(template, "I")]
    assert len(messages) == 3
    assert "`message`, which holds `Param.X`" in messages[0]
    assert "`Task.Param.Shot` (task parameter `Shot`, whose range holds `Param.X`)" in messages[1]
    assert "`Job.Name` (the job's name, which holds `Param.X`)" in messages[2]


def test_task_parameters_with_literal_ranges():
    step = "  parameterSpace:\n    taskParameterDefinitions:\n    - {name: Shot, type: STRING, range: [%s]}\n"
    action = 'onRun:\n  command: bash\n  args: ["-c", "render {{Task.Param.Shot}}"]\n'
    assert found(job(action, step=step % "sh010, sh020")) == []
    [finding] = diagnostics(job(action, step=step % "'shot 010', sh020"), "I")
    assert finding.rule == "I001"


def test_a_value_the_template_supplies_that_ends_the_quotes_is_an_error():
    template = job('onRun:\n  command: bash\n  args: ["-c", "echo \'{{Param.X}}\'"]\n',
                   parameters="- {name: X, type: STRING, default: \"it's\"}\n")
    [finding] = diagnostics(template, "I")
    assert finding.severity.label == "error" and "the value `it's`" in finding.message
    plain = job('onRun:\n  command: bash\n  args: ["-c", "echo \'{{Param.X}}\'"]\n',
                parameters="- {name: X, type: STRING, default: fine}\n")
    assert [d.severity.label for d in diagnostics(plain, "I")] == ["warning"]


def test_in_wrap_hooks_parameters_are_reported_here_and_wrapped_values_by_the_q_rules():
    parameter = "parameterDefinitions:\n- {name: Image, type: STRING}\n"
    hook = ('command: bash\nargs: ["-c", "exec docker run {{Param.Image}} {{WrappedAction.Command}} '
            '{{ repr_sh(Param.Image) }}"]\ntimeout: "{{WrappedAction.Timeout}}"\n')
    template = environment("WRAP_ACTIONS", hook, extra=parameter)
    assert rule_ids(template, "Q") == ["Q001"] and rule_ids(template, "I") == ["I001"]
    aliased = template.replace("    actions:\n", "    let: [image = Param.Image]\n    actions:\n").replace(
        "{{Param.Image}}", "{{image}}")
    assert errors(aliased) == [] and rule_ids(aliased, "I") == ["I001"]
    # One interpolation holding both is the Q rules' finding only.
    both = template.replace("{{Param.Image}} {{WrappedAction.Command}}", "{{Param.Image + WrappedAction.Command}}")
    assert errors(both) == [] and rule_ids(both, "Q") == ["Q001"] and rule_ids(both, "I") == []


# Severity and words ------------------------------------------------------------------------------

def test_environment_template_messages_name_the_submitter():
    template = queue_environment('onEnter:\n  command: bash\n  args: ["-c", "echo {{Param.X}}"]\n')
    [finding] = diagnostics(template, "I")
    assert "parameter of this environment" in finding.message
    assert "the submitter of each job that runs in this environment" in finding.message
    assert finding.related and finding.related[0].message == "`Param.X` is defined here"
    [in_job] = diagnostics(job('onRun:\n  command: bash\n  args: ["-c", "echo {{Param.X}}"]\n'), "I")
    assert "whoever submits the job" in in_job.message


# Fixes -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("before, after", [
    ("echo {{Param.X}}", "echo {{ repr_sh(Param.X) }}"),
    ("echo '{{Param.X}}'", "echo {{ repr_sh(Param.X) }}"),
    ("echo 'name={{Param.X}}'", "echo 'name='{{ repr_sh(Param.X) }}"),
    ("echo \"{{Param.X}}/out\"", "echo {{ repr_sh(Param.X) }}\"/out\""),
    ("echo 'a {{Param.X}} b'", "echo 'a '{{ repr_sh(Param.X) }}' b'"),
])
def test_shell_fix_quotes_and_drops_the_surrounding_quotes(before, after):
    template = job("onRun:\n  command: bash\n  args:\n  - -c\n  - |\n    " + before + "\n", extensions="EXPR")
    fixes = [d.fix for d in diagnostics(template, "I")]
    assert len(fixes) == 1 and fixes[0] is not None and not fixes[0].safe
    fixed, applied = apply_fixes(template, fixes)
    assert applied == 1 and after in fixed
    assert errors(fixed) == [] and found(fixed) == []


@pytest.mark.parametrize("key, before, after", [
    ("python", "print('{{Param.X}}')", "print({{ repr_py(Param.X) }})"),
    ("python", "print('Hello {{Param.X}}!')", "print('Hello ' {{ repr_py(Param.X) }} '!')"),
    ("python", "print(f'{{Param.X}} {n}')", "print({{ repr_py(Param.X) }} f' {n}')"),
    ("powershell", "Write-Output '{{Param.X}}'", "Write-Output {{ repr_pwsh(Param.X) }}"),
    ("cmd", 'echo "{{Param.X}}"', "echo {{ repr_cmd(Param.X) }}"),
    ("node", 'console.log("{{Param.X}}")', "console.log({{ repr_json(Param.X) }})"),
])
def test_other_interpreters_fix_with_their_function(key, before, after):
    template = simple(key, before + "\n")
    fixes = [d.fix for d in diagnostics(template, "I")]
    fixed, applied = apply_fixes(template, fixes)
    assert applied == 1 and after in fixed
    assert errors(fixed) == [] and found(fixed) == []


@pytest.mark.parametrize("line", ["console.log('Hello {{Param.X}}')", "Write-Output \"Hello {{Param.X}}\""])
def test_no_fix_where_quoting_the_value_would_change_the_expression(line):
    key = "node" if line.startswith("console") else "powershell"
    [finding] = diagnostics(simple(key, line + "\n"), "I")
    assert finding.fix is None and "repr_" in finding.hint


def test_fix_in_a_yaml_double_quoted_scalar_is_escaped():
    template = job('onRun:\n  command: bash\n  args: ["-c", "echo \'a {{Param.X}} b\'"]\n', extensions="EXPR")
    fixed, applied = apply_fixes(template, [d.fix for d in diagnostics(template, "I")])
    assert applied == 1 and "\"echo 'a '{{ repr_sh(Param.X) }}' b'\"" in fixed and found(fixed) == []


def test_without_expr_the_hint_passes_the_value_as_an_argument():
    template = queue_environment('onEnter:\n  command: bash\n  args: ["{{Env.File.Run}}"]\n',
                                 files=_RUN_SCRIPT.format(filename="run.sh", data="    echo '{{Param.X}}'\n"))
    [finding] = diagnostics(template, "I")
    assert finding.fix is None
    assert finding.hint == ('pass it as its own argument (`args: ["{{Env.File.Run}}", "{{Param.X}}"]`) and read '
                            '`"$1"` in the file')


# The conda queue environment pattern (written for these tests after the Deadline Cloud sample) -----

CONDA_QUEUE_ENVIRONMENT = """\
specificationVersion: environment-2023-09
parameterDefinitions:
- name: CondaPackages
  type: STRING
  default: ""
- name: CondaChannels
  type: STRING
  default: deadline-cloud
- name: CondaEnvironmentTimeout
  type: INT
  default: 600
- name: CondaSolver
  type: STRING
  default: libmamba
  allowedValues: [libmamba, classic]
environment:
  name: Conda
  script:
    actions:
      onEnter:
        command: bash
        args: ["{{Env.File.Enter}}"]
        timeout: 1800
    embeddedFiles:
    - name: Enter
      filename: conda-queue-env-enter.sh
      type: TEXT
      data: |
        #!/usr/bin/env bash
        set -euo pipefail
        if [ -z '{{Param.CondaPackages}}' ]; then
          echo "No conda packages requested."
          exit 0
        fi
        CHANNEL_OPTS=""
        for CHANNEL in {{Param.CondaChannels}}; do
          CHANNEL_OPTS="$CHANNEL_OPTS --channel $CHANNEL"
        done
        ENV_DIR='{{Session.WorkingDirectory}}/.env'
        timeout {{Param.CondaEnvironmentTimeout}} conda create --yes --quiet --solver {{Param.CondaSolver}} \\
          -p "$ENV_DIR" $CHANNEL_OPTS '{{Param.CondaPackages}}'
        echo "openjd_env: CONDA_PREFIX=$ENV_DIR"
"""


def test_conda_queue_environment():
    template = CONDA_QUEUE_ENVIRONMENT
    assert errors(template) == []
    assert found(template) == [("I001", *position(template, "{{Param.CondaPackages}}")),
                               ("I001", *position(template, "{{Param.CondaChannels}}")),
                               ("I001", *position(template, "{{Param.CondaPackages}}", 1))]
    assert all("the submitter of each job" in d.message for d in diagnostics(template, "I"))


# Precision on real templates ---------------------------------------------------------------------

def _valid(base: Path) -> list:
    if not (base / "INDEX.tsv").exists():
        pytest.skip(f"{base} is not available")
    with open(base / "INDEX.tsv", encoding="utf-8") as index:
        return [base / row["path"] for row in csv.DictReader(index, delimiter="\t") if row["expected"] == "valid"]


def test_pip_queue_environment_sample():
    path = REALWORLD / "aws-deadline+deadline-cloud-samples/queue_environments/pip_queue_env.yaml"
    if not path.exists():
        pytest.skip("../shared/realworld is not available")
    text = path.read_text(encoding="utf-8")
    expected = [position(text, "{{Param.PipPackages}}"), position(text, "{{Param.PipPackages}}", 1),
                position(text, "{{Param.PipIndexUrl}}"), position(text, "{{Param.PipIndexUrl}}", 1),
                position(text, "{{Param.PipExtraIndexUrls}}")]
    assert found(text) == [("I001", *where) for where in expected]


@pytest.mark.parametrize("base", [REALWORLD, CONFORMANCE], ids=["realworld", "conformance"])
def test_valid_templates_get_warnings_only_and_only_for_text_values(base):
    for path in _valid(base):
        for finding in diagnostics(path.read_text(encoding="utf-8"), "I"):
            assert finding.severity.label == "warning", (path, finding)
            assert "STRING" in finding.message or "PATH" in finding.message, (path, finding)


# The context scanners ----------------------------------------------------------------------------

@pytest.mark.parametrize("interpreter, text, context", [
    (SH, "echo '{{X}}'", "inside single quotes"),
    (SH, "cat <<'EOF'\n{{X}}\nEOF\n", None),
    (SH, "cat <<EOF\n{{X}}\nEOF\n", "inside a here-document"),
    (PY, "x = {{X}}", "as Python code"),
    (PY, "x = '''a\n{{X}}'''", "inside a Python string literal"),
    (PY, "# {{X}}", None),
    (PY, "x = rf'{{X}}'", "inside a Python f-string"),
    (JS, "/* {{X}} */ f(`${a}{{X}}`)", "inside a JavaScript template literal"),
    (PWSH, "<# {{X}} #> Write-Output @'\n{{X}}\n'@", "inside a PowerShell here-string"),
    (PWSH, "Write-Output 'it''s {{X}}'", "inside a single-quoted PowerShell string"),
    (CMD, 'echo "a" {{X}}', "unquoted"),
])
def test_places(interpreter, text, context):
    holes = []
    start = text.find("{{X}}")
    while start != -1:
        holes.append((start, start + 5))
        start = text.find("{{X}}", start + 1)
    found_places = places(interpreter, text, holes)
    assert found_places.get(len(holes) - 1, None) is None if context is None else (
        found_places[len(holes) - 1].context == context)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([SH, PY, JS, PWSH, CMD]), st.text(alphabet="ab '\"`#\\\n$@<>{}/*^%rf", max_size=40),
       st.lists(st.integers(0, 40), max_size=6))
def test_places_never_raise(interpreter, text, cuts):
    cuts = sorted({c for c in cuts if c <= len(text)})
    holes = [(start, end) for start, end in zip(cuts[::2], cuts[1::2]) if start < end]
    found_places = places(interpreter, text, holes)
    assert set(found_places) <= set(range(len(holes)))


def test_a_long_let_chain_is_followed_to_its_parameter():
    chain = ", ".join(["a0 = Param.X"] + [f"a{i} = a{i - 1} + 'x'" for i in range(1, 50)])
    template = job('onRun:\n  command: bash\n  args: ["-c", "echo {{a49}} {{a49}}"]\n', extensions="EXPR",
                   step=f"  let: [{chain}]\n")
    assert errors(template) == []
    assert [d.message.split(",")[0] for d in diagnostics(template, "I")] == ["`a49`"] * 2
    assert all("which holds `Param.X`" in d.message for d in diagnostics(template, "I"))
