"""The language server: position conversions, settings and the request handlers in process, and the
server itself as a subprocess driven over stdio by a JSON-RPC client (tests/lsp_client.py)."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from lsp_client import LspClient
from openjd_lint.findings import Diagnostic, Edit, Fix, Severity
from openjd_lint.load.source import Source
from openjd_lint.lsp.code_actions import code_actions
from openjd_lint.lsp.completion import completion
from openjd_lint.lsp.documents import _closing, analyse, half_typed
from openjd_lint.lsp.hover import definition, hover
from openjd_lint.lsp.positions import UTF8, UTF16, UTF32, index_at_units, lsp_to_offset, units_before
from openjd_lint.lsp.scope import RUNTIME_SYMBOLS
from openjd_lint.lsp.settings import RULE_DOCUMENTATION_URL, load_settings
from openjd_lint.model.symbols import DRAFT_COMMAND_SYMBOLS, SESSION_SYMBOLS, WRAPPED_ACTION_SYMBOLS

SERVER = [sys.executable, "-m", "openjd_lint", "lsp"]

WRAP_ENVIRONMENT = textwrap.dedent("""\
    specificationVersion: environment-2023-09
    extensions: [WRAP_ACTIONS, EXPR]
    parameterDefinitions:
    - name: Retries
      type: INT
      default: 2
    environment:
      name: Wrapper
      script:
        let: ["greeting = 'hi'"]
        actions:
          onWrapEnvEnter:
            command: bash
            args: ["-c", "{{ repr_sh(WrappedAction.Command) }}"]
          onWrapTaskRun:
            command: bash
            args: ["-c", "{{ repr_sh(WrappedAction.Args) }} {{ WrappedStep.Name }}"]
          onWrapEnvExit:
            command: bash
            args: ["-c", "{{ repr_sh(WrappedAction.Command) }}"]
    """)

# Everything the `args` of onWrapTaskRun sees (schema.md §0.1).
WRAP_TASK_RUN_ARGS_SYMBOLS = {
    "Param.Retries", "RawParam.Retries", "Job.Name", "greeting", "WrappedStep.Name",
    *SESSION_SYMBOLS, *WRAPPED_ACTION_SYMBOLS,
}


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def lsp_position(text: str, offset: int) -> dict:
    """The LSP position (UTF-16) of a code-point offset, computed independently of the server."""
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": utf16_length(text[line_start:offset])}


def apply_edits(text: str, edits: list) -> str:
    def offset(position: dict) -> int:
        line_start = 0
        for _ in range(position["line"]):
            line_start = text.index("\n", line_start) + 1
        units, index = 0, line_start
        while units < position["character"]:
            units += utf16_length(text[index])
            index += 1
        return index

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits),
                   reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


# ------------------------------------------------------------------------------ positions

@pytest.mark.parametrize("line, index, encoding, expected", [
    ("key: value", 5, UTF16, 5),
    ("name: é and more", 9, UTF16, 9),  # é is one UTF-16 unit
    ("name: é and more", 9, UTF8, 10),  # ... and two UTF-8 bytes
    ("a: 😀😀 x", 6, UTF16, 8),  # each emoji is a surrogate pair
    ("a: 😀😀 x", 6, UTF8, 12),
    ("a: 😀😀 x", 6, UTF32, 6),
    ("a: 😀", 6, UTF16, 7),  # two columns past the end: one unit each
])
def test_units_before_counts_each_encoding(line, index, encoding, expected):
    assert units_before(line, index, encoding) == expected
    if index <= len(line):
        assert index_at_units(line, expected, encoding) == index


def test_a_position_inside_a_surrogate_pair_moves_to_the_character_start():
    assert index_at_units("😀x", 1, UTF16) == 0
    assert index_at_units("😀x", 2, UTF16) == 1
    assert index_at_units("😀x", 9, UTF16) == 2


def test_lsp_positions_map_to_offsets_and_clamp():
    source = Source("t.yaml", "a: 😀\nb: c\n")
    assert lsp_to_offset(source, 0, 3) == 3
    assert lsp_to_offset(source, 0, 5) == 4  # after the emoji
    assert lsp_to_offset(source, 1, 3) == source.text.index("c")
    assert lsp_to_offset(source, 9, 0) == len(source.text)


# ------------------------------------------------------------------------------ settings

def test_settings_come_from_pyproject_and_the_client_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.openjd-lint]\nenv = ["queue/env.yaml"]\n')
    assert load_settings(tmp_path, None).environments == (str(tmp_path / "queue" / "env.yaml"),)
    settings = load_settings(tmp_path, {"openjd-lint": {"env": ["other.yaml"], "ruleDocumentationUrl": "http://x/"}})
    assert settings.environments == (str(tmp_path / "other.yaml"),)
    assert settings.rule_documentation_url == "http://x/"


def test_bad_settings_are_reported_and_ignored(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.openjd-lint\n")
    settings = load_settings(tmp_path, {"env": 3, "ruleDocumentationUrl": ""})
    assert settings.environments == ()
    assert settings.rule_documentation_url == RULE_DOCUMENTATION_URL
    assert len(settings.problems) == 3


# ------------------------------------------------------------------------------ handlers in process

def _offset_after(text: str, marker: str) -> int:
    return text.index(marker) + len(marker)


def test_every_runtime_symbol_is_described():
    assert set(SESSION_SYMBOLS) | set(WRAPPED_ACTION_SYMBOLS) | set(DRAFT_COMMAND_SYMBOLS) <= set(RUNTIME_SYMBOLS)


def test_completion_in_a_wrap_hook_offers_exactly_the_visible_names():
    analysis = analyse(WRAP_ENVIRONMENT, "env.yaml", 1)
    offset = _offset_after(WRAP_ENVIRONMENT, "{{ repr_sh(WrappedAction.Args) }} {{ ")
    items = completion(analysis, offset, UTF16).items
    variables = {item.label: item.detail for item in items if item.kind == lsp.CompletionItemKind.Variable}
    assert set(variables) == WRAP_TASK_RUN_ARGS_SYMBOLS
    assert variables["WrappedAction.Timeout"] == "int?"
    assert variables["greeting"] == "string"  # typed by its right-hand side
    functions = {item.label for item in items if item.kind == lsp.CompletionItemKind.Function}
    assert {"repr_sh", "len"} <= functions and not any(name.startswith("__") for name in functions)


def test_completion_replaces_the_dotted_name_typed_so_far():
    text = WRAP_ENVIRONMENT.replace("{{ WrappedStep.Name }}", "{{ WrappedAction.Ti }}")
    analysis = analyse(text, "env.yaml", 1)
    offset = _offset_after(text, "{{ WrappedAction.Ti")
    item = next(i for i in completion(analysis, offset, UTF16).items if i.label == "WrappedAction.Timeout")
    start = text.index("WrappedAction.Ti }}")
    assert item.text_edit.range.start.character == lsp_position(text, start)["character"]
    assert item.text_edit.range.end.character == lsp_position(text, offset)["character"]
    assert not any(i.kind == lsp.CompletionItemKind.Function for i in completion(analysis, offset, UTF16).items)


def test_no_completion_outside_an_interpolation():
    analysis = analyse(WRAP_ENVIRONMENT, "env.yaml", 1)
    assert completion(analysis, _offset_after(WRAP_ENVIRONMENT, "args: [\"-"), UTF16) is None
    assert completion(analysis, _offset_after(WRAP_ENVIRONMENT, "{{ WrappedStep.Name }}"), UTF16) is None
    assert completion(analysis, _offset_after(WRAP_ENVIRONMENT, "command: ba"), UTF16) is None


def test_completion_inside_a_let_binding_sees_earlier_names_only():
    text = WRAP_ENVIRONMENT.replace('let: ["greeting = \'hi\'"]', 'let: ["greeting = \'hi\'", "other = gr"]')
    analysis = analyse(text, "env.yaml", 1)
    labels = {i.label for i in completion(analysis, _offset_after(text, "other = gr"), UTF16).items}
    assert "greeting" in labels and "other" not in labels
    assert not any(label.startswith("Wrapped") for label in labels)


def test_hover_shows_type_definition_and_visibility():
    analysis = analyse(WRAP_ENVIRONMENT, "env.yaml", 1)
    text = WRAP_ENVIRONMENT
    on_args = hover(analysis, _offset_after(text, "repr_sh(WrappedAction.Ar"), UTF16)
    assert "`WrappedAction.Args`: `list[string]`" in on_args.contents.value
    assert "wrap hooks" in on_args.contents.value
    start = text.index("WrappedAction.Args")
    assert on_args.range.start == lsp.Position(**lsp_position(text, start))
    assert on_args.range.end == lsp.Position(**lsp_position(text, start + len("WrappedAction.Args")))
    text = text.replace("{{ WrappedStep.Name }}", "{{ Param.Retries }}")
    analysis = analyse(text, "env.yaml", 1)
    parameter = hover(analysis, _offset_after(text, "{{ Param.Ret"), UTF16).contents.value
    assert "`Param.Retries`: `int`" in parameter and "job parameter" not in parameter
    assert "environment template parameter on line 4" in parameter
    function = hover(analysis, _offset_after(text, "{{ repr_"), UTF16).contents.value
    assert "repr_sh(" in function
    text = text.replace("{{ Param.Retries }}", "{{ greeting }}")
    binding = hover(analyse(text, "env.yaml", 1), _offset_after(text, "{{ gree"), UTF16).contents.value
    assert "`greeting`: `string`" in binding and "`let` binding on line 10" in binding


def test_definition_of_a_parameter_and_of_a_let_name():
    text = WRAP_ENVIRONMENT.replace("{{ WrappedStep.Name }}", "{{ Param.Retries }} {{ greeting }}")
    analysis = analyse(text, "env.yaml", 1)
    parameter = definition(analysis, _offset_after(text, "{{ Param.Re"), UTF16)
    start = text.index("Retries")
    assert (parameter.start, parameter.end) == (lsp.Position(**lsp_position(text, start)),
                                                lsp.Position(**lsp_position(text, start + len("Retries"))))
    binding = definition(analysis, _offset_after(text, "{{ gree"), UTF16)
    assert binding.start == lsp.Position(**lsp_position(text, text.index("\"greeting = 'hi'\"")))
    assert definition(analysis, _offset_after(text, "repr_sh(WrappedAction.Ar"), UTF16) is None


def test_hover_names_where_an_invisible_symbol_can_be_used():
    text = WRAP_ENVIRONMENT.replace("command: bash\n        args: [\"-c\", \"{{ repr_sh(WrappedAction.Command",
                                    "command: bash\n        args: [\"-c\", \"{{ repr_sh(WrappedStep.Name", 1)
    analysis = analyse(text, "env.yaml", 1)
    value = hover(analysis, _offset_after(text, "repr_sh(WrappedStep"), UTF16).contents.value
    assert "not visible here" in value and "onWrapTaskRun" in value


def _diagnostic(line: int, column: int, end_column: int, fix=None) -> Diagnostic:
    return Diagnostic("t.yaml", line, column, line, end_column, "S002", "unknown-key", Severity.ERROR, "bad", fix=fix)


def test_code_actions_offer_safe_and_unsafe_fixes_and_a_suppression():
    text = "specificationVersion: jobtemplate-2023-09\nname: 😀 job\n"
    analysis = analyse(text, "t.yaml", 1)
    start = text.index("job\n")
    safe = Fix("rename it", (Edit(start, start + 3, "task"),))
    unsafe = Fix("quote it", (Edit(start, start, "'"), Edit(start + 3, start + 3, "'")), safe=False)
    analysis.result.diagnostics = [_diagnostic(2, 9, 12, safe), _diagnostic(2, 9, 12, unsafe), _diagnostic(1, 1, 2)]
    line_start = text.index("name")
    actions = code_actions(analysis, "file:///t.yaml", line_start, line_start, UTF16, lambda d: None)
    titles = [action.title for action in actions]
    assert titles == ["Fix S002: rename it", "Disable S002 (unknown-key) for this line",
                      "Fix S002: quote it (unsafe: may change behaviour)"]
    assert actions[0].is_preferred and not actions[2].is_preferred
    (edit,) = actions[0].edit.changes["file:///t.yaml"]
    assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (9, 12, "task")  # 😀 is 2 units
    (comment,) = actions[1].edit.changes["file:///t.yaml"]
    assert (comment.range.start.line, comment.range.start.character) == (1, 0)
    assert comment.new_text == "# openjd-lint: disable=S002\n"


def test_no_suppression_comment_inside_a_block_scalar_or_a_json_file():
    text = "specificationVersion: jobtemplate-2023-09\nname: |\n  line one\n  line two\n"
    analysis = analyse(text, "t.yaml", 1)
    analysis.result.diagnostics = [_diagnostic(3, 3, 6), _diagnostic(2, 1, 5)]
    everything = (0, len(text))
    titles = [a.title for a in code_actions(analysis, "file:///t.yaml", *everything, UTF16, lambda d: None)]
    assert titles == ["Disable S002 (unknown-key) for this line"]  # only for the key line
    as_json = analyse(text, "t.json", 1)
    as_json.result.diagnostics = analysis.result.diagnostics
    assert code_actions(as_json, "file:///t.json", *everything, UTF16, lambda d: None) == []


def test_a_suppression_comment_keeps_the_indentation():
    text = "specificationVersion: jobtemplate-2023-09\nsteps:\n  - name: a\n    bogus: 1\n"
    analysis = analyse(text, "t.yaml", 1)
    bogus = next(d for d in analysis.diagnostics if d.rule == "S002")
    actions = code_actions(analysis, "file:///t.yaml", 0, len(text), UTF16, lambda d: None)
    action = next(a for a in actions if a.title.startswith(f"Disable {bogus.rule}"))
    (edit,) = action.edit.changes["file:///t.yaml"]
    assert edit.new_text == "    # openjd-lint: disable=S002\n"


# ------------------------------------------------------------------------------ the server over stdio

BROKEN_JOB = textwrap.dedent("""\
    specificationVersion: jobtemplate-2023-09
    name: Render 🎬
    steps:
    - name: Frames
      script:
        actions:
          onRun: {command: "echo 😀 🎉 done", timeOut: 60}
    """)
FIXED_JOB = BROKEN_JOB.replace("timeOut", "timeout")


@pytest.fixture()
def client(tmp_path):
    """A server of the test's own, for tests that initialize it in their own way."""
    server = LspClient(SERVER, cwd=str(tmp_path))
    yield server
    assert server.close() == 0


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One initialized server for the tests that only open documents of their own (starting the
    server is most of a test's time)."""
    root = tmp_path_factory.mktemp("workspace")
    server = LspClient(SERVER, cwd=str(root))
    server.initialize(uri_of(root))
    yield server, root
    assert server.close() == 0


def uri_of(path: Path) -> str:
    return path.as_uri()


def test_diagnostics_have_exact_ranges_and_clear_when_fixed(client, tmp_path):
    capabilities = client.initialize(uri_of(tmp_path))["capabilities"]
    assert capabilities["hoverProvider"] and capabilities["codeActionProvider"]
    assert capabilities["completionProvider"]["triggerCharacters"] == ["{", "."]
    assert capabilities.get("positionEncoding", "utf-16") == "utf-16"
    uri = uri_of(tmp_path / "job.yaml")
    client.open(uri, BROKEN_JOB)
    (diagnostic,) = client.diagnostics(uri, version=1)
    start = BROKEN_JOB.index("timeOut")
    assert diagnostic["range"] == {"start": lsp_position(BROKEN_JOB, start),
                                   "end": lsp_position(BROKEN_JOB, start + len("timeOut"))}
    assert diagnostic["range"]["start"]["character"] == 42  # 40 code points before it, two of them emoji
    assert diagnostic["code"] == "S002" and diagnostic["severity"] == lsp.DiagnosticSeverity.Error
    assert diagnostic["codeDescription"]["href"] == f"{RULE_DOCUMENTATION_URL}#s002-unknown-key"
    assert diagnostic["source"] == "openjd-lint"

    client.replace(uri, FIXED_JOB, version=2)
    assert client.diagnostics(uri, version=2) == []


def test_positions_follow_the_encoding_the_client_prefers(client, tmp_path):
    capabilities = client.initialize(uri_of(tmp_path), capabilities={"general": {"positionEncodings": ["utf-8"]}})
    assert capabilities["capabilities"]["positionEncoding"] == "utf-8"
    uri = uri_of(tmp_path / "job.yaml")
    client.open(uri, BROKEN_JOB)
    (diagnostic,) = client.diagnostics(uri, version=1)
    line = BROKEN_JOB.splitlines()[6]
    assert diagnostic["range"]["start"]["character"] == len(line[:line.index("timeOut")].encode("utf-8"))


def test_hover_completion_and_code_actions_over_stdio(shared):
    client, tmp_path = shared
    uri = uri_of(tmp_path / "wrap.yaml")
    text = WRAP_ENVIRONMENT.replace("{{ WrappedStep.Name }}", "{{ WrappedStep.Name }}\"]\n      bogus: [\"")
    client.open(uri, text)
    diagnostics = client.diagnostics(uri, version=1)
    assert {"S002", "Q001"} <= {d["code"] for d in diagnostics}
    document = {"uri": uri}

    at_args = lsp_position(text, _offset_after(text, "{{ repr_sh(WrappedAction.Ar"))
    result = client.request("textDocument/hover", {"textDocument": document, "position": at_args})
    assert "`WrappedAction.Args`: `list[string]`" in result["contents"]["value"]

    inside = lsp_position(text, _offset_after(text, "{{ repr_sh(WrappedAction.Args) }} {{ "))
    result = client.request("textDocument/completion", {"textDocument": document, "position": inside})
    variables = {item["label"]: item["detail"] for item in result["items"]
                 if item["kind"] == lsp.CompletionItemKind.Variable}
    assert set(variables) == WRAP_TASK_RUN_ARGS_SYMBOLS
    assert variables["WrappedAction.Cancelation.NotifyPeriodInSeconds"] == "int?"

    def actions_on(text: str, marker: str) -> list:
        line = text[:text.index(marker)].count("\n")
        return client.request("textDocument/codeAction", {
            "textDocument": document,
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
            "context": {"diagnostics": []}})

    # The linter's own fix: quote the unquoted name (unsafe, so labelled and not preferred).
    (fix,) = [a for a in actions_on(text, "{{ WrappedStep.Name }}") if a["title"].startswith("Fix Q001")]
    assert "unsafe" in fix["title"] and not fix.get("isPreferred")
    text = apply_edits(text, fix["edit"]["changes"][uri])
    assert "{{ repr_sh(WrappedStep.Name) }}" in text
    client.replace(uri, text, version=2)
    assert "Q001" not in {d["code"] for d in client.diagnostics(uri, version=2)}

    # A suppression comment above the line, which the linter then honours.
    (disable,) = [a for a in actions_on(text, "bogus") if a["title"].startswith("Disable S002")]
    text = apply_edits(text, disable["edit"]["changes"][uri])
    assert "      # openjd-lint: disable=S002\n      bogus:" in text
    client.replace(uri, text, version=3)
    assert "S002" not in {d["code"] for d in client.diagnostics(uri, version=3)}


def test_a_thousand_rapid_edits_leave_the_server_answering(shared):
    client, tmp_path = shared
    uri = uri_of(tmp_path / "typing.yaml")
    client.open(uri, FIXED_JOB)
    client.diagnostics(uri, version=1)
    insert_at = lsp_position(FIXED_JOB, FIXED_JOB.index("done") + len("done"))
    pending = []
    text = FIXED_JOB
    for version in range(2, 1002):
        # Type a character into the command, breaking and mending the YAML as we go.
        character = "{" if version % 7 == 0 else "}" if version % 7 == 1 else "x"
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": insert_at, "end": insert_at}, "text": character}]})
        offset = FIXED_JOB.index("done") + len("done")
        text = text[:offset] + character + text[offset:]
        if version % 50 == 0:
            pending.append(client.send_request("textDocument/hover", {
                "textDocument": {"uri": uri}, "position": {"line": 6, "character": version % 60}}))
            pending.append(client.send_request("textDocument/completion", {
                "textDocument": {"uri": uri}, "position": {"line": 6, "character": version % 60}}))
            pending.append(client.send_request("textDocument/codeAction", {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}},
                "context": {"diagnostics": []}}))
    for request_id in pending:
        client.response(request_id, timeout=30)
    final = client.diagnostics(uri, version=1001, timeout=30)
    published = [p for name, p in client.notifications
                 if name == "textDocument/publishDiagnostics" and p["uri"] == uri]
    assert len(published) < 50  # debounced, not one lint per keystroke
    expected = analyse(text, str(tmp_path / "typing.yaml"), 1001).diagnostics
    assert [d["code"] for d in final] == [d.rule for d in expected]


