"""The command-line controls ruff users reach for: --exit-zero, --quiet, --statistics, --show-fixes, the
fixable count in the summary, --sarif-file, usage errors of a subcommand with a did-you-mean, the
warning when no template was checked, and paths as a user writes them."""

import json
import re

from openjd_lint.reporters.text import SNIPPET_WIDTH, trim
from openjd_lint.rules import REGISTRY
from test_cli import GOOD, cli, lint

BAD = GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n")


def write(tmp_path, **files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


SAFE = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS]
environment:
  name: Wrapper
  script:
    actions:
      onEnter:
        command: echo
"""


def fixable_files(tmp_path):
    """One template with a safe fix (S010's adding EXPR) and one with two unsafe ones (Q001's quoting)."""
    return write(tmp_path, **{"safe.yaml": SAFE, "unsafe.yaml": REGISTRY.get("Q001").bad})


def test_exit_zero_reports_findings_but_exits_0(tmp_path):
    write(tmp_path, **{"job.yaml": BAD})
    result = cli("check", "--exit-zero", "job.yaml", cwd=tmp_path)
    assert result.returncode == 0 and "error[S002]" in result.stdout
    assert cli("check", "--exit-zero", "missing.yaml", cwd=tmp_path).returncode == 2


def test_quiet_prints_the_findings_and_nothing_else(tmp_path):
    write(tmp_path, **{"job.yaml": BAD, "good.yaml": GOOD})
    loud = cli("check", "job.yaml", cwd=tmp_path)
    quiet = cli("check", "--quiet", "job.yaml", cwd=tmp_path)
    assert quiet.returncode == loud.returncode == 1
    assert "Found 1 problem" in loud.stdout and "Found" not in quiet.stdout
    assert quiet.stdout == loud.stdout[:loud.stdout.index("Found")]
    assert cli("check", "-q", "good.yaml", cwd=tmp_path).stdout == ""
    github = cli("check", "-q", "--format", "github", "job.yaml", cwd=tmp_path).stdout
    assert github.startswith("::error ") and len(github.splitlines()) == 1
    (tmp_path / "empty").mkdir()
    assert cli("check", "-q", "empty", cwd=tmp_path).stderr == ""


def test_statistics_count_findings_per_rule_most_frequent_first(tmp_path):
    fixable_files(tmp_path)
    result = cli("check", "--statistics", "--fail-on", "warning", "safe.yaml", "unsafe.yaml", cwd=tmp_path)
    assert result.returncode == 1  # the exit code is that of the run
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True) and sum(counts) == 3
    by_rule = {row[1].strip(): row[2] for row in rows}
    assert by_rule["S010"] == "[*] requires-extension"  # the safe fix
    assert by_rule["Q001"] == "    unquoted-wrap-value"  # unsafe fixes are not counted as fixable
    as_json = json.loads(cli("check", "--statistics", "--format", "json", "safe.yaml", "unsafe.yaml",
                             cwd=tmp_path).stdout)
    assert {"rule": "Q001", "name": "unquoted-wrap-value", "count": 2, "fixable": 0} in as_json
    assert {"rule": "S010", "name": "requires-extension", "count": 1, "fixable": 1} in as_json
    assert cli("check", "--statistics", "--format", "sarif", "safe.yaml", cwd=tmp_path).returncode == 2


def test_summary_counts_the_fixable_findings(tmp_path):
    fixable_files(tmp_path)
    both = cli("check", "safe.yaml", "unsafe.yaml", cwd=tmp_path).stdout.splitlines()[-1]
    assert both.endswith(" in 2 files. 1 fixable with --fix, 2 more with --unsafe-fixes.")
    unsafe = cli("check", "unsafe.yaml", cwd=tmp_path).stdout.splitlines()[-1]
    assert unsafe.endswith(" in 1 file. 2 fixable with --unsafe-fixes.")
    write(tmp_path, **{"job.yaml": BAD})
    assert cli("check", "job.yaml", cwd=tmp_path).stdout.splitlines()[-1].endswith(" in 1 file.")


def test_show_fixes_lists_what_was_fixed_per_file_and_rule(tmp_path):
    fixable_files(tmp_path)
    shown = cli("check", "--diff", "--show-fixes", "--unsafe-fixes", "safe.yaml", "unsafe.yaml", cwd=tmp_path)
    assert shown.stderr.splitlines()[-5:] == [
        "Would fix 3 problems:", "- safe.yaml:", "    1 × S010 (requires-extension)",
        "- unsafe.yaml:", "    2 × Q001 (unquoted-wrap-value)"]
    fixed = cli("check", "--fix", "--show-fixes", "safe.yaml", "unsafe.yaml", cwd=tmp_path)
    assert fixed.stderr.splitlines()[-3:] == ["Fixed 1 problem:", "- safe.yaml:", "    1 × S010 (requires-extension)"]
    assert "requires-extension" not in cli("check", "--fix", "--show-fixes", "safe.yaml", cwd=tmp_path).stderr


def test_sarif_file_is_written_by_the_same_run(tmp_path):
    write(tmp_path, **{"job.yaml": BAD})
    result = cli("check", "--format", "github", "--sarif-file", "out.sarif", "job.yaml", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("::error file=job.yaml,")
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["S002"]
    unwritable = cli("check", "--sarif-file", str(tmp_path / "no" / "such" / "dir.sarif"), "job.yaml", cwd=tmp_path)
    assert unwritable.returncode == 2 and "cannot write the SARIF report" in unwritable.stderr


def test_a_bad_option_prints_the_subcommands_usage_and_a_did_you_mean(tmp_path):
    write(tmp_path, **{"job.yaml": GOOD})
    result = lint("check", "--exit-zro", "job.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: openjd-lint check ")
    assert "openjd-lint check: error: unrecognized arguments: --exit-zro (did you mean --exit-zero?)" in result.stderr
    expand = lint("expand", "job.yaml", "--platfrom", "posix", cwd=tmp_path)
    assert expand.returncode == 2 and expand.stderr.startswith("usage: openjd-lint expand ")
    assert "(did you mean --platform?)" in expand.stderr
    implicit = lint("job.yaml", "--statistcs", cwd=tmp_path)  # `check` is implied: its usage is shown
    assert implicit.returncode == 2 and implicit.stderr.startswith("usage: openjd-lint check ")
    assert "(did you mean --statistics?)" in implicit.stderr
    nonsense = lint("check", "--zzzzzz", "job.yaml", cwd=tmp_path)
    assert nonsense.returncode == 2 and "did you mean" not in nonsense.stderr
    command = cli("chek", cwd=tmp_path)
    assert command.returncode == 2 and "did you mean the `check` command?" in command.stderr


def test_a_run_that_checks_no_template_says_so_on_stderr(tmp_path):
    (tmp_path / "empty").mkdir()
    write(tmp_path, **{"config/settings.yaml": "just: data\n"})
    empty = cli("check", "empty", cwd=tmp_path)
    assert empty.returncode == 0
    assert "warning: no template found under empty" in empty.stderr
    data = cli("check", "config", cwd=tmp_path)
    assert data.returncode == 0 and "no template checked under config (1 file found" in data.stderr
    write(tmp_path, **{"jobs/job.yaml": GOOD})
    assert "warning" not in cli("check", "jobs", cwd=tmp_path).stderr


def test_walked_and_named_paths_are_reported_without_dot_components(tmp_path):
    write(tmp_path, **{"jobs/job.yaml": BAD})
    walked = json.loads(cli("check", "--format", "json", ".", cwd=tmp_path).stdout)
    assert [f["file"] for f in walked["findings"]] == ["jobs/job.yaml"]
    named = json.loads(cli("check", "--format", "json", "./jobs/./job.yaml", cwd=tmp_path).stdout)
    assert [f["file"] for f in named["findings"]] == ["jobs/job.yaml"]


def test_diff_headers_have_no_dot_components(tmp_path):
    fixable_files(tmp_path)
    diff = cli("check", "--diff", "./safe.yaml", cwd=tmp_path).stdout
    assert diff.startswith("--- a/safe.yaml\n+++ b/safe.yaml\n")
    walked = cli("check", "--diff", ".", cwd=tmp_path).stdout
    assert "--- a/safe.yaml\n" in walked and "./" not in walked.split("\n@@")[0]


def test_long_lines_are_trimmed_around_the_span(tmp_path):
    script = "x" * 400 + " {{Bogus.Name}} " + "y" * 400
    write(tmp_path, **{"job.yaml": GOOD.replace("command: render", f'command: "{script}"')})
    output = cli("check", "job.yaml", cwd=tmp_path).stdout
    snippet = [line for line in output.splitlines() if line.startswith("8 |")][0]
    caret = [line for line in output.splitlines() if "^" in line][0]
    assert len(snippet) <= len("8 | ") + SNIPPET_WIDTH
    assert snippet.startswith("8 | …") and snippet.endswith("…")
    start = caret.index("^")
    assert snippet[start:start + len("{{Bogus.Name}}")] == "{{Bogus.Name}}" or \
        snippet[start:start + len("Bogus.Name")] == "Bogus.Name"
    assert caret.count("^") <= len("{{Bogus.Name}}")


def test_trim_keeps_short_lines_and_marks_cuts():
    assert trim("short line", 0, 5) == ("short line", 0, 5)
    text, start, end = trim("a" * 200 + "BAD" + "b" * 200, 200, 203)
    assert len(text) == SNIPPET_WIDTH and text[start:end] == "BAD" and text[0] == text[-1] == "…"
    text, start, end = trim("BAD" + "b" * 200, 0, 3)
    assert text[start:end] == "BAD" and not text.startswith("…") and text.endswith("…")
    text, start, end = trim("a" * 10 + "B" * 300, 10, 310)  # a span wider than the window
    assert text[start:end] == "B" * (end - start) and len(text) == SNIPPET_WIDTH


def test_readme_describes_examples_as_they_are():
    from test_cli import EXAMPLES, ROOT

    readme = (ROOT / "README.md").read_text()
    opening = " ".join(readme[:readme.index("## Usage")].split())
    mentioned = set(re.findall(r"`(examples/[\w./-]*)`", readme))
    assert mentioned, "the README describes the bundled examples"
    for path in mentioned:
        assert (ROOT / path).exists(), f"the README names {path}, which does not exist"
    for entry in sorted(EXAMPLES.iterdir()):
        name = f"examples/{entry.name}" + ("/" if entry.is_dir() else "")
        assert f"`{name}`" in opening, f"the README's opening does not describe {name}"
    broken = len(list((EXAMPLES / "broken").glob("*.yaml")))
    number = {1: "one template", 2: "two templates", 3: "three templates", 4: "four templates"}[broken]
    assert f"`examples/broken/` holds {number}" in opening


def rules_reported(*args, cwd):
    return sorted({f["rule"] for f in json.loads(cli("check", "--format", "json", *args, cwd=cwd).stdout)["findings"]})


def test_select_ignore_and_extend_select_take_ids_names_and_prefixes(tmp_path):
    fixable_files(tmp_path)
    write(tmp_path, **{"job.yaml": BAD})
    files = ("safe.yaml", "unsafe.yaml", "job.yaml")
    assert rules_reported(*files, cwd=tmp_path) == ["Q001", "S002", "S010"]
    assert rules_reported("--select", "S002", *files, cwd=tmp_path) == ["S002"]
    assert rules_reported("--select", "unknown-key,Q", *files, cwd=tmp_path) == ["Q001", "S002"]
    assert rules_reported("--select", "s", "--select", "q001", *files, cwd=tmp_path) == ["Q001", "S002", "S010"]
    assert rules_reported("--ignore", "S", *files, cwd=tmp_path) == ["Q001"]
    assert rules_reported("--select", "S", "--ignore", "requires-extension", *files, cwd=tmp_path) == ["S002"]
    # info findings are opt-in: a prefix selects a family's errors and warnings, a full id or name its advice
    assert rules_reported("--select", "H", *files, cwd=tmp_path) == []
    assert rules_reported("--extend-select", "wrapped-timeout-ignored", *files, cwd=tmp_path) == [
        "H002", "Q001", "S002", "S010"]
    assert rules_reported("--select", "H002", *files, cwd=tmp_path) == ["H002"]


def test_command_line_selection_layers_over_the_configuration_as_in_ruff(tmp_path):
    fixable_files(tmp_path)
    write(tmp_path, **{"job.yaml": BAD, "pyproject.toml": '[tool.openjd-lint]\nselect = ["S"]\nignore = ["unknown-key"]\n'})
    files = ("safe.yaml", "unsafe.yaml", "job.yaml")
    assert rules_reported(*files, cwd=tmp_path) == ["S010"]
    assert rules_reported("--select", "S002", *files, cwd=tmp_path) == ["S002"]  # replaces select and ignore
    assert rules_reported("--extend-select", "Q", *files, cwd=tmp_path) == ["Q001", "S010"]  # the ignore stays
    assert rules_reported("--ignore", "S010", *files, cwd=tmp_path) == []
    write(tmp_path, **{"pyproject.toml": '[tool.openjd-lint]\nextend-select = ["H002"]\nignore = ["requires-extension"]\n'})
    assert rules_reported(*files, cwd=tmp_path) == ["H002", "Q001", "S002"]


def test_a_selector_that_matches_no_rule_is_a_usage_error_with_a_did_you_mean(tmp_path):
    write(tmp_path, **{"job.yaml": GOOD})
    misspelt = cli("check", "--ignore", "unknwn-key", "job.yaml", cwd=tmp_path)
    assert misspelt.returncode == 2
    assert "--ignore: 'unknwn-key' matches no rule (did you mean `unknown-key`?)" in misspelt.stderr
    assert cli("check", "--select", "Z", "job.yaml", cwd=tmp_path).returncode == 2
    assert cli("check", "--extend-select", ",", "job.yaml", cwd=tmp_path).returncode == 2
    write(tmp_path, **{"pyproject.toml": '[tool.openjd-lint]\nselect = ["unknown-key", "T"]\n'})
    assert cli("check", "job.yaml", cwd=tmp_path).returncode == 0  # names are selectors in the configuration too
    write(tmp_path, **{"pyproject.toml": '[tool.openjd-lint]\nseverity = { "unknwn-key" = "warning" }\n'})
    bad = cli("check", "job.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "did you mean `unknown-key`?" in bad.stderr
