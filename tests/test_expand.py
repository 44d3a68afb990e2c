"""`openjd-lint expand`: parameters, parameter spaces, wrap composition, limits, files and output."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from openjd_lint.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

WRAP_ENV = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS, EXPR]
environment:
  name: {name}
  script:
    actions:
      onWrapEnvEnter:
        command: {name}-hook
        args: ["{{{{WrappedAction.Command}}}}", "{{{{WrappedAction.Args}}}}"]
      onWrapTaskRun:
        command: {name}-hook
        args: ["{{{{WrappedAction.Command}}}}", "{{{{WrappedAction.Args}}}}"]
      onWrapEnvExit:
        command: {name}-hook
        args: ["{{{{WrappedAction.Command}}}}", "{{{{WrappedAction.Args}}}}"]
"""


def run(tmp_path, capsys, job: str, *args, envs=()) -> tuple:
    path = tmp_path / "job.yaml"
    path.write_text(job, encoding="utf-8")
    argv = ["expand", str(path), "--format", "json"]
    for index, text in enumerate(envs):
        env = tmp_path / f"env{index}.yaml"
        env.write_text(text, encoding="utf-8")
        argv += ["--env", str(env)]
    code = main(argv + list(args))
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.startswith("{") else out.err)


def job_with(parameters: str = "", space: str = "", args: str = '["{{Task.Param.N}}"]', extensions="[EXPR]") -> str:
    return f"""\
specificationVersion: jobtemplate-2023-09
extensions: {extensions}
name: Job
{parameters}steps:
- name: S
{space}  script:
    actions:
      onRun:
        command: run
        args: {args}
"""


PARAMETERS = """\
parameterDefinitions:
- {name: Count, type: INT, default: 2, minValue: 1, maxValue: 5}
- {name: Name, type: STRING, allowedValues: [a, b], default: a}
- {name: Flag, type: BOOL, default: false}
- {name: Items, type: "LIST[INT]", default: [1, 2]}
"""


def test_defaults_and_given_values_with_coercion(tmp_path, capsys):
    job = job_with(PARAMETERS, args='["{{Param.Count + 1}}", "{{Param.Name}}", "{{Param.Flag}}", "{{Param.Items}}"]')
    code, out = run(tmp_path, capsys, job, "-p", "Count=4", "-p", "Flag=yes")
    assert code == 0
    assert out["parameters"] == {"Count": 4, "Name": "a", "Flag": True, "Items": [1, 2]}
    assert out["actions"][0]["argv"] == ["run", "5", "a", "true", "1", "2"]
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"Items": [3], "Name": "b"}))
    code, out = run(tmp_path, capsys, job, "-p", f"@{values}")
    assert out["actions"][0]["argv"] == ["run", "3", "b", "false", "3"]


@pytest.mark.parametrize("value, message", [
    ("Count=9", "greater than maxValue"), ("Count=two", "not an integer"), ("Name=c", "not one of the allowed"),
    ("Flag=maybe", "not a boolean"), ("Items=[1, \"x\"]", "item 1"),
])
def test_bad_values_are_findings(tmp_path, capsys, value, message):
    code, out = run(tmp_path, capsys, job_with(PARAMETERS, args='["x"]'), "-p", value)
    assert code == 1
    assert out["actions"] == []
    assert any(message in finding["message"] for finding in out["findings"]), out["findings"]


@pytest.mark.parametrize("args", [["-p", "Nope=1"], ["-p", "novalue"], ["-p", "@missing.json"], ["--task", "x"],
                                  ["--step", "Other"]])
def test_bad_requests_are_usage_errors(tmp_path, capsys, args):
    code, out = run(tmp_path, capsys, job_with(PARAMETERS, args='["x"]'), *args)
    assert code == 2 and "error:" in out


def test_missing_required_value(tmp_path, capsys):
    code, out = run(tmp_path, capsys, job_with("parameterDefinitions:\n- {name: Scene, type: PATH}\n", args='["x"]'))
    assert code == 1 and "-p Scene=VALUE" in out["findings"][0]["message"]