def test_broken_input_never_kills_the_server(shared):
    client, tmp_path = shared
    uri = uri_of(tmp_path / "broken.yaml")
    texts = ["", "{{", "specificationVersion: jobtemplate-2023-09\nsteps: [{script: {actions: {onRun: {command: '{{",
             "\x00\x01binary", "a: *unknown", "[" * 500, "specificationVersion: environment-2023-09\n\ud800\n"]
    client.open(uri, texts[0])
    for version, text in enumerate(texts[1:], start=2):
        client.replace(uri, text, version)
        for method, extra in (("textDocument/hover", {}), ("textDocument/completion", {}),
                              ("textDocument/definition", {}),
                              ("textDocument/codeAction", {"range": {"start": {"line": 0, "character": 0},
                                                                     "end": {"line": 99, "character": 0}},
                                                           "context": {"diagnostics": []}})):
            params = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}, **extra}
            client.request(method, params)
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 40, "character": 99}})
    client.diagnostics(uri, version=len(texts))
    errors = [p["message"] for name, p in client.notifications
              if name == "window/logMessage" and p["type"] == lsp.MessageType.Error]
    assert errors == []
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri_of(tmp_path / "never-opened.yaml")},
                                                 "position": {"line": 0, "character": 0}}) is None


@pytest.mark.parametrize("typed, closed", [
    ('        args: ["-c", "{{ Wr', '}}"]'),
    ("        command: echo it's {{ Wr", "}}"),
    ('        onRun: {command: "{{ Wr', '}}"}'),
    ('  x: "a\\" {{ b', '}}"'),
])
def test_a_half_typed_line_is_closed_the_way_yaml_reads_it(typed, closed):
    assert _closing(typed) == closed


