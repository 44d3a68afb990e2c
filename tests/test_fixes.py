"""The fix machinery (`--fix`, `--unsafe-fixes`, `--diff`) and its first fix: EXPR added next to a wrap
extension, in the list's own style."""

import json
import os
import stat
from types import SimpleNamespace

from openjd_lint.findings import Edit, Fix
from openjd_lint.fixes import apply_fixes, fix_text, write_atomically

from test_cli import cli, lint
from test_config import DRAFT  # a draft-revision wrap environment: W002's migration inserts two lines of hooks

WRAP = """\
specificationVersion: environment-2023-09
extensions: [WRAP_ACTIONS]
environment:
  name: Wrap
  script:
    actions:
      onEnter:
        command: echo
"""


def test_fix_adds_expr_to_a_flow_list_end_to_end(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text(WRAP)
    result = lint("check", "--fix", "env.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "Fixed 1 problem." in result.stderr and "No problems found" in result.stdout
    assert path.read_text() == WRAP.replace("[WRAP_ACTIONS]", "[WRAP_ACTIONS, EXPR]")


def test_block_list_keeps_bom_crlf_indentation_and_comments(tmp_path):
    text = WRAP.replace("extensions: [WRAP_ACTIONS]\n", "extensions:\n  - WRAP_ACTIONS  # wraps\n")
    path = tmp_path / "env.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert cli("check", "--fix", "env.yaml", cwd=tmp_path).returncode == 0
    expected = text.replace("  - WRAP_ACTIONS  # wraps\n", "  - WRAP_ACTIONS  # wraps\n  - EXPR\n")
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


def test_json_list_keeps_its_quotes(tmp_path):
    path = tmp_path / "env.json"
    path.write_text(json.dumps({"specificationVersion": "environment-2023-09", "extensions": ["WRAP_ACTIONS"],
                                "environment": {"name": "Wrap", "script": {"actions": {"onEnter": {
                                    "command": "echo"}}}}}))
    assert cli("check", "--fix", "env.json", cwd=tmp_path).returncode == 0
    assert json.loads(path.read_text())["extensions"] == ["WRAP_ACTIONS", "EXPR"]


def test_diff_shows_the_change_and_writes_nothing(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text(WRAP)
    result = cli("check", "--diff", "env.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == ["--- a/env.yaml", "+++ b/env.yaml"]
    assert "-extensions: [WRAP_ACTIONS]\n+extensions: [WRAP_ACTIONS, EXPR]\n" in result.stdout
    assert "1 fix would be applied." in result.stderr
    assert path.read_text() == WRAP
    path.write_text(WRAP.replace("[WRAP_ACTIONS]", "[WRAP_ACTIONS, EXPR]"))
    assert cli("check", "--diff", "env.yaml", cwd=tmp_path).returncode == 0


def test_text_report_names_the_option_that_applies_the_fix(tmp_path):
    (tmp_path / "env.yaml").write_text(WRAP)
    output = cli("check", "env.yaml", cwd=tmp_path).stdout
    assert "  = fix: add EXPR to `extensions` (apply with --fix)\n" in output


def test_json_report_carries_the_fix_as_ranges(tmp_path):
    (tmp_path / "env.yaml").write_text(WRAP)
    (finding,) = json.loads(cli("check", "--format", "json", "env.yaml", cwd=tmp_path).stdout)["findings"]
    assert finding["fix"] == {"description": "add EXPR to `extensions`", "safe": True, "edits": [
        {"line": 2, "column": 26, "end_line": 2, "end_column": 26, "text": ", EXPR"}]}


def test_suppressed_findings_are_not_fixed_and_stdin_cannot_be_rewritten(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text(WRAP.replace("[WRAP_ACTIONS]", "[WRAP_ACTIONS]  # openjd-lint: disable=S010"))
    assert cli("check", "--fix", "env.yaml", cwd=tmp_path).returncode == 0
    assert "EXPR" not in path.read_text()
    assert cli("check", "--fix", "-", cwd=tmp_path).returncode == 2


# ------------------------------------------------------------------ the machinery on its own

def result_of(text, fixes, parses=True):
    diagnostics = [SimpleNamespace(rule="T000", fix=fix) for fix in fixes]
    return SimpleNamespace(context=object() if parses else None, diagnostics=diagnostics)


def test_overlapping_edits_are_left_for_the_next_round():
    first = Fix("a", (Edit(0, 1, "X"),))
    overlapping = Fix("b", (Edit(0, 2, "Y"),))
    same_insertion = Fix("c", (Edit(3, 3, "!"), Edit(1, 1, "?")))
    later = Fix("d", (Edit(4, 5, "Z"),))
    assert apply_fixes("abcde", [first, overlapping, Fix("e", (Edit(3, 3, "#"),)), same_insertion, later]) == \
        ("Xbc#dZ", 3)


def test_rounds_repeat_until_stable_and_are_bounded():
    # each round fixes one character: `aaa` -> `bbb` takes three rounds and a fourth finds nothing
    def lint(text):
        index = text.find("a")
        return result_of(text, [Fix("a->b", (Edit(index, index + 1, "b"),))] if index >= 0 else [])

    fixed = fix_text("aaa", lint("aaa"), lint, unsafe=False)
    assert (fixed.text, fixed.applied) == ("bbb", 3)
    endless = fix_text("", result_of("", [Fix("grow", (Edit(0, 0, "x"),))]),
                       lambda text: result_of(text, [Fix("grow", (Edit(0, 0, "x"),))]), unsafe=False)
    assert endless.text == "x" * 10


def test_unsafe_fixes_need_the_flag_and_a_round_that_breaks_parsing_is_dropped():
    unsafe = Fix("quote", (Edit(0, 0, "'"),), safe=False)
    stays = lambda text: result_of(text, [])  # noqa: E731
    assert fix_text("x", result_of("x", [unsafe]), stays, unsafe=False).applied == 0
    assert fix_text("x", result_of("x", [unsafe]), stays, unsafe=True).text == "'x"
    breaks = lambda text: result_of(text, [], parses=False)  # noqa: E731
    assert fix_text("x", result_of("x", [unsafe]), breaks, unsafe=True).text == "x"
    assert fix_text("x", result_of("x", [unsafe], parses=False), stays, unsafe=True).text == "x"


def test_files_are_replaced_atomically_with_their_permissions(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text("old")
    os.chmod(path, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    write_atomically(str(link), b"new")
    assert path.read_bytes() == b"new" and link.is_symlink()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.yaml", "link.yaml"]


def test_unsafe_fixes_apply_only_when_asked(tmp_path):
    """With a rule's own bad example that carries an unsafe fix (found in the registry, so the test
    follows the rules as they change)."""
    from openjd_lint.rules import REGISTRY
    from openjd_lint.docs import lint_example

    example = next(rule.bad for rule in REGISTRY
                   if any(d.fix is not None and not d.fix.safe and d.rule == rule.id
                          for d in lint_example(rule, rule.bad, REGISTRY).diagnostics))
    path = tmp_path / "job.yaml"
    path.write_text(example)
    assert cli("check", "--fix", "job.yaml", cwd=tmp_path).returncode in (0, 1)
    safe_only = path.read_text()
    assert cli("check", "--unsafe-fixes", "job.yaml", cwd=tmp_path).returncode in (0, 1)
    assert path.read_text() != safe_only


def test_inserted_lines_follow_the_files_line_endings(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_bytes(DRAFT.replace("\n", "\r\n").encode())
    cli("check", "--include-info", "--fix", "env.yaml", cwd=tmp_path)
    fixed = path.read_bytes()
    assert b"onWrapEnvEnter" in fixed and b"onWrapEnvExit" in fixed
    assert fixed.count(b"\n") == fixed.count(b"\r\n") == DRAFT.count("\n") + 2


def test_a_file_that_cannot_be_replaced_is_reported_and_the_others_are_still_fixed(tmp_path, monkeypatch):
    import tempfile

    for name in ("locked", "open"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "env.yaml").write_text(WRAP)
    mkstemp = tempfile.mkstemp

    def refusing(*args, dir=None, **kwargs):
        if os.path.basename(dir) == "locked":
            raise PermissionError(13, "Permission denied")
        return mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refusing)
    result = cli("check", "--fix", "locked/env.yaml", "open/env.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "openjd-lint: warning: did not fix locked/env.yaml: it cannot be replaced (Permission denied)" in result.stderr
    assert (tmp_path / "locked" / "env.yaml").read_text() == WRAP
    assert (tmp_path / "open" / "env.yaml").read_text() == WRAP.replace("[WRAP_ACTIONS]", "[WRAP_ACTIONS, EXPR]")
    assert "Fixed 1 problem." in result.stderr


def test_a_file_edited_while_it_is_fixed_is_left_alone(tmp_path, monkeypatch):
    from openjd_lint import run

    path = tmp_path / "env.yaml"
    path.write_text(WRAP)
    edited = WRAP.replace("name: Wrap", "name: Edited meanwhile")
    lint_file = run.lint_file

    def lint_while_someone_edits(*args, **kwargs):
        path.write_text(edited)  # the user saves the file while --fix re-lints its fixed text
        return lint_file(*args, **kwargs)

    monkeypatch.setattr(run, "lint_file", lint_while_someone_edits)
    result = cli("check", "--fix", "env.yaml", cwd=tmp_path)
    assert result.returncode == 1 and path.read_text() == edited
    assert "did not fix env.yaml: it changed while it was being checked, so it was left alone" in result.stderr
    assert "Fixed" not in result.stderr