def test_path_values_are_joined_with_the_current_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    job = job_with("parameterDefinitions:\n- {name: Scene, type: PATH}\n", args='["{{Param.Scene}}", "{{RawParam.Scene}}"]')
    code, out = run(tmp_path, capsys, job, "-p", "Scene=shots/a.blend")
    assert out["actions"][0]["argv"] == ["run", str(tmp_path / "shots" / "a.blend"), "shots/a.blend"]


SPACE = """\
  parameterSpace:
    taskParameterDefinitions:
    - {name: N, type: INT, range: "1-3"}
    - {name: L, type: STRING, range: [x, y, z]}
    - {name: F, type: FLOAT, range: ["1.5", 2]}
    combination: "(N, L) * F"
"""


def test_combination_product_and_association(tmp_path, capsys):
    code, out = run(tmp_path, capsys, job_with(space=SPACE, args='["{{Task.Param.N}}{{Task.Param.L}}{{Task.Param.F}}"]'))
    assert [a["argv"][1] for a in out["actions"]] == ["1x1.5", "1x2.0", "2y1.5", "2y2.0", "3z1.5", "3z2.0"]
    assert out["actions"][1]["task"] == {"N": 1, "L": "x", "F": 2.0}
    code, out = run(tmp_path, capsys, job_with(space=SPACE, args='["{{Task.Param.N}}"]'), "--task", "5")
    assert [a["task"] for a in out["actions"]] == [{"N": 3, "L": "z", "F": 2.0}]


# A CONTIGUOUS chunk is always `a-b`, even with one frame (`1-1`); a NONCONTIGUOUS one is a range expression.
@pytest.mark.parametrize("constraint, count, chunks", [
    ("CONTIGUOUS", 3, ["1-3", "4-5", "7-9", "10-10"]),
    ("CONTIGUOUS", 4, ["1-4", "5-5", "7-10"]),
    ("NONCONTIGUOUS", 3, ["1-3", "4,5,7", "8-10"]),
    ("NONCONTIGUOUS", 4, ["1-4", "5,7-9", "10"]),
])
@pytest.mark.parametrize("extensions", ["[EXPR, TASK_CHUNKING]", "[TASK_CHUNKING]"])
def test_chunking(tmp_path, capsys, constraint, count, chunks, extensions):
    space = f"""\
  parameterSpace:
    taskParameterDefinitions:
    - name: Frames
      type: CHUNK[INT]
      range: "1-5,7-10"
      chunks: {{defaultTaskCount: {count}, rangeConstraint: {constraint}}}
"""
    job = job_with(space=space, args='["{{Task.Param.Frames}}"]', extensions=extensions)
    code, out = run(tmp_path, capsys, job)
    assert code == 0, out
    assert [a["argv"][1] for a in out["actions"]] == chunks
    assert [a["task"]["Frames"] for a in out["actions"]] == chunks


def test_a_one_frame_contiguous_chunk_is_a_range_of_one_value(tmp_path, capsys):
    space = """\
  parameterSpace:
    taskParameterDefinitions:
    - {name: Frames, type: "CHUNK[INT]", range: "1-2", chunks: {defaultTaskCount: 1, rangeConstraint: CONTIGUOUS}}
"""
    args = '["{{Task.Param.Frames}}", "{{len(Task.Param.Frames)}}", "{{Task.Param.Frames[0]}}"]'
    code, out = run(tmp_path, capsys, job_with(space=space, args=args, extensions="[EXPR, TASK_CHUNKING]"))
    assert code == 0, out
    assert [a["argv"][1:] for a in out["actions"]] == [["1-1", "1", "1"], ["2-2", "1", "2"]]