def test_completion_works_while_the_line_is_not_yaml_yet():
    marker = '{{ repr_sh(WrappedAction.Args) }} {{ WrappedStep.Name }}"]'
    text = WRAP_ENVIRONMENT.replace(marker, '{{ Wrapped')
    analysis = analyse(text, "env.yaml", 1)
    assert analysis.context is None  # the flow sequence and the string are still open
    offset = _offset_after(text, "{{ Wrapped")
    labels = {item.label for item in completion(half_typed(analysis, offset), offset, UTF16).items}
    assert "WrappedStep.Name" in labels and "WrappedEnv.Name" not in labels


def test_environment_templates_are_loaded_and_reloaded_when_they_change(tmp_path):
    from openjd_lint.lsp.documents import EnvironmentTemplates

    environment, job = tmp_path / "queue-env.yaml", tmp_path / "job.yaml"
    environment.write_text(WRAP_ENVIRONMENT)
    job.write_text(FIXED_JOB)
    templates = EnvironmentTemplates()
    paths = (str(environment), str(job), str(tmp_path / "missing.yaml"))
    assert templates.refresh(paths)
    assert [context.kind for context in templates.contexts] == ["environment"]
    assert len(templates.problems) == 2 and "job template" in templates.problems[0]
    assert templates.source_of(str(environment)).text == WRAP_ENVIRONMENT
    assert not templates.refresh(paths)
    environment.write_text(WRAP_ENVIRONMENT + "\n")
    assert templates.refresh(paths)


