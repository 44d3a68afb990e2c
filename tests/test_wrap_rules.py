"""W rules (validity and migration of the wrap extension), the hint helpers, and the whole W/Q/H
families against the conformance fixtures and the examples (no false positives)."""

import json
from pathlib import Path

import pytest

import openjd_lint.rules
from openjd_lint.pipeline import lint_bytes
from openjd_lint.findings import Severity
from openjd_lint.fixes import apply_fixes
from openjd_lint.load.tree import to_plain
from openjd_lint.load.yaml_loader import load_bytes
from openjd_lint.model.wrap_names import final_name, key_hint as wrap_key_hint, name_hint as wrap_name_hint
from wrap_templates import diagnostics, errors, lint, rule_ids

REPO = Path(__file__).resolve().parents[1]
CONFORMANCE = REPO.parent / "shared" / "conformance"
MISSING = f"conformance fixtures not found at {CONFORMANCE} (expected ../shared/conformance next to the repo)"
WRAP_FAMILIES = ("W", "Q", "H")

# Warnings of the wrap families on valid fixtures, each one right: the fixture demonstrates the hazard.
EXPECTED_WARNINGS = {
    # The negative control runs the wrapped command with stdout=subprocess.DEVNULL on purpose, to show that
    # an `openjd_env` line printed by the wrapped action is then lost.
    ("wrap-discarded-grand-child-stdout-loses-macro.test.yaml", "environments[0]", "H005"),
}


def _environment(name: str, hooks: bool, revision: str) -> str:
    text = f"- name: {name}\n  script:\n    actions:\n      onEnter: {{command: echo}}\n"
    if hooks:
        names = ["onWrapTaskRun"] if revision == "WRAP_TASK_RUN" else ["onWrapEnvEnter", "onWrapTaskRun",
                                                                       "onWrapEnvExit"]
        command = "Task.Command" if revision == "WRAP_TASK_RUN" else "WrappedAction.Command"
        text += "".join(f'      {n}: {{command: "{{{{{command}}}}}"}}\n' for n in names)
    return text


def _build_job(first_hooks, second_hooks, second_in_step, revision):
    first = _environment("Outer", first_hooks, revision)
    second = _environment("Inner", second_hooks, revision)
    job_environments = first + ("" if second_in_step else second)
    step_environments = second if second_in_step else ""
    step = "- name: Render\n"
    if step_environments:
        step += "  stepEnvironments:\n" + "".join("  " + line + "\n" for line in step_environments.splitlines())
    step += "  script:\n    actions:\n      onRun: {command: render}\n"
    return (f"specificationVersion: jobtemplate-2023-09\nextensions: [{revision}, EXPR]\nname: J\n"
            f"jobEnvironments:\n{job_environments}steps:\n{step}")


@pytest.mark.parametrize("revision", ["WRAP_ACTIONS", "WRAP_TASK_RUN"])
@pytest.mark.parametrize("second_in_step", [True, False], ids=["step", "job"])
def test_two_wrapping_environments_in_one_session_stack(revision, second_in_step):
    template = _build_job(True, True, second_in_step, revision)
    found = diagnostics(template, "W001")
    assert len(found) == 1
    assert "'Inner'" in found[0].message and "'Outer'" in found[0].message
    inner_line = next(i for i, line in enumerate(template.splitlines(), 1) if "name: Inner" in line)
    outer_line = next(i for i, line in enumerate(template.splitlines(), 1) if "name: Outer" in line)
    assert found[0].line == inner_line and found[0].related[0].line == outer_line
    assert diagnostics(_build_job(True, False, second_in_step, revision), "W001") == []


def test_two_steps_may_each_have_a_wrapping_environment():
    template = _build_job(False, True, True, "WRAP_ACTIONS")
    template += template[template.index("- name: Render"):].replace("Render", "Other")
    assert diagnostics(template, "W001") == [] and errors(template) == []