def test_huge_ranges_are_errors_not_out_of_memory(tmp_path, capsys):
    space = "  parameterSpace:\n    taskParameterDefinitions:\n    - {name: N, type: INT, range: \"1-1000000000000000000\"}\n"
    code, out = run(tmp_path, capsys, job_with(space=space))
    assert code == 1 and "1000000000000000000 values" in out["findings"][0]["message"]
    comprehension = '["{{[x * 2 for x in range(1000000000)]}}"]'
    code, out = run(tmp_path, capsys, job_with(args=comprehension))
    assert code == 1 and "exceeded limit" in out["findings"][0]["message"]


def test_non_expr_templates_substitute_text(tmp_path, capsys):
    job = job_with("parameterDefinitions:\n- {name: Q, type: FLOAT, default: 0.50}\n",
                   "  parameterSpace:\n    taskParameterDefinitions:\n    - {name: N, type: INT, range: [7]}\n",
                   args='["q={{ Param.Q }}", "{{Task.Param.N}}"]', extensions="[FEATURE_BUNDLE_1]")
    code, out = run(tmp_path, capsys, job)
    assert out["actions"][0]["argv"] == ["run", "q=0.5", "7"]


def test_whole_field_null_drops_and_lists_splice(tmp_path, capsys):
    code, out = run(tmp_path, capsys, job_with(args='["{{null}}", "{{[\'a\', \'b c\']}}", "x {{[1]}}"]'))
    assert out["actions"][0]["argv"] == ["run", "a", "b c", "x [1]"]


def test_session_order_wrapping_and_variables(tmp_path, capsys):
    job = """\
specificationVersion: jobtemplate-2023-09
name: Job
jobEnvironments:
- name: Outer
  variables: {A: "1"}
  script:
    actions:
      onEnter: {command: outer-enter}
      onExit: {command: outer-exit, timeout: 9}
steps:
- name: First
  dependencies: [{dependsOn: Second}]
  stepEnvironments:
  - name: Inner
    script:
      actions:
        onExit: {command: inner-exit}
  script:
    actions:
      onRun: {command: first}
- name: Second
  script:
    actions:
      onRun: {command: second}
"""
    code, out = run(tmp_path, capsys, job, envs=[WRAP_ENV.format(name="W")])
    assert code == 0, out
    summary = [(a["kind"], a["environment"] or a["step"], a["argv"], a["wrapped_by"]) for a in out["actions"]]
    assert summary == [
        ("env_enter", "Outer", ["W-hook", "outer-enter"], "W.onWrapEnvEnter"),
        ("task_run", "Second", ["W-hook", "second"], "W.onWrapTaskRun"),
        ("task_run", "First", ["W-hook", "first"], "W.onWrapTaskRun"),
        ("env_exit", "Inner", ["W-hook", "inner-exit"], "W.onWrapEnvExit"),
        ("env_exit", "Outer", ["W-hook", "outer-exit"], "W.onWrapEnvExit"),
    ]
    assert out["actions"][0]["wrapped"]["values"]["WrappedAction.Environment"] == ["A=1"]
    assert out["actions"][4]["wrapped"]["values"]["WrappedAction.Timeout"] == 9
    assert out["actions"][3]["wrapped"]["values"]["WrappedAction.Timeout"] is None
    assert out["actions"][3]["timeout"] == 300


def test_two_wrapping_layers_are_rejected_unless_nested_is_allowed(tmp_path, capsys):
    envs = [WRAP_ENV.format(name="Outer"), WRAP_ENV.format(name="Inner")]
    code, out = run(tmp_path, capsys, job_with(args='["x"]'), envs=envs)
    assert code == 1 and out["actions"] == [] and "N001" in {f["rule"] for f in out["findings"]}
    code, out = run(tmp_path, capsys, job_with(args='["x"]'), "--allow-nested", envs=envs)
    assert code == 0, out
    action = out["actions"][0]
    assert action["argv"] == ["Outer-hook", "Inner-hook", "run", "x"]
    assert action["nested"] and action["wrapped_by"] == "Outer.onWrapTaskRun"
    assert [layer["hook"] for layer in action["layers"]] == ["Inner.onWrapTaskRun", "Outer.onWrapTaskRun"]
    path = tmp_path / "job.yaml"
    main(["expand", str(path), "--env", str(tmp_path / "env0.yaml"), "--env", str(tmp_path / "env1.yaml"),
          "--allow-nested"])
    assert "not allowed by either revision" in capsys.readouterr().out


