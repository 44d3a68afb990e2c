"""`expand` against the reference runtime (openjd-sessions 0.14.0, test-only): a wrapping environment
whose hooks print their own argv as JSON runs a job through a real Session, and `expand` must have
printed the same argv for every action. The arguments hold quotes, `$(...)`, globs, newlines, empty
strings and CJK text, through literal args, job parameters, task parameters and `repr_sh`."""

from __future__ import annotations

import json
import logging
import os
import shlex
import sys
import time

import pytest
import yaml

from openjd_lint.cli import main

PRINT_ARGV = "import sys, json; print('ARGV' + json.dumps(sys.argv[1:]))"
NASTY = ["it's \"quoted\"", "$(touch pwned) `id` $HOME", "*.txt ?[a]", "two\nlines", "", "日本語のテキスト", "a\\b"]

HOOK_ARGS = ["-c", PRINT_ARGV, "{{WrappedAction.Command}}", "{{WrappedAction.Args}}", "--",
             "{{repr_sh([WrappedAction.Command] + WrappedAction.Args)}}", "env={{WrappedAction.Environment}}",
             "timeout={{WrappedAction.Timeout}}", "mode={{WrappedAction.Cancelation.Mode}}"]

ENVIRONMENT = {
    "specificationVersion": "environment-2023-09",
    "extensions": ["WRAP_ACTIONS", "EXPR"],
    "environment": {
        "name": "Wrap",
        "script": {"actions": {
            "onWrapEnvEnter": {"command": "python", "args": HOOK_ARGS + ["{{WrappedEnv.Name}}"]},
            "onWrapTaskRun": {"command": "python", "args": HOOK_ARGS + ["{{WrappedStep.Name}}"]},
            "onWrapEnvExit": {"command": "python", "args": HOOK_ARGS + ["{{WrappedEnv.Name}}"]},
        }},
    },
}

JOB = {
    "specificationVersion": "jobtemplate-2023-09",
    "extensions": ["EXPR"],
    "name": "Differential",
    "parameterDefinitions": [{"name": "Text", "type": "STRING", "default": NASTY[0] + " " + NASTY[5]}],
    "jobEnvironments": [{
        "name": "Inner 環境",
        "variables": {"GREETING": "hello world", "ODD": "$(x) *"},
        "script": {"actions": {
            "onEnter": {"command": "enter-tool", "args": NASTY, "timeout": 30},
            "onExit": {"command": "exit-tool", "args": ["{{Param.Text}}", "{{Param.Text.upper()}}"],
                       "cancelation": {"mode": "NOTIFY_THEN_TERMINATE"}},
        }},
    }],
    "steps": [{
        "name": "Render",
        "parameterSpace": {"taskParameterDefinitions": [{"name": "Word", "type": "STRING", "range": NASTY[:4]}]},
        "script": {"actions": {"onRun": {
            "command": "render",
            "args": ["{{Task.Param.Word}}", "prefix {{Task.Param.Word}}", "{{Param.Text}}", "{{repr_sh(Task.Param.Word)}}"],
        }}},
    }],
}


def _reference_argv(tmp_path, monkeypatch) -> list:
    openjd_model = pytest.importorskip("openjd.model")
    sessions = pytest.importorskip("openjd.sessions")
    from openjd.model import RevisionExtensions, SpecificationRevision

    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    extensions = ["WRAP_ACTIONS", "EXPR"]
    job_template = openjd_model.decode_job_template(template=JOB, supported_extensions=extensions)
    environment_template = openjd_model.decode_environment_template(template=ENVIRONMENT,
                                                                    supported_extensions=extensions)
    job = openjd_model.create_job(job_template=job_template, job_parameter_values={},
                                  environment_templates=[environment_template])
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            message = record.getMessage()
            if message.startswith("ARGV"):
                lines.append(json.loads(message[4:]))

    handler = Collect()
    sessions.LOG.addHandler(handler)
    previous = sessions.LOG.level
    sessions.LOG.setLevel(logging.INFO)

    def wait(session):
        deadline = time.monotonic() + 30
        while session.state == sessions.SessionState.RUNNING and time.monotonic() < deadline:
            time.sleep(0.01)

    try:
        with sessions.Session(session_id="differential", job_parameter_values=job.parameters or {},
                              job_name=job.name, session_root_directory=tmp_path,
                              revision_extensions=RevisionExtensions(spec_rev=SpecificationRevision.v2023_09,
                                                                     supported_extensions=extensions)) as session:
            entered = []
            for environment in [environment_template.environment, *job.jobEnvironments]:
                entered.append(session.enter_environment(environment=environment))
                wait(session)
            step = job.steps[0]
            for task in _task_sets(step):
                session.run_task(step_script=step.script, task_parameter_values=task, step_name=step.name)
                wait(session)
            for identifier in reversed(entered):
                session.exit_environment(identifier=identifier)
                wait(session)
    finally:
        sessions.LOG.removeHandler(handler)
        sessions.LOG.setLevel(previous)
    return lines


def _task_sets(step) -> list:
    from openjd.model import StepParameterSpaceIterator

    return list(StepParameterSpaceIterator(space=step.parameterSpace))


def test_expand_prints_the_argv_the_reference_runtime_starts(tmp_path, monkeypatch, capsys):
    (tmp_path / "sessions").mkdir()
    reference = _reference_argv(tmp_path / "sessions", monkeypatch)
    job, environment = tmp_path / "job.yaml", tmp_path / "env.yaml"
    job.write_text(yaml.safe_dump(JOB, allow_unicode=True), encoding="utf-8")
    environment.write_text(yaml.safe_dump(ENVIRONMENT, allow_unicode=True), encoding="utf-8")
    assert main(["expand", str(job), "--env", str(environment), "--format", "json", "--platform", "posix"]) == 0
    actions = json.loads(capsys.readouterr().out)["actions"]
    assert [action["wrapped_by"] for action in actions] == (
        ["Wrap.onWrapEnvEnter"] + ["Wrap.onWrapTaskRun"] * 4 + ["Wrap.onWrapEnvExit"])
    expanded = [action["argv"][3:] for action in actions]
    assert len(reference) == len(expanded)
    for action, ours, theirs in zip(actions, expanded, reference):
        # In a task's argv, word 4 is itself a `repr_sh` result, so the hook's quoted line holds it twice quoted.
        inner = [4] if action["kind"] == "task_run" else []
        quoted = [ours.index("--") + 1] + inner
        assert _words(ours, quoted, inner) == _words(theirs, quoted, inner)


def _words(argv: list, quoted: list, inner: list) -> list:
    """`argv` with the `repr_sh` results replaced by the words a shell reads from them: the spec's
    `repr_sh` is `shlex.quote` while the reference quotes differently (functions.md §8.1), and both
    must give a shell the same words."""
    def split(word: str, nested: list) -> tuple:
        return tuple(tuple(shlex.split(w)) if i in nested else w for i, w in enumerate(shlex.split(word)))

    return [split(word, inner if index == quoted[0] else []) if index in quoted else word
            for index, word in enumerate(argv)]
