"""The pre-commit hook (.pre-commit-hooks.yaml), run by the real `pre-commit try-repo` against temporary
git repositories: it fails on a broken template, passes on the fixed one, and leaves other YAML and JSON
files alone (`--only-templates`), even a Helm chart, an empty file, tab-indented YAML and JSON with comments."""

import os
import subprocess
import sys

from test_cli import GOOD, ROOT
from test_template_sniffing import BROKEN_TEMPLATE, NOT_TEMPLATES

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
                "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def start_try_repo(repo, files: dict, env: dict) -> subprocess.Popen:
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    for name, text in {**NOT_TEMPLATES, "notes.txt": "bogus: 1\n", **files}.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    # try-repo builds the hook's environment from the checkout (uncommitted changes included) each time
    return subprocess.Popen([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "openjd-lint",
                             "--all-files", "--color", "never"],
                            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_try_repo_fails_on_a_broken_template_and_passes_on_the_fixed_one(tmp_path):
    env = {**os.environ, **GIT_IDENTITY, "NO_COLOR": "1"}
    # the two slow environment builds run side by side
    broken = start_try_repo(tmp_path / "broken", {
        "job.yaml": GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n"), "tabs-job.yaml": BROKEN_TEMPLATE}, env)
    fixed = start_try_repo(tmp_path / "fixed", {"job.yaml": GOOD, "env.yaml": "specificationVersion: environment-2023-09\n"
                           "environment:\n  name: E\n  variables:\n    A: b\n"}, env)
    broken_output, _ = broken.communicate(timeout=600)
    fixed_output, _ = fixed.communicate(timeout=600)

    assert broken.returncode == 1, broken_output
    assert "job.yaml:3:1: error[S002]" in broken_output
    assert "tabs-job.yaml:8:1: error[L005]" in broken_output
    assert not [name for name in [*NOT_TEMPLATES, "notes.txt"] if name in broken_output]
    assert fixed.returncode == 0, fixed_output
    assert "openjd-lint" in fixed_output and "Passed" in fixed_output


def test_readme_snippet_names_the_hook():
    from ruamel.yaml import YAML

    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### pre-commit"):]
    config = YAML(typ="safe").load(section[section.index("```yaml\n") + 8:section.index("```\n", 4)])
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in config["repos"][0]["hooks"]] == [hook["id"] for hook in hooks]
