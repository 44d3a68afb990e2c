"""`--format github`: workflow commands GitHub turns into annotations, escaped as GitHub requires."""

import re

from openjd_lint.reporters.github import escape_data, escape_property

from test_cli import GOOD, lint

COMMAND = re.compile(r"^::(error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")


def commands(stdout: str) -> list:
    found = []
    for line in stdout.splitlines():
        match = COMMAND.match(line)
        if match:
            properties = dict(item.split("=", 1) for item in match.group("properties").split(","))
            found.append((match.group(1), properties, match.group("message")))
    return found


def test_escaping_follows_the_workflow_command_rules():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("C:\\dir,x\n%") == "C%3A\\dir%2Cx%0A%25"


def test_annotations_with_positions_titles_and_levels(tmp_path):
    (tmp_path / "job.yaml").write_text(GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n")
                                       + "  # openjd-lint: disable=L002\n")
    (tmp_path / ".openjd-lint.toml").write_text('[severity]\nS002 = "info"\n')
    result = lint("check", "--format", "github", "job.yaml", cwd=tmp_path)
    found = commands(result.stdout)
    assert [(level, props["title"]) for level, props, _ in found] == [
        ("notice", "openjd-lint (S002)"), ("warning", "openjd-lint (M001)")]
    level, props, message = found[0]
    assert (props["file"], props["line"], props["col"], props["endLine"], props["endColumn"]) == \
        ("job.yaml", "3", "1", "3", "6")
    assert message.startswith("unknown key `bogus`") and "%0Ahint: " in message
    assert result.stdout.splitlines()[-1].startswith("Found 2 problems")


def test_file_names_and_messages_are_escaped(tmp_path):
    name = "a,b:c%.yaml"
    (tmp_path / name).write_text(GOOD.replace("name: Render\n", "name: Render\n'50%,x': 1\n"))
    result = lint("check", "--format", "github", name, cwd=tmp_path)
    ((level, props, message),) = commands(result.stdout)
    assert level == "error" and props["file"] == "a%2Cb%3Ac%25.yaml"
    assert "`50%25,x`" in message and "\n" not in message


def test_chosen_automatically_inside_github_actions(tmp_path):
    (tmp_path / "job.yaml").write_text(GOOD.replace("name: Render\n", "name: Render\nbogus: 1\n"))
    inside = lint("check", "./job.yaml", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert inside.returncode == 1 and inside.stdout.startswith("::error file=job.yaml,line=3,")
    explicit = lint("check", "--format", "text", "job.yaml", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.startswith("job.yaml:3:1: error[S002]")
    outside = lint("check", "job.yaml", cwd=tmp_path, env={"GITHUB_ACTIONS": ""})
    assert not outside.stdout.startswith("::")
