"""The JSON Schema files: valid 2020-12 schemas, generated, documented, and accepting every valid fixture."""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from openjd_lint.load.tree import to_plain
from openjd_lint.load.yaml_loader import load_bytes
from openjd_lint.validation.errors import ErrorCompiler
from openjd_lint.validation.validator import schema_for

REPO = Path(__file__).resolve().parents[1]
SCHEMA_DIR = Path(importlib.util.find_spec("openjd_lint.schemas").origin).parent  # what the package ships
CONFORMANCE = REPO.parent / "shared" / "conformance"
SCHEMA_FILES = ["jobtemplate-2023-09.schema.json", "environment-2023-09.schema.json"]
KNOWN_EXTENSIONS = {"TASK_CHUNKING", "REDACTED_ENV_VARS", "FEATURE_BUNDLE_1", "EXPR", "WRAP_TASK_RUN", "WRAP_ACTIONS"}


def _schema(file_name: str) -> dict:
    return json.loads((SCHEMA_DIR / file_name).read_text(encoding="utf-8"))


def _generator():
    spec = importlib.util.spec_from_file_location("generate_schemas", REPO / "tools" / "generate_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _subschemas(node, in_condition: bool = False):
    """Every schema object, with a flag telling whether it only decides a condition (`if`, `not`) or
    belongs to an extension gate (whose properties shadow documented ones)."""
    if isinstance(node, dict):
        yield node, in_condition
        for key, value in node.items():
            if key in ("enum", "const", "examples", "x-openjd-values", "required", "dependentRequired"):
                continue
            child_condition = in_condition or key in ("if", "not", "contains")
            if key == "$defs":
                for name, child in value.items():
                    yield from _subschemas(child, child_condition or name.startswith(("with-", "without-")))
            elif key == "properties":
                for child in value.values():
                    yield from _subschemas(child, child_condition)
            else:
                yield from _subschemas(value, child_condition)
    elif isinstance(node, list):
        for item in node:
            yield from _subschemas(item, in_condition)


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_schema_is_a_valid_2020_12_schema(file_name):
    schema = _schema(file_name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(file_name)


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_committed_schema_equals_generator_output(file_name):
    generator = _generator()
    assert (SCHEMA_DIR / file_name).read_text(encoding="utf-8") == generator.render(generator.SCHEMAS[file_name]()), (
        "run tools/generate_schemas.py")


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_every_property_has_title_and_description(file_name):
    missing = []
    for node, in_condition in _subschemas(_schema(file_name)):
        if in_condition:
            continue
        for key, child in node.get("properties", {}).items():
            if isinstance(child, dict) and (child.get("title") is None or child.get("description") is None):
                missing.append(key)
    assert missing == []


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_annotations_give_the_linter_its_wording(file_name):
    for node, in_condition in _subschemas(_schema(file_name)):
        if "x-openjd-requires" in node:
            assert node["x-openjd-requires"] in KNOWN_EXTENSIONS
            assert node.get("x-openjd-feature")
            assert node.get("errorMessage")
        elif "pattern" in node and not in_condition:
            assert "x-openjd-form" in node or "x-openjd-values" in node, node["pattern"]
            assert node.get("patternErrorMessage"), node["pattern"]


def test_job_schema_offers_every_extension_and_allows_schema_key():
    schema = _schema("jobtemplate-2023-09.schema.json")
    assert set(schema["properties"]["extensions"]["items"]["enum"]) == KNOWN_EXTENSIONS
    assert "$schema" in schema["properties"]
    assert "$schema" not in _schema("environment-2023-09.schema.json")["properties"]


def _valid_fixture_documents():
    if not CONFORMANCE.is_dir():
        return []
    with open(CONFORMANCE / "INDEX.tsv", encoding="utf-8") as index:
        rows = list(csv.DictReader(index, delimiter="\t"))
    documents = []
    for row in rows:
        path = CONFORMANCE / row["path"]
        if row["proposed"] == "yes" or ".invalid." in path.name:
            continue
        loaded = load_bytes(path.read_bytes(), str(path), is_json=path.suffix == ".json")
        plain = to_plain(loaded.root)
        if path.name.endswith(".test.yaml"):
            documents.append((f"{row['path']}:template", plain["template"]))
            documents.extend((f"{row['path']}:environments[{i}]", env)
                             for i, env in enumerate(plain.get("environments") or []))
        else:
            documents.append((row["path"], plain))
    return documents


_VALID_DOCUMENTS = _valid_fixture_documents()


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"conformance fixtures not found at {CONFORMANCE}")
@pytest.mark.parametrize("name,document", _VALID_DOCUMENTS, ids=[name for name, _ in _VALID_DOCUMENTS])
def test_valid_fixture_validates_with_plain_jsonschema(name, document):
    file_name = ("environment" if document["specificationVersion"].startswith("environment") else "jobtemplate")
    validator = Draft202012Validator(_schema(f"{file_name}-2023-09.schema.json"))
    assert [error.message for error in validator.iter_errors(document)] == []


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"conformance fixtures not found at {CONFORMANCE}")
@pytest.mark.parametrize("name,document", _VALID_DOCUMENTS, ids=[name for name, _ in _VALID_DOCUMENTS])
def test_valid_fixture_passes_the_compiled_checker(name, document):
    layer = schema_for("environment" if document["specificationVersion"].startswith("environment") else "job")
    assert layer.is_valid(document)
    assert [error.message for error in layer.errors(document)] == []


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_every_subschema_compiles_into_an_error_reporter(file_name):
    # the checker compiles a subschema's reporter only when it first reports there: compile them all now,
    # so that a keyword it cannot report fails here rather than on some template
    schema = _schema(file_name)
    compiler = ErrorCompiler(schema)
    subschemas = [node for node, _ in _subschemas(schema)]
    for node in subschemas:
        compiler.compile(node)
    assert len(subschemas) > 400


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"conformance fixtures not found at {CONFORMANCE}")
def test_fixture_set_covers_every_template_kind():
    names = [name for name, _ in _VALID_DOCUMENTS]
    assert any("/job_templates/" in n for n in names)
    assert any("/env_templates/" in n for n in names)
    assert any(n.endswith(":template") for n in names)
    assert any(":environments[" in n for n in names)


_NODE = shutil.which("node")
_COMPILE_PATTERNS_IN_JS = """
const bad = [];
const walk = (x) => {
  if (Array.isArray(x)) return x.forEach(walk);
  if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) {
    if (k === 'pattern' && typeof v === 'string') { try { new RegExp(v, 'u'); } catch (e) { bad.push(v); } }
    else walk(v);
  }
};
walk(JSON.parse(require('fs').readFileSync(0, 'utf8')));
console.log(JSON.stringify(bad));
"""


@pytest.mark.skipif(_NODE is None, reason="node is not installed")
@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_patterns_compile_as_ecmascript_unicode_regexes_for_editors(file_name):
    result = subprocess.run([_NODE, "-e", _COMPILE_PATTERNS_IN_JS], input=(SCHEMA_DIR / file_name).read_text(),
                            capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout) == []
