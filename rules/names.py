"""Names that must be unique: parameters, steps, environments, task parameters, embedded files,
capabilities and dependencies (spec §1.1, §3, §3.3, §3.4, §4.2, §6).

Each duplicate is reported at its second (and any later) occurrence and names the first.
"""

from __future__ import annotations

from typing import Iterator

from openjd_lint.context import Context
from openjd_lint.findings import Related, Severity
from openjd_lint.rule_api import Rule
from openjd_lint.model.parts import (
    describe, first_seen, host_requirements, mappings, parameter_definitions, scalar, scripts, steps,
    task_parameter_definitions)

_STEP = """\
- name: Render
  script:
    actions:
      onRun:
        command: render
"""


def _job(body: str, steps_text: str = _STEP) -> str:
    return f"specificationVersion: jobtemplate-2023-09\nname: Job\n{body}steps:\n{steps_text}"


def _named(entries: Iterator[tuple], key: str = "name") -> Iterator[tuple]:
    for path, mapping in entries:
        yield path + (key,), scalar(mapping, key)


def _duplicates(rule: Rule, what: str, entries: Iterator[tuple], advice: str, normalise=lambda name: name):
    for path, name, first in first_seen(entries, normalise):
        yield rule.finding(
            f"{what} {name!r} is already defined at {describe(first)}; {advice}", path,
            hint=f"rename this {what} or remove it",
            related=(Related(f"first {what} {name!r}", path=first),))


def _check_parameter_names(ctx: Context):
    yield from _duplicates(DUPLICATE_PARAMETER, "parameter", _named(parameter_definitions(ctx)),
                           "`Param.<name>` must name exactly one parameter")


def _check_step_names(ctx: Context):
    yield from _duplicates(DUPLICATE_STEP, "step", _named(steps(ctx)),
                           "dependencies and schedulers identify steps by name")


def _check_environment_names(ctx: Context):
    job_environments = ctx.root.get("jobEnvironments")
    yield from _duplicates(DUPLICATE_ENVIRONMENT, "environment",
                           _named(mappings(job_environments, ("jobEnvironments",))),
                           "environment names must be unique within the list")
    for path, step in steps(ctx):
        yield from _duplicates(DUPLICATE_ENVIRONMENT, "environment",
                               _named(mappings(step.get("stepEnvironments"), path + ("stepEnvironments",))),
                               "environment names must be unique within the list")


def _check_step_environment_clash(ctx: Context):
    job_names = {}
    for path, name in _named(mappings(ctx.root.get("jobEnvironments"), ("jobEnvironments",))):
        if isinstance(name, str):
            job_names.setdefault(name, path)
    for path, step in steps(ctx):
        for name_path, name in _named(mappings(step.get("stepEnvironments"), path + ("stepEnvironments",))):
            if isinstance(name, str) and name in job_names:
                first = job_names[name]
                yield STEP_ENVIRONMENT_CLASH.finding(
                    f"step environment {name!r} has the name of job environment {describe(first)}; "
                    "a session runs both, so the names must differ", name_path,
                    hint="rename the step environment",
                    related=(Related(f"job environment {name!r}", path=first),))


def _check_task_parameter_names(ctx: Context):
    for path, step in steps(ctx):
        yield from _duplicates(DUPLICATE_TASK_PARAMETER, "task parameter",
                               _named(task_parameter_definitions(step, path)),
                               "`Task.Param.<name>` must name exactly one parameter of the step")


def _check_embedded_file_names(ctx: Context):
    for path, script in scripts(ctx):
        yield from _duplicates(DUPLICATE_EMBEDDED_FILE, "embedded file",
                               _named(mappings(script.get("embeddedFiles"), path + ("embeddedFiles",))),
                               "`Task.File.<name>` / `Env.File.<name>` must name exactly one file of the script")


def _check_capability_names(ctx: Context):
    for path, requirements in host_requirements(ctx):
        for kind in ("amounts", "attributes"):
            yield from _duplicates(DUPLICATE_CAPABILITY, "capability",
                                   _named(mappings(requirements.get(kind), path + (kind,))),
                                   "capability names are compared case-insensitively; merge the two requirements",
                                   normalise=str.lower)


def _check_dependencies(ctx: Context):
    for path, step in steps(ctx):
        entries = _named(mappings(step.get("dependencies"), path + ("dependencies",)), key="dependsOn")
        yield from _duplicates(DUPLICATE_DEPENDENCY, "dependency", entries, "list each step once")


DUPLICATE_PARAMETER = Rule(
    "T001", "duplicate-parameter-name", Severity.ERROR,
    "Two job parameters have the same name.",
    "Parameter names are case-sensitive and must be unique within a template's `parameterDefinitions`.",
    bad=_job("parameterDefinitions:\n- name: Frames\n  type: STRING\n- name: Frames\n  type: INT\n"),
    good=_job("parameterDefinitions:\n- name: Frames\n  type: STRING\n- name: FrameCount\n  type: INT\n"),
    check=_check_parameter_names,
)

