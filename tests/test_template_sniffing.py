"""Which files are templates: under a directory walk and `--only-templates`, a file is a template when its
raw text has a `specificationVersion` key, so files that are not templates are skipped silently even when
they do not parse, and a broken template is still reported."""

import json

import pytest

from openjd_lint.discover import declares_specification_version
from test_cli import GOOD, cli

HELM_CHART = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "chart.fullname" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
"""
NOT_TEMPLATES = {
    "chart/templates/deployment.yaml": HELM_CHART,
    "empty.yaml": "",
    "comments-only.yml": "# nothing here yet\n",
    "tabs.yaml": "root:\n\tchild: 1\n",
    "settings.json": '{\n  // a comment\n  "specification": 1,\n}\n',
    "mentions.yaml": "# specificationVersion: jobtemplate-2023-09\nnote: see specificationVersion: in the docs\n",
    "config.yaml": "just: some config\n",
}
BROKEN_TEMPLATE = GOOD.replace("        command: render\n", "\tcommand: render\n")


@pytest.mark.parametrize("text, expected", [
    (b"specificationVersion: jobtemplate-2023-09\n", True),
    (b"name: x\n  specificationVersion: 'environment-2023-09'\n", True),
    (b"'specificationVersion' : x\n", True),
    (b'{"name": "x", "specificationVersion": "jobtemplate-2023-09"}', True),
    (b'{\n  "specificationVersion"\n  : 1}', True),
    ("specificationVersion: jobtemplate-2023-09\n".encode("utf-16"), True),
    (b"\xef\xbb\xbfspecificationVersion: x\n", True),
    (b"", False),
    (b"# specificationVersion: jobtemplate-2023-09\n", False),
    (b"name: specificationVersion: x\n", False),
    (b'x: "specificationVersion"\n', False),
    (b"specificationVersion jobtemplate-2023-09\n", False),
    (b"'specificationVersion\": x\n", False),
])
def test_the_raw_text_decides(text, expected):
    assert declares_specification_version(text) is expected


def write(root, files: dict):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def checked(*args, cwd) -> tuple:
    result = cli("check", "--no-cache", "--format", "json", *args, cwd=cwd)
    document = json.loads(result.stdout)
    return result.returncode, document["files_checked"], sorted({f["file"] for f in document["findings"]})


def test_a_walk_skips_files_that_are_not_templates_even_when_they_do_not_parse(tmp_path):
    write(tmp_path, {**NOT_TEMPLATES, "job.yaml": GOOD})
    assert checked(".", cwd=tmp_path) == (0, 1, [])
    write(tmp_path, {"broken.yaml": BROKEN_TEMPLATE})
    code, files, reported = checked(".", cwd=tmp_path)
    assert (code, files, reported) == (1, 2, ["broken.yaml"])


def test_only_templates_skips_named_files_that_are_not_templates(tmp_path):
    write(tmp_path, {**NOT_TEMPLATES, "broken.yaml": BROKEN_TEMPLATE})
    assert checked("--only-templates", *NOT_TEMPLATES, cwd=tmp_path) == (0, 0, [])
    assert checked("--only-templates", *NOT_TEMPLATES, "broken.yaml", cwd=tmp_path) == (1, 1, ["broken.yaml"])


def test_named_files_are_always_checked(tmp_path):
    write(tmp_path, NOT_TEMPLATES)
    code, files, reported = checked(*NOT_TEMPLATES, cwd=tmp_path)
    assert (code, files) == (1, len(NOT_TEMPLATES))
    assert reported == sorted(NOT_TEMPLATES)


def test_a_nested_key_of_a_document_that_parses_is_not_a_template(tmp_path):
    write(tmp_path, {"bundle.yaml": "jobs:\n  specificationVersion: jobtemplate-2023-09\n"})
    assert checked(".", cwd=tmp_path) == (0, 0, [])