def test_draft_revision_hooks(tmp_path, capsys):
    draft = """\
specificationVersion: environment-2023-09
extensions: [WRAP_TASK_RUN, EXPR]
environment:
  name: Draft
  script:
    actions:
      onWrapTaskRun:
        command: wrap
        args: ["{{Task.Command}}", "{{Task.Args}}", "t={{Env.Action.Timeout or 0}}"]
"""
    code, out = run(tmp_path, capsys, job_with(args='["x"]'), envs=[draft])
    assert [a["argv"] for a in out["actions"]] == [["wrap", "run", "x", "t=0"]]


@pytest.mark.parametrize("platform, size, limit", [("posix", 200_000, "MAX_ARG_STRLEN"),
                                                   ("windows", 40_000, "CreateProcess")])
def test_command_lines_over_the_limit(tmp_path, capsys, platform, size, limit):
    job = job_with(f"parameterDefinitions:\n- {{name: Big, type: STRING, default: \"{'x' * 1000}\"}}\n",
                   args=f'["{{{{Param.Big * {size // 1000}}}}}"]')
    code, out = run(tmp_path, capsys, job, "--platform", platform, envs=[WRAP_ENV.format(name="W")])
    assert code == 1
    messages = [f["message"] for f in out["findings"] if f["rule"] == "argument-list-too-long"]
    assert messages and limit in messages[0] and "W.onWrapTaskRun" in messages[0]


def test_workdir_files_and_runnable_scripts(tmp_path, capsys):
    job = """\
specificationVersion: jobtemplate-2023-09
name: Job
steps:
- name: S
  script:
    embeddedFiles:
    - {name: Run, type: TEXT, runnable: true, filename: run.sh, data: "#!/bin/sh\\necho in {{Session.WorkingDirectory}}\\n"}
    actions:
      onRun: {command: "{{Task.File.Run}}"}
"""
    workdir = tmp_path / "work"
    code, out = run(tmp_path, capsys, job, "--workdir", str(workdir))
    assert code == 0, out
    argv = out["actions"][0]["argv"]
    assert Path(argv[0]).parent.parent.parent == workdir and os.access(argv[0], os.X_OK)
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert done.stdout == f"in {workdir}\n"
    code, out = run(tmp_path, capsys, job)
    assert out["actions"][0]["argv"][0].startswith("{SESSION_WORKING_DIRECTORY}/")


def test_simple_actions_desugar(tmp_path, capsys):
    job = """\
specificationVersion: jobtemplate-2023-09
extensions: [FEATURE_BUNDLE_1]
name: Job
steps:
- name: S
  bash:
    script: echo hi
    args: [one]
"""
    code, out = run(tmp_path, capsys, job)
    argv = out["actions"][0]["argv"]
    assert argv[0] == "bash" and argv[1].endswith("script.sh") and argv[2:] == ["one"]
    assert out["files"][argv[1]] == "echo hi"


def test_examples_text_output_is_readable(capsys):
    code = main(["expand", str(EXAMPLES / "render-job.yaml"), "--env", str(EXAMPLES / "docker-env-wrap-actions.yaml"),
                 "-p", "SceneFile=/projects/scene.blend", "--task", "0", "--color", "never"])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "[2] run a task of step 'RenderFrames' task Frame=1" in text
    assert "wrapped by DockerContainer.onWrapTaskRun" in text
    assert "\x1b[" not in text
    main(["expand", str(EXAMPLES / "render-job.yaml"), "-p", "SceneFile=/s.blend", "--task", "0", "--color", "always"])
    assert "\x1b[" in capsys.readouterr().out