def test_both_revisions_declared_gets_one_error():
    template = _build_job(True, False, True, "WRAP_ACTIONS").replace("[WRAP_ACTIONS, EXPR]",
                                                                     "[WRAP_ACTIONS, WRAP_TASK_RUN, EXPR]")
    assert [d.rule for d in errors(template)] == ["S011"]


DRAFT = """\
specificationVersion: environment-2023-09
extensions: [WRAP_TASK_RUN, EXPR, FEATURE_BUNDLE_1]
environment:
  name: Container
  script:
    actions:
      onEnter:
        command: echo
      onWrapTaskRun:
        command: bash
        args: ["-c", "exec timeout {{ Env.Action.Timeout or 0 }} {{ repr_sh(Task.Command) }} {{ repr_sh(Task.Args) }}"]
        timeout: "{{Env.Action.Timeout}}"
"""


@pytest.mark.parametrize("template", [
    DRAFT,
    DRAFT.replace("      onWrapTaskRun:\n        command: bash\n        args",
                  "      onWrapTaskRun:\n        command: 'bash'\n        args"),
    "specificationVersion: environment-2023-09\nextensions: ['WRAP_TASK_RUN', EXPR]\nenvironment:\n  name: E\n"
    "  script:\n    actions: {onEnter: {command: echo}, onWrapTaskRun: {command: \"{{Task.Command}}\", "
    "args: [\"{{Task.Args}}\"]}}\n",
], ids=["block", "quoted", "flow"])
def test_draft_revision_gets_info_and_a_safe_migration(template):
    found = diagnostics(template, "W002")
    assert len(found) == 1 and found[0].severity == Severity.INFO and found[0].fix.safe
    migrated, applied = apply_fixes(template, [found[0].fix])
    assert applied == 1
    assert "WRAP_TASK_RUN" not in migrated and "Task." not in migrated and "Env.Action" not in migrated
    assert "onWrapEnvEnter" in migrated and "onWrapEnvExit" in migrated
    result = [d for d in lint(migrated).diagnostics if d.severity != Severity.INFO]
    assert result == [], [(d.rule, d.message) for d in result]


def test_migration_of_a_json_template():
    document = to_plain(load_bytes(DRAFT.encode(), "draft.yaml").root)
    text = json.dumps(document, indent=2)
    found = [d for d in lint_bytes(text.encode(), "draft.json", openjd_lint.rules.REGISTRY).diagnostics
             if d.rule == "W002"]
    migrated, _ = apply_fixes(text, [found[0].fix])
    assert json.loads(migrated)["extensions"][0] == "WRAP_ACTIONS"
    result = lint_bytes(migrated.encode(), "draft.json", openjd_lint.rules.REGISTRY).diagnostics
    assert [d for d in result if d.severity != Severity.INFO] == []


def test_wrap_actions_template_gets_no_migration_info():
    template = DRAFT.replace("WRAP_TASK_RUN", "WRAP_ACTIONS")
    assert diagnostics(template, "W002") == []


def test_draft_names_under_wrap_actions_are_errors_with_the_final_spelling():
    template = DRAFT.replace("WRAP_TASK_RUN", "WRAP_ACTIONS").replace(
        "      onWrapTaskRun:", '      onWrapEnvEnter: {command: "{{WrappedAction.Command}}"}\n'
                                '      onWrapEnvExit: {command: "{{WrappedAction.Command}}"}\n      onWrapTaskRun:')
    found = errors(template)
    assert {d.message.split("`")[1] for d in found} == {"Env.Action.Timeout", "Task.Command", "Task.Args"}
    assert len(found) == 4  # one per reference, never two at the same place
    assert len({(d.line, d.column) for d in found}) == len(found)


