"""Did-you-mean quick fixes: an unknown key with one obvious known key, an undefined name with one
obvious defined name, an unknown function with an obvious intended one. Safe fixes in --fix/--diff and
code actions in the editor; no fix where two names are equally plausible or the text is escaped."""

import textwrap

from lsprotocol import types as lsp

from openjd_lint.fixes import one_close_match
from openjd_lint.lsp.code_actions import code_actions
from openjd_lint.lsp.documents import analyse
from openjd_lint.lsp.positions import UTF16
from test_cli import cli

JOB = textwrap.dedent("""\
    specificationVersion: jobtemplate-2023-09
    extensions: [EXPR]
    name: Render
    parameterDefinitions:
    - name: SceneFile
      type: STRING
    - name: Frames
      type: STRING
    - name: Framez
      type: STRING
    steps:
    - name: Frame
      script:
        actions:
          onRun:
            command: render
            timeOut: 60
            args: ["{{ Param.SceneFil }}", "{{ uper(Param.SceneFile) }}", "{{ length(Param.SceneFile) }}",
                   "{{ Param.Frame }}", "{{ Param.Zzz }}"]
    """)
FIXED = (JOB.replace("timeOut", "timeout").replace("SceneFil }", "SceneFile }").replace("uper(", "upper(")
         .replace("length(", "len("))


def fixes_by_message(tmp_path, text=JOB):
    import json

    (tmp_path / "job.yaml").write_text(text)
    findings = json.loads(cli("check", "--format", "json", "job.yaml", cwd=tmp_path).stdout)["findings"]
    return {f["message"]: f["fix"] for f in findings}


def test_fix_rewrites_each_obvious_name_and_leaves_the_ambiguous_ones(tmp_path):
    fixes = fixes_by_message(tmp_path)
    assert fixes["unknown key `timeOut` in `onRun`"] == {
        "description": "rename to `timeout`", "safe": True,
        "edits": [{"line": 17, "column": 9, "end_line": 17, "end_column": 16, "text": "timeout"}]}
    assert fixes["`Param.SceneFil` is not defined"]["edits"][0]["text"] == "Param.SceneFile"
    assert fixes["Unknown function 'uper'; did you mean 'upper'?"]["description"] == "use `upper`"
    assert fixes["Unknown function 'length'; did you mean 'len'?"]["edits"][0]["text"] == "len"
    assert fixes["`Param.Frame` is not defined"] is None  # Frames or Framez: not obvious
    assert fixes["`Param.Zzz` is not defined"] is None  # nothing close
    result = cli("check", "--fix", "job.yaml", cwd=tmp_path)
    assert (tmp_path / "job.yaml").read_text() == FIXED
    assert "Fixed 4 problems." in result.stderr


def test_diff_shows_the_renames(tmp_path):
    (tmp_path / "job.yaml").write_text(JOB)
    diff = cli("check", "--diff", "job.yaml", cwd=tmp_path).stdout
    assert "-        timeOut: 60\n" in diff and "+        timeout: 60\n" in diff
    assert '+        args: ["{{ Param.SceneFile }}", "{{ upper(Param.SceneFile) }}", "{{ len(Param.SceneFile) }}",' in diff
    assert (tmp_path / "job.yaml").read_text() == JOB


def test_quoted_keys_keep_their_quotes_and_escaped_ones_get_no_fix(tmp_path):
    quoted = JOB.replace("timeOut: 60", '"timeOut": 60')
    assert fixes_by_message(tmp_path, quoted)["unknown key `timeOut` in `onRun`"]["edits"][0]["text"] == "timeout"
    cli("check", "--fix", "job.yaml", cwd=tmp_path)
    assert '"timeout": 60' in (tmp_path / "job.yaml").read_text()
    escaped = JOB.replace("timeOut: 60", '"time\\x4Fut": 60')
    assert fixes_by_message(tmp_path, escaped)["unknown key `timeOut` in `onRun`"] is None


def test_one_close_match_refuses_to_choose():
    assert one_close_match("timeOut", ["timeout", "command", "args"]) == "timeout"
    assert one_close_match("Frame", ["Frames", "Framez"]) is None
    assert one_close_match("zzz", ["timeout"]) is None
    assert one_close_match("ARGS", ["args", "Args"]) is None


def test_the_editor_offers_the_renames_as_preferred_quick_fixes():
    analysis = analyse(JOB, "/w/job.yaml", 1)
    line = JOB.index("timeOut")
    actions = code_actions(analysis, "file:///w/job.yaml", line, line, UTF16, lambda d: None)
    rename = next(a for a in actions if a.title == "Fix S002: rename to `timeout`")
    assert rename.kind == lsp.CodeActionKind.QuickFix and rename.is_preferred
    (edit,) = rename.edit.changes["file:///w/job.yaml"]
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character, edit.new_text) == (
        16, 8, 15, "timeout")
    args = JOB.index("uper(")
    titles = [a.title for a in code_actions(analysis, "file:///w/job.yaml", args, args, UTF16, lambda d: None)]
    assert {"Fix X004: use `Param.SceneFile`", "Fix X004: use `upper`", "Fix X004: use `len`"} <= set(titles)