def test_environment_settings_reach_the_server(client, tmp_path):
    (tmp_path / "queue-env.yaml").write_text(WRAP_ENVIRONMENT)
    client.initialize(uri_of(tmp_path), options={"env": ["queue-env.yaml", "missing.yaml"]})
    client.open(uri_of(tmp_path / "job.yaml"), FIXED_JOB)
    message = client.wait_for_notification("window/logMessage", lambda p: "missing.yaml" in p["message"])
    assert message["type"] == lsp.MessageType.Warning
    client.diagnostics(uri_of(tmp_path / "job.yaml"), version=1)


def test_configured_environments_enclose_the_job_so_nesting_conflicts_show_live(client, tmp_path):
    (tmp_path / "queue-env.yaml").write_text(WRAP_ENVIRONMENT)
    job = textwrap.dedent("""\
        specificationVersion: jobtemplate-2023-09
        extensions: [WRAP_ACTIONS, EXPR]
        name: Job
        jobEnvironments:
        - name: Inner
          script:
            actions:
              onWrapEnvEnter: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}
              onWrapTaskRun: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}
              onWrapEnvExit: {command: "{{WrappedAction.Command}}", args: ["{{WrappedAction.Args}}"]}
        steps:
        - name: S
          script:
            actions:
              onRun: {command: echo}
        """)
    client.initialize(uri_of(tmp_path), options={"env": [str(tmp_path / "queue-env.yaml")]})
    client.open(uri_of(tmp_path / "job.yaml"), job)
    diagnostics = client.diagnostics(uri_of(tmp_path / "job.yaml"), version=1)
    nesting = [d for d in diagnostics if d["code"] == "N001"]
    assert [d["range"]["start"]["line"] for d in nesting] == [4], diagnostics
    related = nesting[0]["relatedInformation"][0]["location"]
    assert related["uri"] == uri_of(tmp_path / "queue-env.yaml")


