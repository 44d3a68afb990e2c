"""Property tests through the whole per-file pipeline (load, schema, rules, configuration, suppressions,
reporters): whatever the bytes, the linter returns well-formed findings and never raises.
`benchmarks/fuzz.py` runs the same idea over far more inputs by hand."""

import json
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML

from openjd_lint.config import Config
from openjd_lint.reporters import github, json as json_reporter, text
from openjd_lint.rules import REGISTRY
from openjd_lint.pipeline import lint_file
from openjd_lint.run import RunResult

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

SEEDS = sorted(p for root in (CONFORMANCE, EXAMPLES) if root.is_dir()
               for p in root.rglob("*") if p.suffix in (".yaml", ".json") and p.is_file())
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [b"{{", b"}}", b"&a ", b"*a", b"<<: *a", b"!!binary ", b"!!int ", b"? ", b"- ", b": ", b"[", b"]", b"{",
          b"}", b",", b"#", b"'", b'"', b"|", b">-", b"\t", b"\n", b"\r", b"\x00", b"\xef\xbb\xbf", b"\xff", b"\xc3",
          b"---\n", b"9223372036854775808", b"1e999", b".nan", b"null", b"0x", b"\xf0\x9f\x98\x80", b"  ",
          b"{{Param.", b"{{Task.Param.", b"{{ range(0, 9223372036854775807) }}", b"# openjd-lint: disable="]

KEYS = ["specificationVersion", "name", "steps", "script", "actions", "onRun", "command", "args", "parameterSpace",
        "taskParameterDefinitions", "type", "range", "parameterDefinitions", "default", "minValue", "jobEnvironments",
        "stepEnvironments", "variables", "embeddedFiles", "data", "filename", "dependencies", "dependsOn",
        "hostRequirements", "amounts", "attributes", "extensions", "let", "timeout", "combination", "wrap"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70), st.floats(),
                    st.sampled_from(["jobtemplate-2023-09", "environment-2023-09", "INT", "STRING", "PATH", "FLOAT",
                                     "CHUNK[INT]", "{{Param.X}}", "{{Task.Param.Frame}}", "1-10", "EXPR"]),
                    st.text(max_size=20))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5), max_leaves=30)
EXPRESSION_ALPHABET = "{}()[],.:+-*/%<>=!'\"\\ _ParmTskSionEvWdfl0123456789xy"

EXPR_JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR]
name: fuzz
parameterDefinitions:
- name: X
  type: INT
- name: S
  type: STRING
steps:
- name: Step
  parameterSpace:
    taskParameterDefinitions:
    - name: Frame
      type: INT
      range: "1-10"
  script:
    actions:
      onRun:
        command: echo
        args: [{arg}]
"""


def lint_everything(data: bytes, name: str) -> None:
    result = lint_file(data, name, REGISTRY, Config())
    for d in result.diagnostics:
        assert REGISTRY.get(d.rule) is not None and d.name == REGISTRY.get(d.rule).name
        assert d.line >= 1 and d.column >= 1 and (d.end_line, d.end_column) >= (d.line, d.column), d
    run = RunResult(diagnostics=result.diagnostics, files_checked=1,
                    sources={name: result.source} if result.source is not None else {})
    for reporter in (text, json_reporter, github):
        reporter.render(run, color=reporter is text)


@st.composite
def mutated_seeds(draw):
    path = draw(st.sampled_from(SEEDS))
    data = path.read_bytes()
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["token", "bytes", "delete", "duplicate", "splice"]))
        if operation == "token":
            data = data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
        elif operation == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif operation == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif operation == "duplicate":
            data = data[:at] + data[at:at + draw(st.integers(1, 128))] * 2 + data[at:]
        else:
            other = draw(st.sampled_from(SEEDS)).read_bytes()
            data = data[:at] + other[draw(st.integers(0, len(other))):]
    return path.name, data


@pytest.mark.skipif(not SEEDS, reason="no seed templates (../shared/conformance and examples/ are absent)")
@FUZZ
@given(mutated_seeds())
def test_mutated_templates(seed):
    name, data = seed
    lint_everything(data, name)


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, min_size=1, max_size=6), st.booleans())
def test_random_yaml_documents(document, as_json):
    document.setdefault("specificationVersion", "jobtemplate-2023-09")
    if as_json:
        lint_everything(json.dumps(document, allow_nan=True).encode(), "fuzz.json")
    else:
        out = StringIO()
        YAML(typ="safe", pure=True).dump(document, out)
        lint_everything(out.getvalue().encode("utf-8", errors="surrogatepass"), "fuzz.yaml")


@FUZZ
@given(st.text(alphabet=EXPRESSION_ALPHABET, max_size=60))
def test_random_format_strings(value):
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lint_everything(EXPR_JOB.replace("{arg}", quoted).encode(), "fuzz.yaml")


@FUZZ
@given(st.lists(st.sampled_from(["{{", "}}", "Param.X", "Param.S", "Task.Param.Frame", " + ", " if ", " else ",
                                 "(", ")", "[", "]", ",", "1", "'a'", "len(", "range(", "repr_sh(", "Env.", " "]),
                max_size=20))
def test_format_strings_from_expression_parts(parts):
    value = "".join(parts)
    lint_everything(EXPR_JOB.replace("{arg}", '"' + value.replace('"', '\\"') + '"').encode(), "fuzz.yaml")
