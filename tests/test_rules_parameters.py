from conftest import run_rule

from openjd_lint.findings import Severity
from openjd_lint.rules import parameters as p


def job(parameters: str) -> str:
    return p._job(parameters)


def paths(rule, parameters: str) -> list:
    return [f.path[2:] for f in run_rule(rule, job(parameters))]


def test_min_exceeds_max_on_parameter_and_item_levels():
    template = ("- {name: A, type: STRING, minLength: 5, maxLength: 2}\n"
                "- {name: B, type: FLOAT, minValue: '2.5', maxValue: 1}\n"
                "- {name: C, type: 'LIST[LIST[INT]]', item: {minLength: 3, maxLength: 1, item: {minValue: 9, maxValue: 1}}}\n"
                "- {name: D, type: INT, minValue: 1, maxValue: 1}\n")
    assert paths(p.MIN_EXCEEDS_MAX, template) == [("minLength",), ("minValue",), ("item", "minLength"),
                                                  ("item", "item", "minValue")]


def test_default_and_allowed_values_against_bounds():
    template = ("- {name: A, type: STRING, minLength: 3, default: ab, allowedValues: [abc, x]}\n"
                "- {name: B, type: INT, minValue: 0, maxValue: '10', default: '11'}\n"
                "- {name: C, type: 'LIST[STRING]', minLength: 1, default: []}\n"
                "- {name: D, type: 'LIST[PATH]', default: [''], item: {minLength: 1}}\n"
                "- {name: E, type: 'LIST[FLOAT]', default: [-1.0, 2], item: {minValue: 0.0}}\n"
                "- {name: F, type: 'LIST[LIST[INT]]', maxLength: 1, default: [[1, 2, 3], [999]],"
                " item: {maxLength: 2, item: {maxValue: 100}}}\n")
    assert paths(p.VALUE_OUT_OF_BOUNDS, template) == [
        ("default",), ("allowedValues", 1), ("default",), ("default",), ("default", 0), ("default", 0),
        ("default",), ("default", 0), ("default", 1, 0)]


def test_bounds_message_names_value_and_limit():
    [finding] = run_rule(p.VALUE_OUT_OF_BOUNDS, job("- {name: A, type: INT, maxValue: 10, default: 11}\n"))
    assert finding.message == "default 11 is above maxValue 10"
    assert finding.related[0].path == ("parameterDefinitions", 0, "maxValue")


def test_default_must_be_allowed_compared_by_value():
    template = ("- {name: A, type: PATH, default: /other, allowedValues: [/a, /b]}\n"
                "- {name: B, type: FLOAT, default: '1.0', allowedValues: [1, 2]}\n"
                "- {name: C, type: INT, default: 4, allowedValues: ['1', '2']}\n"
                "- {name: D, type: 'LIST[INT]', default: [1, 99], item: {allowedValues: [1, 2]}}\n"
                "- {name: E, type: 'LIST[LIST[INT]]', default: [[99]], item: {item: {allowedValues: [1]}}}\n")
    assert paths(p.NOT_ALLOWED, template) == [("default",), ("default",), ("default", 1), ("default", 0, 0)]


def test_int64_bounds_on_text_values_only():
    template = ("- {name: A, type: INT, default: '9223372036854775808', minValue: '-9223372036854775808',"
                " allowedValues: ['-9223372036854775809', 9223372036854775808]}\n")
    assert paths(p.INT64_RANGE, template) == [("default",), ("allowedValues", 0)]


def test_non_finite_floats():
    template = ("- {name: A, type: FLOAT, default: .nan, allowedValues: ['1e309', .inf]}\n"
                "- {name: B, type: 'LIST[FLOAT]', default: [.inf, 1.0]}\n")
    assert paths(p.NOT_FINITE, template) == [("default",), ("allowedValues", 0), ("default", 0)]


def test_controls_and_allowed_values():
    template = ("- {name: A, type: STRING, userInterface: {control: CHECK_BOX}}\n"
                "- {name: B, type: INT, userInterface: {control: DROPDOWN_LIST}}\n"
                "- {name: C, type: BOOL, userInterface: {control: CHECK_BOX}}\n"
                "- {name: D, type: PATH, allowedValues: [/a], userInterface: {control: CHOOSE_INPUT_FILE}}\n"
                "- {name: E, type: STRING, allowedValues: [a], userInterface: {control: HIDDEN}}\n")
    assert paths(p.CONTROL_NEEDS_ALLOWED, template) == [("userInterface", "control")] * 2
    assert [f.path[1] for f in run_rule(p.CONTROL_FORBIDS_ALLOWED, job(template))] == [3]