def test_checking_never_imports_the_lsp_library(tmp_path):
    import subprocess

    (tmp_path / "job.yaml").write_text(FIXED_JOB)
    program = ("import sys, openjd_lint.lsp; from openjd_lint import cli; cli.main(['check', sys.argv[1]]); "
               "print(sorted(m for m in ('pygls', 'lsprotocol') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", program, str(tmp_path / "job.yaml")], capture_output=True,
                            text=True, check=True).stdout
    assert output.strip().endswith("[]")


def test_the_command_line_can_mount_the_lsp_subcommand():
    import argparse

    import openjd_lint.lsp as command

    parser = argparse.ArgumentParser(prog="openjd-lint")
    command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["lsp", "--stdio", "--log-file", "server.log"])
    assert args.handler is command.run and args.log_file == "server.log"


def test_related_places_become_related_information_in_their_own_files():
    import dataclasses

    from openjd_lint.findings import RelatedLocation
    from openjd_lint.lsp.conversions import to_lsp_diagnostic

    text = 'specificationVersion: jobtemplate-2023-09\nsteps: [{name: "😀", name: b}]\n'
    analysis = analyse(text, "/w/job.yaml", 1)
    duplicate = next(d for d in analysis.diagnostics if d.rule == "L002")
    environment = Source("/w/env.yaml", "a: 🎉 b\n")
    elsewhere = RelatedLocation("/w/env.yaml", 1, 6, 1, 7, "the enclosing environment")
    converted = to_lsp_diagnostic(dataclasses.replace(duplicate, related=duplicate.related + (elsewhere,)),
                                  analysis.source, docs_url="https://docs", uri_of=lambda name: f"file://{name}",
                                  source_of={"/w/env.yaml": environment}.get)
    assert converted.range.start == lsp.Position(1, 21)  # after the emoji: 20 code points, 21 UTF-16 units
    first, outside = converted.related_information
    assert first.location.uri == "file:///w/job.yaml"
    assert first.location.range == lsp.Range(lsp.Position(1, 9), lsp.Position(1, 13))
    assert outside.location.uri == "file:///w/env.yaml" and outside.message == "the enclosing environment"
    assert outside.location.range == lsp.Range(lsp.Position(0, 6), lsp.Position(0, 7))


