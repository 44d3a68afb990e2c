"""Task parameters (spec §3.4): literal ranges, range expressions, CHUNK[INT] placement and the
combination expression.

Ranges and range items holding `{{…}}` are resolved at job creation and are skipped here.
"""

from __future__ import annotations

import math
import re

from openjd_lint.context import Context
from openjd_lint.expr.combination import MAX_LENGTH, check_combination, parse_combination
from openjd_lint.expr.range_expr import count, parse_range_expr
from openjd_lint.findings import Related, Severity
from openjd_lint.load.numerals import abbreviated, to_int
from openjd_lint.load.tree import MapNode, SeqNode
from openjd_lint.rule_api import Rule
from openjd_lint.model.parts import is_literal, items, steps, task_parameter_definitions, text

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_FLOAT_TEXT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
INT_TYPES = ("INT", "CHUNK[INT]")
MAX_RANGE_VALUES = 1024
# Texts the schema accepts as a combination; anything else is the schema's finding.
_COMBINATION_TEXT = re.compile(r"[A-Za-z0-9_ *(),]+")


def _job(parameters: str, combination: str = "", extensions: str = "") -> str:
    return ("specificationVersion: jobtemplate-2023-09\n" + extensions + "name: Job\nsteps:\n- name: Render\n"
            "  parameterSpace:\n    taskParameterDefinitions:\n" + parameters + combination
            + "  script:\n    actions:\n      onRun:\n        command: render\n")


def _type(definition) -> str:
    type_name = text(definition, "type")
    return type_name.upper() if type_name else ""


def _check_int64_items(ctx: Context):
    for step_path, step in steps(ctx):
        for path, definition in task_parameter_definitions(step, step_path):
            if _type(definition) not in INT_TYPES:
                continue
            for index, item in items(definition.get("range")):
                value = getattr(item, "value", None)
                # Numbers are bounded by the schema; text digits are not.
                if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
                    number = to_int(value)
                    if not INT64_MIN <= number <= INT64_MAX:
                        yield INT64_RANGE_ITEM.finding(
                            f"range item {abbreviated(repr(value))} is outside the 64-bit integer range [{INT64_MIN}, {INT64_MAX}]",
                            path + ("range", index), hint="use a value that fits in a signed 64-bit integer")


def _range_items(ctx: Context, type_name: str):
    """(path, value) of every scalar item of the range lists of `type_name` task parameters."""
    for step_path, step in steps(ctx):
        for path, definition in task_parameter_definitions(step, step_path):
            if _type(definition) == type_name:
                for index, item in items(definition.get("range")):
                    yield path + ("range", index), getattr(item, "value", None)


def _check_finite_items(ctx: Context):
    for path, value in _range_items(ctx, "FLOAT"):
        if isinstance(value, float) and math.isnan(value):
            number = value
        elif isinstance(value, str) and _FLOAT_TEXT.fullmatch(value.strip()):
            number = float(value)
        else:
            continue  # numbers beyond the double range are the schema's finding
        if not math.isfinite(number):
            yield NOT_FINITE_ITEM.finding(f"range item {value!r} is not a finite number", path,
                                          hint="use a finite number within ±1.7976931348623157e308")


def _check_empty_strings(ctx: Context):
    for path, value in _range_items(ctx, "STRING"):
        if value == "":
            yield EMPTY_STRING_ITEM.finding("range item is an empty string; a task parameter value needs at least "
                                            "one character", path, hint="remove the item or give it a value")


def _literal_range_expressions(ctx: Context):
    """(path of `range`, text) for every INT / CHUNK[INT] range written as a literal range expression."""
    for step_path, step in steps(ctx):
        for path, definition in task_parameter_definitions(step, step_path):
            value = text(definition, "range")
            if _type(definition) in INT_TYPES and value is not None and is_literal(value):
                yield path + ("range",), value