@pytest.mark.parametrize("name, final", [
    ("Task.Command", "WrappedAction.Command"), ("Env.Action.Timeout", "WrappedAction.Timeout"),
    ("Env.Wrapped.Action.Args", "WrappedAction.Args"), ("Task.Action.Timeout", "WrappedAction.Timeout"),
    ("Env.Wrapped.Name", "WrappedEnv.Name"), ("Env.Wrapped.Command", "WrappedAction.Command"),
    ("Param.X", None),
])
def test_final_spelling_of_draft_and_intermediate_names(name, final):
    assert final_name(name) == final
    hint = wrap_name_hint({"WRAP_ACTIONS", "EXPR"}, name)
    assert (final in hint) if final else hint is None


def test_hints_for_names_no_revision_defines_and_for_the_draft():
    assert "#133" in wrap_name_hint({"WRAP_ACTIONS"}, "Task.Monitor")
    draft = {"WRAP_TASK_RUN", "EXPR"}
    assert "WrappedAction.Cancelation.Mode" in wrap_name_hint(draft, "Env.Action.Cancelation")
    assert "Task.Command" in wrap_name_hint(draft, "WrappedAction.Command")
    assert "onWrapEnvEnter" in wrap_key_hint("onWrapEnter") and "dropped" in wrap_key_hint("runOnHost")
    assert "#133" in wrap_key_hint("onMonitor") and wrap_key_hint("onEnter") is None


def _wrap_warnings(data: bytes, name: str) -> list:
    result = lint_bytes(data, name, openjd_lint.rules.REGISTRY)
    return [d for d in result.diagnostics if d.rule.startswith(WRAP_FAMILIES) and d.severity != Severity.INFO]


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=MISSING)
def test_no_wrap_warnings_on_valid_fixtures():
    unexpected, seen = [], set()
    for path in sorted(CONFORMANCE.glob("2023-09/*/*_templates/*")):
        if path.is_file() and ".invalid." not in path.name:
            unexpected += [(path.name, d.rule, d.message) for d in _wrap_warnings(path.read_bytes(), path.name)]
    for path in sorted(CONFORMANCE.glob("2023-09/*/jobs/*.test.yaml")):
        if ".invalid." in path.name:
            continue
        document = to_plain(load_bytes(path.read_bytes(), path.name).root)
        templates = {"template": document["template"]}
        templates.update({f"environments[{i}]": e for i, e in enumerate(document.get("environments") or [])})
        for where, template in templates.items():
            for d in _wrap_warnings(json.dumps(template).encode(), f"{where}.json"):
                key = (path.name, where, d.rule)
                if key in EXPECTED_WARNINGS:
                    seen.add(key)
                else:
                    unexpected.append((path.name, where, d.rule, d.message))
    assert unexpected == []
    assert seen == EXPECTED_WARNINGS


WRAP_EXAMPLES = sorted([*(REPO / "examples" / "wrap").rglob("*.yaml"), *(REPO / "examples").glob("*wrap*.yaml")])


