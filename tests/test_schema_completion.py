"""The JSON Schemas as an editor reads them: yaml-language-server (from npm; .ci/run installs it) offers
each key once, and a key an extension gates only where the template declares that extension."""

import shutil
import time

import pytest

from lsp_client import LspClient
from openjd_lint.rule_api import MINIMAL_JOB
from test_cli import ROOT

SERVER = shutil.which("yaml-language-server")
needs_server = pytest.mark.skipif(SERVER is None, reason="yaml-language-server is not on PATH (.ci/run installs it)")

ENVIRONMENT = """\
specificationVersion: environment-2023-09
{extensions}environment:
  name: Wrap
  script:
    actions:
      onEnter:
        command: echo
      
"""
JOB = MINIMAL_JOB.replace("name: Render\n", "{extensions}name: Render\n", 1) + "    \n"  # in the step's script


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    client = LspClient([SERVER, "--stdio"], cwd=str(tmp_path_factory.mktemp("yls")))
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}}, timeout=30)
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {"completion": True, "validate": True}}})
    yield client
    client.process.kill()


def labels(server, schema: str, text: str, number=iter(range(1, 1000))) -> list:
    """Completion labels at the end of the last (blank, indented) line of `text`, with the schema attached
    by a modeline."""
    text = f"# yaml-language-server: $schema={(ROOT / 'schemas' / schema).as_uri()}\n{text}"
    uri = f"file:///completion-{next(number)}.yaml"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    lines = text.split("\n")
    position = {"line": len(lines) - 2, "character": len(lines[-2])}
    for _ in range(20):  # the server loads the schema from disk on first use
        result = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position},
                                timeout=30)
        items = result["items"] if isinstance(result, dict) else result or []
        if items:
            return sorted(item["label"] for item in items)
        time.sleep(0.2)
    return []


@needs_server
@pytest.mark.parametrize("extensions, offered", [
    ("", ["onExit"]),
    ("extensions: [WRAP_ACTIONS, EXPR]\n", ["onExit", "onWrapEnvEnter", "onWrapEnvExit", "onWrapTaskRun"]),
    ("extensions: [WRAP_TASK_RUN, EXPR]\n", ["onExit", "onWrapTaskRun"]),
])
def test_environment_actions_are_offered_once_and_wrap_hooks_only_with_their_extension(server, extensions, offered):
    assert labels(server, "environment-2023-09.schema.json", ENVIRONMENT.format(extensions=extensions)) == offered


@needs_server
@pytest.mark.parametrize("extensions, offered", [
    ("", ["embeddedFiles"]),
    ("extensions: [EXPR]\n", ["embeddedFiles", "let"]),
    ("extensions: [FEATURE_BUNDLE_1]\n", ["embeddedFiles"]),
])
def test_step_script_keys_are_offered_once_and_let_only_with_expr(server, extensions, offered):
    assert labels(server, "jobtemplate-2023-09.schema.json", JOB.format(extensions=extensions)) == offered


@needs_server
def test_top_level_keys_are_offered_once(server):
    offered = labels(server, "environment-2023-09.schema.json", "specificationVersion: environment-2023-09\n\n")
    keys = [label for label in offered if not label.startswith("OpenJD")]
    assert sorted(keys) == sorted(set(keys)) and {"extensions", "parameterDefinitions", "environment"} <= set(keys)


def test_ci_installs_yaml_language_server():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "npm install" in ci and "yaml-language-server" in ci
    assert ci.index("yaml-language-server") < ci.rindex("python -m pytest")
