"""Templates for the wrap rule tests, in either revision of the extension.

A hook is written with WRAP_ACTIONS names; `environment(revision, task_hook)` turns it into an
environment template of that revision (`job(...)` into a job template with it as its job environment) (the draft wraps only task runs and calls the values
`Task.Command`, `Task.Args`, `Task.Environment`, `Env.Action.Timeout`).
"""

import textwrap

import openjd_lint.rules
from openjd_lint.pipeline import lint_bytes

REVISIONS = ["WRAP_ACTIONS", "WRAP_TASK_RUN"]

_DRAFT_NAMES = {"WrappedAction.Command": "Task.Command", "WrappedAction.Args": "Task.Args",
                "WrappedAction.Environment": "Task.Environment", "WrappedAction.Timeout": "Env.Action.Timeout"}
_FORWARD = """\
{name}:
  command: "{{{{WrappedAction.Command}}}}"
  args: ["{{{{WrappedAction.Args}}}}"]
  timeout: "{{{{WrappedAction.Timeout}}}}"
"""


def environment(revision: str, task_hook: str, extra: str = "", files: str = "") -> str:
    """An environment template whose onWrapTaskRun is `task_hook` (YAML mapping body, unindented)."""
    hooks = "onWrapTaskRun:\n" + textwrap.indent(textwrap.dedent(task_hook), "  ")
    if revision == "WRAP_ACTIONS":
        hooks = _FORWARD.format(name="onWrapEnvEnter") + hooks + _FORWARD.format(name="onWrapEnvExit")
    else:
        for final, draft in _DRAFT_NAMES.items():
            hooks = hooks.replace(final, draft)
    embedded = ("    embeddedFiles:\n" + textwrap.indent(textwrap.dedent(files), "    ")) if files else ""
    return (f"specificationVersion: environment-2023-09\n"
            f"extensions: [{revision}, EXPR, FEATURE_BUNDLE_1]\n"
            f"{extra}"
            f"environment:\n  name: Wrapper\n  script:\n{embedded}    actions:\n"
            + textwrap.indent(hooks, "      "))


def job(revision: str, task_hook: str, on_run: str, files: str = "") -> str:
    """A job template whose one job environment is `environment(revision, task_hook)` and whose one step
    runs `on_run` (YAML mapping body of its onRun, unindented)."""
    head, body = environment(revision, task_hook, files=files).split("environment:\n", 1)
    head = head.replace("environment-2023-09", "jobtemplate-2023-09") + "name: Job\njobEnvironments:\n"
    return (head + "- " + body[2:] + "steps:\n- name: Render\n  script:\n    actions:\n      onRun:\n"
            + textwrap.indent(textwrap.dedent(on_run), "        "))


def lint(template: str):
    return lint_bytes(template.encode(), "template.yaml", openjd_lint.rules.REGISTRY)


def diagnostics(template: str, family: str = "") -> list:
    return [d for d in lint(template).diagnostics if d.rule.startswith(family)]


def rule_ids(template: str, family: str = "") -> list:
    return sorted(d.rule for d in diagnostics(template, family))


def errors(template: str) -> list:
    return [d for d in lint(template).diagnostics if d.severity.label == "error"]