@pytest.mark.parametrize("path", WRAP_EXAMPLES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_wrap_examples_have_no_errors_or_warnings(path):
    found = lint_bytes(path.read_bytes(), path.name, openjd_lint.rules.REGISTRY).diagnostics
    assert [(d.rule, d.message) for d in found if d.severity != Severity.INFO] == []


def test_rfc_basic_example_is_clean_of_the_wrap_families():
    path = REPO / "examples" / "docker-env-wrap-actions.yaml"
    found = lint_bytes(path.read_bytes(), path.name, openjd_lint.rules.REGISTRY).diagnostics
    assert [d.rule for d in found if d.rule.startswith(WRAP_FAMILIES)] == []


_FORWARDING_HOOKS = """\
      onWrapEnvEnter: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}
      onWrapTaskRun: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}
      onWrapEnvExit: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}
"""


def _actions(revision: str, hooks: str) -> str:
    if revision == "WRAP_TASK_RUN":
        hooks = '      onWrapTaskRun: {command: "{{Task.Command}}", args: ["{{Task.Args}}"]}\n' + hooks.split(
            "      onWrapEnvExit: {command: \"{{WrappedAction.Command}}\", args: [\"{{WrappedAction.Args}}\"]}\n")[-1]
    return (f"specificationVersion: environment-2023-09\nextensions: [{revision}, EXPR]\nenvironment:\n"
            f"  name: Container\n  script:\n    actions:\n{hooks}")


@pytest.mark.parametrize("revision", ["WRAP_ACTIONS", "WRAP_TASK_RUN"])
@pytest.mark.parametrize("key, words", [("onMonitor", "#133"), ("onWrapEnter", "`onWrapEnvEnter`"),
                                        ("onExitt", "did you mean `onExit`")])
def test_unknown_action_keys_of_some_wrap_revision_get_a_hint_that_says_so(revision, key, words):
    template = _actions(revision, _FORWARDING_HOOKS + f"      {key}: {{command: watchdog}}\n")
    (found,) = [d for d in diagnostics(template) if d.rule == "S002"]
    line = template.splitlines().index(f"      {key}: {{command: watchdog}}") + 1
    assert (found.line, found.column, found.end_column) == (line, 7, 7 + len(key))
    assert words in found.hint and ("#133" in found.hint) == (words == "#133")


@pytest.mark.parametrize("name, words", [("Env.Wrapped.Name", "calls it `WrappedEnv.Name`"),
                                         ("WrappedAction.Cancellation.Mode", "did you mean `WrappedAction.Cancelation.Mode`"),
                                         ("Task.Monitor", "#133")])
def test_hints_of_undefined_wrap_names_name_the_right_spelling(name, words):
    template = _actions("WRAP_ACTIONS", _FORWARDING_HOOKS.replace('args: ["{{WrappedAction.Args}}"]}\n      onWrapEnvExit',
                                                                  'args: ["{{' + name + '}}"]}\n      onWrapEnvExit'))
    (found,) = [d for d in diagnostics(template) if d.rule == "X004"]
    assert found.message == f"`{name}` is not defined" and words in found.hint


def _default_run(tmp_path, name: str, text: str):
    from test_cli import cli

    (tmp_path / name).write_text(text)
    return cli("check", "--format", "json", name, cwd=tmp_path)


@pytest.mark.parametrize("revision", ["WRAP_ACTIONS", "WRAP_TASK_RUN"])
@pytest.mark.parametrize("form", ["basic example", "docker exec argv", "repr_sh shell line"])
def test_correct_wrapping_environments_print_nothing_in_a_default_run(tmp_path, revision, form):
    """Issue 14, item 9: the RFC's Basic Example, argv forwarding through `docker exec` and the `repr_sh`
    shell-line form are silent and exit 0 by default (their advice stays available with --include-info)."""
    from wrap_templates import environment

    if form == "basic example":
        name = "docker-env-wrap-actions.yaml" if revision == "WRAP_ACTIONS" else "docker-env-wrap-task-run.yaml"
        text = (REPO / "examples" / name).read_text()
    elif form == "docker exec argv":
        text = environment(revision, 'command: docker\nargs: [exec, --interactive, render-box, '
                                     '"{{WrappedAction.Command}}", "{{WrappedAction.Args}}"]\n')
    else:
        text = environment(revision, 'command: bash\nargs: ["-c", "exec {{ repr_sh(WrappedAction.Command) }} '
                                     '{{ repr_sh(WrappedAction.Args) }}"]\n')
    result = _default_run(tmp_path, "env.yaml", text)
    assert (result.returncode, json.loads(result.stdout)["findings"]) == (0, [])


def test_examples_meant_to_be_correct_are_silent_and_the_broken_ones_show_every_family():
    from test_cli import cli

    result = cli("check", "--format", "json", "--no-cache", str(REPO / "examples"))
    findings = json.loads(result.stdout)["findings"]
    assert result.returncode == 1
    assert sorted({f["file"] for f in findings if "/broken/" not in f["file"]}) == []
    assert {f["rule"][0] for f in findings} >= {"S", "T", "X", "W", "Q", "H"}
