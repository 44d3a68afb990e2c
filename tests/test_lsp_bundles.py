"""A job bundle's parameter values file in the language server: diagnostics, completion of parameter names,
hover with the definition; and the B findings of a bundle's template."""

from __future__ import annotations

import sys

from lsp_client import LspClient
from test_bundles import TEMPLATE, make_bundle

SERVER = [sys.executable, "-m", "openjd_lint", "lsp"]


def _position(text: str, marker: str, after: int = 0) -> dict:
    offset = text.index(marker) + after
    return {"line": text.count("\n", 0, offset), "character": offset - (text.rfind("\n", 0, offset) + 1)}


def test_parameter_values_in_the_editor(tmp_path):
    bundle = make_bundle(tmp_path / "b", template=TEMPLATE.replace("scenes/shot.blend", "scenes/gone.blend"))
    values_uri = (bundle / "parameter_values.yaml").as_uri()
    unsaved = "parameterValues:\n- name: Qualty\n  value: 90\n- name: Quality\n  value: high\n- name: \n"
    server = LspClient(SERVER, cwd=str(tmp_path))
    try:
        server.initialize(tmp_path.as_uri())
        server.open(values_uri, unsaved)  # the editor's text, not the file on disk
        found = {(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"])
                 for d in server.diagnostics(values_uri, version=1)}
        # the entry being typed has no name yet, and no value
        assert found == {("B005", 1, 8), ("B007", 4, 9), ("B004", 5, 2), ("B004", 5, 7)}

        items = server.request("textDocument/completion", {"textDocument": {"uri": values_uri},
                                                           "position": _position(unsaved, "- name: \n", 8)})["items"]
        labels = [item["label"] for item in items]
        assert labels[:6] == ["SceneFile", "OutputDir", "Frames", "Quality", "CondaPackages", "Format"]
        assert "deadline:priority" in labels
        assert next(i for i in items if i["label"] == "Quality")["detail"] == "INT"

        hover = server.request("textDocument/hover", {"textDocument": {"uri": values_uri},
                                                      "position": _position(unsaved, "Quality\n", 2)})
        text = hover["contents"]["value"]
        assert text.startswith("`Quality`: INT, minValue 1, maxValue 100, default 80")
        assert "template.yaml on line 7" in text
        assert hover["range"]["start"] == {"line": 3, "character": 8}

        template_uri = (bundle / "template.yaml").as_uri()
        server.open(template_uri, (bundle / "template.yaml").read_text())
        assert [(d["code"], d["range"]["start"]["line"]) for d in server.diagnostics(template_uri, version=1)] == [
            ("B011", 3)]
    finally:
        assert server.close() == 0