def _check_range_expressions(ctx: Context):
    for path, value in _literal_range_expressions(ctx):
        for error in parse_range_expr(value)[1]:
            yield INVALID_RANGE_EXPRESSION.finding(
                f"invalid range expression: {error.message}", path, chars=(error.start, error.end),
                hint="write comma-separated elements 'N', 'A-B' or 'A-B:STEP', e.g. '1-100' or '1-9:2,20'")


def _check_range_size(ctx: Context):
    for path, value in _literal_range_expressions(ctx):
        expression = parse_range_expr(value)[0]
        if expression is not None and count(expression) > MAX_RANGE_VALUES:
            yield TOO_MANY_VALUES.finding(
                f"the range expression yields {count(expression)} values; a task parameter may have at most "
                f"{MAX_RANGE_VALUES}", path, hint="split the work across steps, or use a CHUNK[INT] parameter")


def _value_count(definition: MapNode):
    """How many values a task parameter has, when the template alone tells."""
    declared = definition.get("range")
    if isinstance(declared, SeqNode):
        return len(declared.items)
    value = text(definition, "range")
    if _type(definition) in INT_TYPES and value is not None and is_literal(value):
        expression = parse_range_expr(value)[0]
        return count(expression) if expression is not None else None
    return None


def _check_combination(ctx: Context):
    for step_path, step in steps(ctx):
        space = step.get("parameterSpace")
        combination = text(space, "combination")
        if combination is None or len(combination) > MAX_LENGTH or not _COMBINATION_TEXT.fullmatch(combination):
            continue
        path = step_path + ("parameterSpace", "combination")
        tree, errors = parse_combination(combination)
        if tree is not None:
            definitions = [definition for _, definition in task_parameter_definitions(step, step_path)]
            names = [text(definition, "name") for definition in definitions]
            chunked = [text(d, "name") for d in definitions if _type(d) == "CHUNK[INT]"]
            counts = {text(d, "name"): _value_count(d) for d in definitions}
            errors = check_combination(tree, [name for name in names if name],
                                       chunked, {name: n for name, n in counts.items() if n is not None})
        for error in errors:
            yield INVALID_COMBINATION.finding(
                error.message, path, chars=(error.start, error.end),
                hint="name every task parameter exactly once, joined by '*' (all combinations) or grouped as "
                     "'(A, B)' (values side by side)")


def _check_single_chunk(ctx: Context):
    for step_path, step in steps(ctx):
        first = None
        for path, definition in task_parameter_definitions(step, step_path):
            if _type(definition) != "CHUNK[INT]":
                continue
            if first is None:
                first = (path, text(definition, "name"))
                continue
            yield SINGLE_CHUNK.finding(
                f"a step may have only one CHUNK[INT] task parameter, and {first[1]!r} already is one",
                path + ("type",), hint="make this parameter INT, or chunk only one dimension of the step",
                related=(Related("first CHUNK[INT] parameter", path=first[0] + ("type",)),))


_CHUNKED = "      chunks:\n        defaultTaskCount: 5\n        rangeConstraint: CONTIGUOUS\n"

INT64_RANGE_ITEM = Rule(
    "T401", "task-range-int64", Severity.ERROR,
    "An integer task-range item written as text does not fit in 64 bits.",
    "INT and CHUNK[INT] task parameter values are signed 64-bit integers. The schema bounds numbers; this rule "
    "covers items written as strings, such as `'9223372036854775808'`.",
    bad=_job("    - name: Seed\n      type: INT\n      range: ['1', '9223372036854775808']\n"),
    good=_job("    - name: Seed\n      type: INT\n      range: ['1', '9223372036854775807']\n"),
    check=_check_int64_items,
)