def test_the_file_configuration_applies_as_on_the_command_line(tmp_path):
    from openjd_lint.config import Config

    name = str(tmp_path / "legacy" / "job.yaml")
    assert [d.rule for d in analyse(BROKEN_JOB, name, 1).diagnostics] == ["S002"]
    assert analyse(BROKEN_JOB, name, 1, Config(root=str(tmp_path), ignore=("S",))).diagnostics == []
    excluded = analyse(BROKEN_JOB, name, 1, Config(root=str(tmp_path), exclude=("legacy",)))
    assert excluded.diagnostics == [] and excluded.context is not None  # still there for hover and completion
    warning = Config(root=str(tmp_path), severity=(("S002", Severity.WARNING),))
    assert [d.severity for d in analyse(BROKEN_JOB, name, 1, warning).diagnostics] == [Severity.WARNING]


def test_the_server_finds_each_file_configuration(shared):
    client, root = shared
    for folder, config in (("quiet", 'ignore = ["S002"]\n'), ("bad", "ignorr = []\n")):
        (root / folder).mkdir()
        (root / folder / ".openjd-lint.toml").write_text(config)
    client.open(uri_of(root / "quiet" / "job.yaml"), BROKEN_JOB)
    assert client.diagnostics(uri_of(root / "quiet" / "job.yaml"), version=1) == []
    client.open(uri_of(root / "bad" / "job.yaml"), BROKEN_JOB)
    assert [d["code"] for d in client.diagnostics(uri_of(root / "bad" / "job.yaml"), version=1)] == ["S002"]
    message = client.wait_for_notification("window/logMessage", lambda p: "ignorr" in p["message"])
    assert message["type"] == lsp.MessageType.Warning

    # Configuration files are read again when a document is saved.
    (root / "quiet" / ".openjd-lint.toml").write_text("")
    mark = client.mark()
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri_of(root / "quiet" / "job.yaml")}})
    diagnostics = client.diagnostics(uri_of(root / "quiet" / "job.yaml"), version=1, after=mark)
    assert [d["code"] for d in diagnostics] == ["S002"]


