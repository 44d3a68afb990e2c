"""The GitHub Action (action.yml): its `run:` steps executed locally as a runner would, with the inputs
substituted, against a fixture directory, in a fresh virtual environment."""

import json
import os
import re
import subprocess
import sys
import sysconfig
import venv

from ruamel.yaml import YAML

from test_cli import GOOD, ROOT

EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def evaluate(expression: str, inputs: dict) -> str:
    """The few expressions action.yml uses: `inputs.NAME`, `github.action_path`, `inputs.NAME != ''`."""
    comparison = re.fullmatch(r"inputs\.([\w-]+) != ''", expression)
    if comparison:
        return "true" if inputs[comparison.group(1)] != "" else "false"
    if expression == "github.action_path":
        return str(ROOT)
    return inputs[re.fullmatch(r"inputs\.([\w-]+)", expression).group(1)]


def run_action(workspace, runner, inputs: dict, only: str = None) -> list:
    """The results of the action's `run:` steps (or of the step named `only`) until one fails."""
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update(inputs)
    env = {**os.environ, "PATH": f"{runner / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_ACTIONS": "true", "RUNNER_TEMP": str(runner)}
    results = []
    for step in action["runs"]["steps"]:
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@")
            continue
        if only is not None and step["name"] != only:
            continue
        condition = step.get("if")
        if condition is not None and evaluate(EXPRESSION.fullmatch(condition).group(1), values) != "true":
            continue
        step_env = {key: EXPRESSION.sub(lambda m: evaluate(m.group(1), values), str(value))
                    for key, value in step.get("env", {}).items()}
        script = EXPRESSION.sub(lambda m: evaluate(m.group(1), values), step["run"])
        assert step["shell"] == "bash"
        results.append(subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                      cwd=workspace, env={**env, **step_env}, capture_output=True, text=True))
        if results[-1].returncode != 0:
            break
    return results


def runner_venv(path):
    """A new environment that sees this one's packages (so installing needs no download) but not its
    openjd-lint: the action's install step must bring that."""
    venv.create(path, with_pip=False)
    purelib = sysconfig.get_paths()["purelib"]
    target = subprocess.run([str(path / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    with open(os.path.join(target, "runner.pth"), "w") as handle:
        handle.write(purelib + "\n")
    return path


def test_action_installs_lints_with_annotations_and_writes_sarif(tmp_path):
    workspace = tmp_path / "repo"
    (workspace / "templates").mkdir(parents=True)
    (workspace / "templates" / "job.yaml").write_text(GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n"))
    (workspace / "other.yaml").write_text(GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n"))
    runner = runner_venv(tmp_path / "runner")
    inputs = {"paths": "templates", "args": "--fail-on error", "sarif-file": "openjd-lint.sarif"}

    steps = run_action(workspace, runner, inputs)
    assert len(steps) == 2, f"step {len(steps)} failed: {steps[-1].stdout}{steps[-1].stderr}"
    install, annotate = steps
    assert install.stdout.strip().startswith("openjd-lint ")
    installed = subprocess.run([str(runner / "bin" / "python"), "-c", "import openjd_lint; print(openjd_lint.__file__)"],
                               capture_output=True, text=True).stdout
    assert str(runner) in installed
    results = json.loads((workspace / "openjd-lint.sarif").read_text())["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["S002"]
    assert annotate.returncode == 1
    assert annotate.stdout.startswith("::error file=templates/job.yaml,line=3,col=1,")

    (workspace / "templates" / "job.yaml").write_text(GOOD)
    (clean,) = run_action(workspace, runner, {**inputs, "sarif-file": ""}, only="Run openjd-lint")
    assert clean.returncode == 0 and "No problems found in 1 file." in clean.stdout


def test_the_action_runs_the_linter_once_and_pins_what_it_uses_by_commit():
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    scripts = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    assert sum(script.count("openjd-lint check") for script in scripts) == 1
    for step in action["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    raw = (ROOT / "action.yml").read_text()
    assert all(re.search(r"@[0-9a-f]{40} # v\d", line) for line in raw.splitlines() if "uses:" in line)
    assert "released" in action["inputs"]["version"]["description"]


def test_readme_workflow_uses_only_inputs_the_action_declares():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### GitHub Action"):]
    workflow = YAML(typ="safe").load(section[section.index("```yaml\n") + 8:section.index("```\n", 4)])
    steps = workflow["jobs"]["lint"]["steps"]
    (ours,) = [step for step in steps if "openjd-lint@" in step.get("uses", "")]
    declared = YAML(typ="safe").load((ROOT / "action.yml").read_text())["inputs"]
    assert set(ours["with"]) <= set(declared)


def test_every_subpackage_is_packaged():
    """A non-editable install (the Action's, pre-commit's) holds only the packages pyproject.toml lists."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib

    from package_modules import packages

    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    present = packages()
    assert "openjd_lint.rules" in present and "openjd_lint.expr.library" in present
    assert present <= declared, f"add to [tool.setuptools] packages: {sorted(present - declared)}"