SINGLE_CHUNK = Rule(
    "T402", "single-chunk-parameter", Severity.ERROR,
    "A step has more than one CHUNK[INT] task parameter.",
    "TASK_CHUNKING splits one integer dimension of a step into chunks; a step may declare at most one "
    "CHUNK[INT] parameter.",
    bad=_job("    - name: Frame\n      type: CHUNK[INT]\n      range: '1-10'\n" + _CHUNKED
             + "    - name: Layer\n      type: CHUNK[INT]\n      range: '1-5'\n" + _CHUNKED,
             extensions="extensions: [TASK_CHUNKING]\n"),
    good=_job("    - name: Frame\n      type: CHUNK[INT]\n      range: '1-10'\n" + _CHUNKED
              + "    - name: Layer\n      type: INT\n      range: '1-5'\n", extensions="extensions: [TASK_CHUNKING]\n"),
    check=_check_single_chunk,
)

INVALID_RANGE_EXPRESSION = Rule(
    "T403", "invalid-range-expression", Severity.ERROR,
    "An integer task range written as a range expression does not parse.",
    "A range expression is a comma-separated list of elements `N`, `A-B` or `A-B:STEP` (STEP non-zero, "
    "negative to count down) of 64-bit integers, such as `1-100` or `1-9:2,20`. Elements must not overlap. "
    "Expressions holding `{{…}}` are checked once resolved, at job creation.",
    bad=_job("    - name: Frame\n      type: INT\n      range: '1-10:0'\n"),
    good=_job("    - name: Frame\n      type: INT\n      range: '1-10:2'\n"),
    check=_check_range_expressions,
)

TOO_MANY_VALUES = Rule(
    "T404", "range-too-many-values", Severity.ERROR,
    "A range expression yields more than 1024 values.",
    "A task parameter has at most 1024 values, whether listed or written as a range expression.",
    bad=_job("    - name: Frame\n      type: INT\n      range: '1-1025'\n"),
    good=_job("    - name: Frame\n      type: INT\n      range: '1-1024'\n"),
    check=_check_range_size,
)

_TWO = "    - name: Frame\n      type: INT\n      range: '1-10'\n    - name: Camera\n      type: STRING\n      range: [a, b]\n"

INVALID_COMBINATION = Rule(
    "T405", "invalid-combination", Severity.ERROR,
    "The `combination` expression is malformed or does not match the step's task parameters.",
    "`combination` joins task parameters with `*` (every combination of values) and groups them as `(A, B)` "
    "(values taken side by side). Every task parameter appears exactly once; members of a group must have "
    "the same number of values; a CHUNK[INT] parameter cannot be inside a group.",
    bad=_job(_TWO, combination="    combination: (Frame, Camera)\n"),
    good=_job(_TWO, combination="    combination: Frame * Camera\n"),
    check=_check_combination,
)

NOT_FINITE_ITEM = Rule(
    "T406", "task-range-not-finite", Severity.ERROR,
    "A FLOAT task-range item is infinite or not a number.",
    "FLOAT task parameter values must be finite: `.nan`, and text such as `'1e309'` that overflows a double, "
    "are rejected (numbers beyond the double range are reported by the schema).",
    bad=_job("    - name: Scale\n      type: FLOAT\n      range: [0.5, .nan]\n"),
    good=_job("    - name: Scale\n      type: FLOAT\n      range: [0.5, 1.5]\n"),
    check=_check_finite_items,
)

EMPTY_STRING_ITEM = Rule(
    "T407", "empty-task-range-item", Severity.ERROR,
    "A STRING task-range item is empty.",
    "Task parameter string values are 1 to 1024 characters long (spec §3.4.2); an empty item is rejected. "
    "(openjd-model 0.14.0 accepts it for STRING, but not for PATH.)",
    bad=_job("    - name: Layer\n      type: STRING\n      range: [beauty, '']\n"),
    good=_job("    - name: Layer\n      type: STRING\n      range: [beauty, depth]\n"),
    check=_check_empty_strings,
)

RULES = [INT64_RANGE_ITEM, SINGLE_CHUNK, INVALID_RANGE_EXPRESSION, TOO_MANY_VALUES, INVALID_COMBINATION,
         NOT_FINITE_ITEM, EMPTY_STRING_ITEM]