DRAFT_ENVIRONMENT = textwrap.dedent("""\
    specificationVersion: environment-2023-09
    extensions: [WRAP_TASK_RUN, EXPR, FEATURE_BUNDLE_1]
    environment:
      name: Container
      script:
        actions:
          onWrapTaskRun:
            command: "{{Task.Command}}"
            args: ["{{Task.Args}}"]
            timeout: "{{Env.Action.Timeout}}"
    """)


def test_informational_findings_are_hints_in_the_editor(shared, tmp_path):
    from openjd_lint.pipeline import lint_file
    from openjd_lint.rules import REGISTRY

    assert lint_file(DRAFT_ENVIRONMENT.encode(), "env.yaml", REGISTRY).diagnostics == []  # silent on the command line
    client, root = shared
    uri = uri_of(root / "draft-env.yaml")
    client.open(uri, DRAFT_ENVIRONMENT)
    (diagnostic,) = client.diagnostics(uri, version=1)
    assert diagnostic["code"] == "W002" and diagnostic["severity"] == lsp.DiagnosticSeverity.Hint


def slow_template(items: int) -> str:
    """A template whose analysis takes seconds: thousands of expressions, and one that uses up the
    evaluation allowance."""
    args = "".join(f'        - "{{{{Param.N + {i}}}}}"\n' for i in range(items))
    return textwrap.dedent("""\
        specificationVersion: jobtemplate-2023-09
        extensions: [EXPR]
        name: slow
        parameterDefinitions:
        - name: N
          type: INT
        steps:
        - name: Step
          let:
          - v = len([x * 2 for x in range(3000000)])
          script:
            actions:
              onRun:
                command: echo
                args:
        """) + args


