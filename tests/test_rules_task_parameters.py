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


def test_literal_range_expressions_are_parsed_with_exact_offsets():
    template = t._job("    - {name: A, type: INT, range: '1-5, x'}\n"
                      "    - {name: B, type: INT, range: '1-9223372036854775808'}\n"
                      "    - {name: C, type: INT, range: '{{Param.Frames}}'}\n"
                      "    - {name: D, type: STRING, range: '1-x'}\n"
                      "    - {name: E, type: INT, range: '1-10:3,20'}\n")
    findings = run_rule(t.INVALID_RANGE_EXPRESSION, template)
    assert [(f.path[-2], f.chars) for f in findings] == [(0, (5, 6)), (1, (2, 21))]
    assert "int64" in findings[1].message


def test_range_expression_value_count_limit():
    template = t._job("    - {name: A, type: INT, range: '1-1025'}\n    - {name: B, type: INT, range: '1-1024'}\n"
                      "    - {name: C, type: INT, range: '1-2045:2,5000'}\n")
    findings = run_rule(t.TOO_MANY_VALUES, template)
    assert [f.path[-2] for f in findings] == [0]
    assert "1025 values" in findings[0].message


def combination_errors(parameters: str, combination: str) -> list:
    template = t._job(parameters, combination=f"    combination: \"{combination}\"\n")
    return [(f.message, f.chars) for f in run_rule(t.INVALID_COMBINATION, template)]


ABC = ("    - {name: A, type: INT, range: '1-3'}\n    - {name: B, type: INT, range: [1, 2, 3]}\n"
       "    - {name: C, type: STRING, range: [x, y]}\n")


def test_combination_syntax_names_and_sizes():
    assert combination_errors(ABC, "A * (B, C)") == [
        ("the members of an association must have the same number of values; they have 3, 2", (4, 10))]
    assert combination_errors(ABC, "(A, B) * C") == []
    assert combination_errors(ABC, "A B * C")[0][1] == (2, 3)
    messages = [m for m, _ in combination_errors(ABC, "A * D * A")]
    assert any("'D' is not a task parameter" in m for m in messages)
    assert any("'A' appears more than once" in m for m in messages)
    assert any("missing: 'B', 'C'" in m for m in messages)


def test_chunked_parameter_outside_associations_only():
    parameters = ("    - {name: F, type: 'CHUNK[INT]', range: '1-3', chunks: {defaultTaskCount: 1, "
                  "rangeConstraint: CONTIGUOUS}}\n    - {name: G, type: INT, range: '1-3'}\n")
    assert [m for m, _ in combination_errors(parameters, "(F, G)")] == [
        "'F' is a CHUNK[INT] parameter; it cannot be inside an association '( , )'"]
    assert combination_errors(parameters, "F * G") == []


def test_combinations_the_schema_rejects_are_left_to_it():
    assert combination_errors(ABC, "") == []
    assert combination_errors(ABC, "A\\tB") == []


def test_float_items_must_be_finite_and_string_items_non_empty():
    template = t._job("    - {name: A, type: FLOAT, range: [.nan, '1e309', 1.5, '{{Param.X}}']}\n"
                      "    - {name: B, type: STRING, range: ['', x, '']}\n    - {name: C, type: PATH, range: ['']}\n")
    assert [f.path[-3:] for f in run_rule(t.NOT_FINITE_ITEM, template)] == [(0, "range", 0), (0, "range", 1)]
    assert [f.path[-3:] for f in run_rule(t.EMPTY_STRING_ITEM, template)] == [(1, "range", 0), (1, "range", 2)]
