from conftest import run_rule

from openjd_lint.rules import task_parameters as t


def test_int64_text_items_of_integer_ranges():
    template = t._job("    - {name: A, type: INT, range: ['-9223372036854775809', 9223372036854775808, '{{Param.X}}', '7']}\n"
                      "    - {name: B, type: STRING, range: ['9223372036854775808']}\n"
                      "    - {name: C, type: 'chunk[int]', range: ['99999999999999999999']}\n")
    assert [f.path[-3:] for f in run_rule(t.INT64_RANGE_ITEM, template)] == [(0, "range", 0), (2, "range", 0)]


def test_only_one_chunk_parameter_per_step_reported_at_each_extra():
    template = t._job("".join(f"    - {{name: P{i}, type: 'CHUNK[INT]', range: '1-2'}}\n" for i in range(3)))
    findings = run_rule(t.SINGLE_CHUNK, template)
    assert [f.path[-2] for f in findings] == [1, 2]
    assert "'P0' already is one" in findings[0].message
