"""Task parameters (spec §3.4): literal ranges, range expressions, CHUNK[INT] placement and the
combination expression.

Ranges and range items holding `{{…}}` are resolved at job creation and are skipped here.
"""

from __future__ import annotations

import re

from openjd_lint.context import Context
from openjd_lint.findings import Related, Severity
from openjd_lint.rule import Rule
from openjd_lint.rules.template_parts import items, steps, task_parameter_definitions, text

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
INT_TYPES = ("INT", "CHUNK[INT]")


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
                    number = int(value)
                    if not INT64_MIN <= number <= INT64_MAX:
                        yield INT64_RANGE_ITEM.finding(
                            f"range item {value!r} is outside the 64-bit integer range [{INT64_MIN}, {INT64_MAX}]",
                            path + ("range", index), hint="use a value that fits in a signed 64-bit integer")


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

RULES = [INT64_RANGE_ITEM, SINGLE_CHUNK]