def test_check_box_pairs_case_and_order_insensitive():
    template = ("- {name: A, type: STRING, allowedValues: ['Off', 'ON'], userInterface: {control: CHECK_BOX}}\n"
                "- {name: B, type: STRING, allowedValues: ['TRUE'], userInterface: {control: CHECK_BOX}}\n"
                "- {name: C, type: STRING, allowedValues: [true, yes], userInterface: {control: CHECK_BOX}}\n"
                "- {name: D, type: STRING, allowedValues: ['1', '0'], userInterface: {control: CHECK_BOX}}\n")
    assert [f.path[1] for f in run_rule(p.CHECK_BOX_VALUES, job(template))] == [1, 2]


def test_ui_fields_follow_the_effective_control():
    template = ("- {name: A, type: INT, allowedValues: [1], userInterface: {singleStepDelta: 1}}\n"
                "- {name: B, type: FLOAT, userInterface: {control: HIDDEN, decimals: 2}}\n"
                "- {name: C, type: PATH, userInterface: {fileFilters: [{label: T, patterns: ['*.txt']}]}}\n"
                "- {name: D, type: PATH, objectType: FILE, userInterface: {fileFilterDefault: {label: T, patterns: ['*']}}}\n"
                "- {name: E, type: FLOAT, userInterface: {decimals: 2, singleStepDelta: 0.5}}\n"
                "- {name: F, type: 'LIST[INT]', userInterface: {singleStepDelta: 1}}\n"
                "- {name: G, type: STRING, userInterface: {decimals: 2}}\n")
    findings = run_rule(p.UI_FIELD_CONTROL, job(template))
    assert [f.path[1:] for f in findings] == [(0, "userInterface", "singleStepDelta"),
                                             (1, "userInterface", "decimals"), (2, "userInterface", "fileFilters")]
    assert all(f.on_key for f in findings)
    assert "DROPDOWN_LIST (the default for this parameter)" in findings[0].message
    assert [f.severity for f in findings] == [Severity.WARNING, None, Severity.WARNING]


def test_object_type_must_match_the_chooser():
    template = ("- {name: A, type: PATH, objectType: DIRECTORY, userInterface: {control: CHOOSE_INPUT_FILE}}\n"
                "- {name: B, type: PATH, userInterface: {control: CHOOSE_OUTPUT_FILE}}\n"
                "- {name: C, type: 'LIST[PATH]', objectType: FILE, userInterface: {control: CHOOSE_DIRECTORY_LIST}}\n"
                "- {name: D, type: PATH, objectType: FILE, userInterface: {control: CHOOSE_OUTPUT_FILE}}\n")
    assert [f.path[1] for f in run_rule(p.OBJECT_TYPE_CONTROL, job(template))] == [0, 2]


def test_wrong_types_are_left_to_the_schema():
    template = ("- {name: A, type: INT, minValue: [1], maxValue: {a: 1}, default: true, allowedValues: 3}\n"
                "- {name: B, type: 'LIST[INT]', default: 5, item: [1]}\n"
                "- {name: C, type: [INT], userInterface: 7}\n- 12\n")
    for rule in p.RULES:
        assert run_rule(rule, job(template)) == [], rule.id


def test_range_expr_default_parses():
    template = ("- {name: A, type: RANGE_EXPR, default: 'not-a-range'}\n"
                "- {name: B, type: RANGE_EXPR, default: '1-9223372036854775808'}\n"
                "- {name: C, type: RANGE_EXPR, default: '1-10:2, 20'}\n- {name: D, type: STRING, default: x-y}\n")
    findings = run_rule(p.RANGE_EXPR_DEFAULT, job(template))
    assert [(f.path[1], f.chars) for f in findings] == [(0, (0, 11)), (1, (2, 21))]


def test_range_expr_lengths_are_only_compared_with_each_other():
    template = ("- {name: A, type: RANGE_EXPR, minLength: 5, maxLength: 2, default: '1'}\n"
                "- {name: B, type: RANGE_EXPR, minLength: 5, default: '1'}\n")
    assert paths(p.MIN_EXCEEDS_MAX, template) == [("minLength",)]
    assert paths(p.VALUE_OUT_OF_BOUNDS, template) == []