DUPLICATE_STEP = Rule(
    "T002", "duplicate-step-name", Severity.ERROR,
    "Two steps have the same name.",
    "Steps are identified by name (in `dependsOn`, in `Step.Name`, by schedulers), so names must be unique.",
    bad=_job("", _STEP + _STEP),
    good=_job("", _STEP + _STEP.replace("Render", "Composite")),
    check=_check_step_names,
)

_ENV = "- name: {}\n  variables:\n    MODE: fast\n"
_STEP_ENV = "  stepEnvironments:\n  - name: {}\n    variables:\n      MODE: fast\n"

DUPLICATE_ENVIRONMENT = Rule(
    "T003", "duplicate-environment-name", Severity.ERROR,
    "Two environments in the same list have the same name.",
    "Names must be unique within `jobEnvironments` and within each step's `stepEnvironments`.",
    bad=_job("jobEnvironments:\n" + _ENV.format("Setup") + _ENV.format("Setup")),
    good=_job("jobEnvironments:\n" + _ENV.format("Setup") + _ENV.format("Licenses")),
    check=_check_environment_names,
)

STEP_ENVIRONMENT_CLASH = Rule(
    "T004", "step-environment-name-clash", Severity.ERROR,
    "A step environment has the same name as a job environment.",
    "A step's session enters the job environments and then the step environments; their names must "
    "differ. Two different steps may reuse a step-environment name.",
    bad=_job("jobEnvironments:\n" + _ENV.format("Setup"), _STEP + _STEP_ENV.format("Setup")),
    good=_job("jobEnvironments:\n" + _ENV.format("Setup"), _STEP + _STEP_ENV.format("Cache")),
    check=_check_step_environment_clash,
)

_SPACE = "  parameterSpace:\n    taskParameterDefinitions:\n    - name: Frame\n      type: INT\n      range: '1-10'\n"

DUPLICATE_TASK_PARAMETER = Rule(
    "T005", "duplicate-task-parameter-name", Severity.ERROR,
    "Two task parameters of one step have the same name.",
    "Task parameter names must be unique within a step's `taskParameterDefinitions`.",
    bad=_job("", _STEP + _SPACE + _SPACE.split("taskParameterDefinitions:\n")[1]),
    good=_job("", _STEP + _SPACE + _SPACE.split("taskParameterDefinitions:\n")[1].replace("Frame", "Tile")),
    check=_check_task_parameter_names,
)

_FILE = "    - name: {}\n      type: TEXT\n      data: echo hello\n"

DUPLICATE_EMBEDDED_FILE = Rule(
    "T006", "duplicate-embedded-file-name", Severity.ERROR,
    "Two embedded files of one script have the same name.",
    "Embedded file names must be unique within a script's `embeddedFiles`.",
    bad=_job("", _STEP + "    embeddedFiles:\n" + _FILE.format("Run") + _FILE.format("Run")),
    good=_job("", _STEP + "    embeddedFiles:\n" + _FILE.format("Run") + _FILE.format("Setup")),
    check=_check_embedded_file_names,
)

_AMOUNT = "    - name: {}\n      min: 2\n"

DUPLICATE_CAPABILITY = Rule(
    "T007", "duplicate-capability-name", Severity.ERROR,
    "A host requirement names the same capability twice.",
    "Amount names and attribute names must be unique within their list; the comparison ignores case, "
    "so `amount.worker.vcpu` and `amount.worker.VCPU` are the same capability.",
    bad=_job("", _STEP + "  hostRequirements:\n    amounts:\n" + _AMOUNT.format("amount.worker.vcpu")
             + _AMOUNT.format("amount.worker.VCPU")),
    good=_job("", _STEP + "  hostRequirements:\n    amounts:\n" + _AMOUNT.format("amount.worker.vcpu")
              + _AMOUNT.format("amount.worker.gpu")),
    check=_check_capability_names,
)

DUPLICATE_DEPENDENCY = Rule(
    "T008", "duplicate-dependency", Severity.ERROR,
    "A step lists the same dependency twice.",
    "Each step named in `dependencies` must appear once.",
    bad=_job("", _STEP + _STEP.replace("Render", "Composite")
             + "  dependencies:\n  - dependsOn: Render\n  - dependsOn: Render\n"),
    good=_job("", _STEP + _STEP.replace("Render", "Composite") + "  dependencies:\n  - dependsOn: Render\n"),
    check=_check_dependencies,
)

RULES = [DUPLICATE_PARAMETER, DUPLICATE_STEP, DUPLICATE_ENVIRONMENT, STEP_ENVIRONMENT_CLASH,
         DUPLICATE_TASK_PARAMETER, DUPLICATE_EMBEDDED_FILE, DUPLICATE_CAPABILITY, DUPLICATE_DEPENDENCY]