def test_a_slow_analysis_blocks_neither_requests_nor_shutdown(tmp_path):
    client = LspClient(SERVER, cwd=str(tmp_path))
    client.initialize(uri_of(tmp_path))
    slow, quick, other = (uri_of(tmp_path / name) for name in ("slow.yaml", "quick.yaml", "other.yaml"))
    client.open(slow, slow_template(12_000))  # several seconds of analysis
    client.open(quick, FIXED_JOB)
    for uri in (slow, quick):
        started = time.monotonic()
        assert client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": 12, "character": 4}}, timeout=30) is None
        assert time.monotonic() - started < 4  # waited at most ANSWER_WITHIN for the analysis
    client.replace(quick, BROKEN_JOB, version=2)
    assert [d["code"] for d in client.diagnostics(quick, version=2, timeout=60)] == ["S002"]
    client.open(other, slow_template(12_000))
    started = time.monotonic()
    assert client.close() == 0
    assert time.monotonic() - started < 4


def test_hover_types_a_let_name_as_the_rules_do():
    """A name bound twice in one block: the rules keep the first binding (X011 reports the second), and so
    does the symbol table of hover and completion."""
    from openjd_lint.lsp.scope import symbols_for
    from openjd_lint.model.fields import format_string_fields
    from openjd_lint.pipeline import lint_bytes
    from openjd_lint.rules import REGISTRY

    template = ("specificationVersion: jobtemplate-2023-09\nextensions: [EXPR]\nname: Render\nsteps:\n"
                "- name: Frame\n  let:\n  - count = 1\n  - count = 'one'\n"
                "  script:\n    actions:\n      onRun:\n        command: render\n        args: ['{{count}}']\n")
    result = lint_bytes(template.encode(), "job.yaml", REGISTRY)
    assert [d.rule for d in result.diagnostics if d.rule.startswith("X")] == ["X011"]
    (arg,) = [field for field in format_string_fields(result.context) if field.value == "{{count}}"]
    assert str(symbols_for(result.context, arg)["count"]) == "int"
