"""Hostile expressions: whatever a template computes from constants, linting and `expand` stay within
about a second of evaluation and a few hundred megabytes (the spec's limits are X007 errors; the
linter's own allowance running out is one X016 warning per file)."""

import json
import time

import pytest

from test_hostile_input import check, run

JOB = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR]
name: hostile
parameterDefinitions:
- name: N
  type: INT
  default: 3
steps:
- name: Step
  let:
%s
  script:
    actions:
      onRun:
        command: echo
        args: ["{{Param.N}}"]
"""


def template(*expressions: str) -> bytes:
    return (JOB % "\n".join(f"  - {json.dumps(f'v{i} = {e}')}" for i, e in enumerate(expressions))).encode()


def findings(outcome) -> list:
    return [(f["rule"], f["line"], f["column"]) for f in json.loads(outcome.stdout)["findings"]]


@pytest.mark.parametrize("expression, rule, at", [
    ("len([x for x in range(3000000)])", "X016", "len"),
    ("[x * 2 for x in range(300000)]", "X016", "["),
    ("len(re_findall('a' * 10000000, 'a'))", "X016", "len"),
    ("len(join(['abcdefgh' for x in range(1000000)], ','))", "X016", "len"),
    ("len(sorted(range(9000000)))", "X016", "len"),
    ("len(string([['x' * 1000000] * 100] * 100))", "X007", "['x'"),  # 10 GB once rendered
    ("len(repr_json([['x' * 100000] * 1000] * 1000))", "X007", "['x'"),
    ("len(flatten([[1] * 100000] * 1000))", "X007", "[[1]"),
    ("len(re_sub('a' * 2000, 'a', 'x' * 100000))", "X007", "re_sub"),
    ("re_match('" + "a" * 40 + "!', '(a+)+$')", None, None),
])  # fmt: skip
def test_bounded_evaluation(tmp_path, expression, rule, at):
    started = time.perf_counter()
    outcome = check(tmp_path, "job.yaml", template(expression))
    assert time.perf_counter() - started < 30
    assert findings(outcome) == ([(rule, 11, 11 + expression.index(at))] if rule else [])


def test_the_allowance_is_shared_by_the_file_and_reported_once(tmp_path):
    outcome = check(tmp_path, "job.yaml", template(*["len([x for x in range(999999)])"] * 40, "1 // 0"))
    assert findings(outcome) == [("X016", 11, 11)]


def test_ordinary_expressions_never_run_out(tmp_path):
    lets = [f"max(min([n * {i} + len(string(n)) for n in [1, 2, 3]]), 7 * {i})" for i in range(45)]
    outcome = check(tmp_path, "job.yaml", template(*lets, "1 // 0"))
    assert findings(outcome) == [("X007", 56, 12)]


def test_expand_stops_a_costly_expression(tmp_path):
    (tmp_path / "job.yaml").write_bytes(template("1").replace(
        b'args: ["{{Param.N}}"]', b'args: ["{{len([x * 2 for x in range(Param.N)])}}"]'))
    outcome = run("expand", "-p", "N=5000000", "job.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    assert outcome.code == 1 and "more work than the linter allows" in outcome.stdout + outcome.stderr
