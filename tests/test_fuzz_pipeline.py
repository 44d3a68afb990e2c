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


# --- the categories of hostile input (benchmarks/fuzz.py runs them over far more inputs) ----------------

ODD_NUMERALS = st.one_of(
    st.integers(-2 ** 70, 2 ** 70).map(str),
    st.sampled_from(["0x_", "0x1F", "0o8", "0b102", "1_000", "_1", "1e309", "-1e309", "1e-400", ".inf", ".nan",
                     "9223372036854775808", "-9223372036854775809", "0x" + "f" * 4000, "1.5e", "١٢"]),
    st.integers(4290, 4310).map(lambda digits: "9" * digits),
)
@FUZZ
@given(ODD_NUMERALS, ODD_NUMERALS, ODD_NUMERALS, ODD_NUMERALS)
def test_odd_numerals_in_parameters_ranges_and_expressions(default, minimum, last, expression):
    template = (EXPR_JOB.replace("  type: INT\n", f"  type: INT\n  default: {default}\n  minValue: {minimum}\n", 1)
                .replace('range: "1-10"', f'range: "1-{last}"').replace("{arg}", f'"{{{{ {expression} + Param.X }}}}"'))
    lint_everything(template.encode(), "numerals.yaml")


SURROGATE_TEXT = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.sampled_from("a é{}'\"\\"),
                         max_size=8)


@FUZZ
@given(SURROGATE_TEXT, SURROGATE_TEXT)
def test_lone_surrogates_in_names_arguments_and_comprehensions(name, value):
    literal = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    document = {"specificationVersion": "jobtemplate-2023-09", "extensions": ["EXPR"], "name": name,
                "steps": [{"name": "Step " + name, "let": [f"items = [v + 'x' for v in [{literal}, {literal}]]"],
                           "script": {"actions": {"onRun": {"command": "echo", "args": [
                               value, "{{ repr_sh(items) }}", "{{ re_findall(" + literal + ", '.') }}"]}}}}]}
    lint_everything(json.dumps(document).encode(), "surrogates.json")  # \\udxxx escapes decode to lone surrogates


REGEX_PARTS = st.sampled_from(["a", "b", "(", ")", "(?:", "+", "*", "?", "|", "\\\\d", "\\\\w", "\\\\s", "[", "]", "[^",
                               "^", "$", "{2}", "{,3}", "{1001}", "(?i)", "(?s)", "(?=", "\\\\1", "\\\\b", ".", "\\\\"])


@FUZZ
@given(st.sampled_from(["re_match", "re_search", "re_findall", "re_sub", "re_split"]),
       st.sampled_from(["'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'", "'a' * 100000", "Param.S", "'ab1 é'"]),
       st.lists(REGEX_PARTS, max_size=14).map("".join))
def test_regex_heavy_expressions(function, text, pattern):
    arguments = [text, "'" + pattern.replace("'", "\\\\'") + "'"] + (["'-'"] if function == "re_sub" else [])
    lint_everything(EXPR_JOB.replace("{arg}", '"{{ ' + f"{function}({', '.join(arguments)})" + ' }}"').encode(),
                    "regex.yaml")


@FUZZ
@given(st.sampled_from(["v", "v * 2", "string(v)", "[v]", "[w for w in [v, v]]", "Task.Param.Frame", "v.upper()"]),
       st.sampled_from(["range(3)", "range(3000000)", "range_expr('1-1000')", "['a', 'b']", "[[1], [2]]",
                        "range(Param.X)", "'a b'.split()", "[v for v in range(100000)]", "[]"]),
       st.sampled_from(["", " if v", " if v > 1", " if len(string(v)) < 3", " if 1 // 0"]))
def test_comprehensions(element, iterable, condition):
    lint_everything(EXPR_JOB.replace("{arg}", f'"{{{{ [{element} for v in {iterable}{condition}] }}}}"').encode(),
                    "comprehension.yaml")
