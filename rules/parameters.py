"""Job parameter definitions (spec §2): constraints that relate one field to another, which the
JSON Schema cannot express — min <= max, defaults and allowed values within the bounds, the default
among the allowed values, int64 and finite-number limits on text values, and user-interface
controls that fit the rest of the definition.

Values of the wrong type are the schema layer's findings; these rules skip them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from openjd_lint.context import Context
from openjd_lint.expr.range_expr import parse_range_expr
from openjd_lint.findings import Related, Severity
from openjd_lint.load.numerals import to_int
from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode, to_plain
from openjd_lint.rule_api import Rule
from openjd_lint.model.parts import describe, items, parameter_definitions, scalar, text

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_FLOAT_TEXT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")

STRING, LIST, INT, FLOAT = "string", "list", "int", "float"


def _job(parameters: str) -> str:
    return ("specificationVersion: jobtemplate-2023-09\nextensions: [EXPR]\nname: Job\nparameterDefinitions:\n"
            + parameters + "steps:\n- name: Render\n  script:\n    actions:\n      onRun:\n        command: render\n")


# ------------------------------------------------------------------------------------------ values

def _as_int(value: Any) -> Optional[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return to_int(value)
    return None


def _as_float(value: Any) -> Optional[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return math.copysign(math.inf, value)
    if isinstance(value, str) and _FLOAT_TEXT.fullmatch(value.strip()):
        return float(value)
    return None


def _measure(kind: str, value: Any):
    """What the bounds of a level constrain: a length for strings and lists, the number otherwise."""
    if kind == STRING:
        return len(value) if isinstance(value, str) else None
    if kind == LIST:
        return len(value) if isinstance(value, list) else None
    return _as_int(value) if kind == INT else _as_float(value)


def _comparable(kind: str, value: Any):
    if kind == INT:
        return _as_int(value)
    if kind == FLOAT:
        return _as_float(value)
    return value if isinstance(value, str) else None


# ------------------------------------------------------------------------------------------ levels

@dataclass
class Level:
    """One layer of constraints: the parameter itself, a list's `item`, or the inner `item.item`.

    `constraints` holds the bound and allowedValues keys; `candidates` are the (path, value) pairs
    the constraints apply to (the default, or the items of a default list)."""

    kind: str
    constraints: Optional[MapNode]  # None when a list parameter has no `item` block
    path: tuple
    candidates: list

    @property
    def bound_keys(self) -> tuple:
        return ("minLength", "maxLength") if self.kind in (STRING, LIST) else ("minValue", "maxValue")

    def allowed(self) -> list:
        node = self.constraints.get("allowedValues") if self.constraints is not None else None
        return [(self.path + ("allowedValues", i), to_plain(item)) for i, item in items(node)]


_SCALAR_KINDS = {"STRING": STRING, "PATH": STRING, "INT": INT, "FLOAT": FLOAT}
_ITEM_KINDS = {"LIST[STRING]": STRING, "LIST[PATH]": STRING, "LIST[INT]": INT, "LIST[FLOAT]": FLOAT}


def _type(parameter: MapNode) -> str:
    type_name = text(parameter, "type")
    return type_name.upper() if type_name else ""


def _list_items(path: tuple, node: Optional[Node]) -> list:
    return [(path + (i,), to_plain(item)) for i, item in items(node)]


def _levels(path: tuple, parameter: MapNode) -> Iterator[Level]:
    type_name = _type(parameter)
    default = parameter.get("default")
    default_path = path + ("default",)
    given = [(default_path, to_plain(default))] if default is not None else []
    if type_name in _SCALAR_KINDS:
        yield Level(_SCALAR_KINDS[type_name], parameter, path, given)
        return
    if type_name == "RANGE_EXPR":
        # Only min <= max: whether the lengths count characters or values is not settled (spec §2.10).
        yield Level(STRING, parameter, path, [])
        return
    if not type_name.startswith("LIST["):
        return
    yield Level(LIST, parameter, path, given)
    item = _mapping_or_none(parameter.get("item"))
    elements = _list_items(default_path, default)
    if type_name in _ITEM_KINDS:
        yield Level(_ITEM_KINDS[type_name], item, path + ("item",), elements)
    elif type_name == "LIST[LIST[INT]]":
        yield Level(LIST, item, path + ("item",), elements)
        numbers = [entry for i, inner_list in items(default) for entry in _list_items(default_path + (i,), inner_list)]
        yield Level(INT, _mapping_or_none(item and item.get("item")), path + ("item", "item"), numbers)


def _mapping_or_none(node: Optional[Node]) -> Optional[MapNode]:
    return node if isinstance(node, MapNode) else None


def _all_levels(ctx: Context) -> Iterator[Level]:
    for path, parameter in parameter_definitions(ctx):
        yield from _levels(path, parameter)


# ------------------------------------------------------------------------------------------ checks

def _bounds(level: Level) -> tuple:
    low_key, high_key = level.bound_keys
    low = _measure(INT if level.kind in (STRING, LIST) else level.kind, scalar(level.constraints, low_key))
    high = _measure(INT if level.kind in (STRING, LIST) else level.kind, scalar(level.constraints, high_key))
    return low, high


def _check_min_max(ctx: Context):
    for level in _all_levels(ctx):
        low, high = _bounds(level)
        low_key, high_key = level.bound_keys
        if low is not None and high is not None and low > high:
            yield MIN_EXCEEDS_MAX.finding(
                f"{low_key} {scalar(level.constraints, low_key)!r} is greater than {high_key} "
                f"{scalar(level.constraints, high_key)!r}, so no value can satisfy both", level.path + (low_key,),
                hint=f"lower {low_key} or raise {high_key}",
                related=(Related(high_key, path=level.path + (high_key,)),))


def _describe_measure(kind: str) -> str:
    return "length" if kind == STRING else "number of items"


def _check_bounds(ctx: Context):
    for level in _all_levels(ctx):
        low, high = _bounds(level)
        if low is None and high is None:
            continue
        low_key, high_key = level.bound_keys
        for path, value in level.candidates + level.allowed():
            measure = _measure(level.kind, value)
            if measure is None or (isinstance(measure, float) and math.isnan(measure)):
                continue
            what = f"{_within_parameter(path)} {_short(value)}"
            if level.kind in (STRING, LIST):
                what += f" has {_describe_measure(level.kind)} {measure},"
            else:
                what += " is"
            if low is not None and measure < low:
                yield VALUE_OUT_OF_BOUNDS.finding(
                    f"{what} below {low_key} {low}", path, hint=f"change the value or lower {low_key}",
                    related=(Related(low_key, path=level.path + (low_key,)),))
            elif high is not None and measure > high:
                yield VALUE_OUT_OF_BOUNDS.finding(
                    f"{what} above {high_key} {high}", path, hint=f"change the value or raise {high_key}",
                    related=(Related(high_key, path=level.path + (high_key,)),))


def _within_parameter(path: tuple) -> str:
    """`default[1]` for ("parameterDefinitions", 0, "default", 1)."""
    return describe(path[2:])


def _short(value: Any) -> str:
    written = repr(value)
    return written if len(written) <= 40 else written[:37] + "..."


def _check_allowed(ctx: Context):
    for level in _all_levels(ctx):
        allowed = [_comparable(level.kind, value) for _, value in level.allowed()]
        if not allowed or level.kind == LIST:
            continue
        for path, value in level.candidates:
            comparable = _comparable(level.kind, value)
            if comparable is None or comparable in allowed:
                continue
            yield NOT_ALLOWED.finding(
                f"{_within_parameter(path)} {_short(value)} is not one of the allowedValues", path,
                hint="use one of: " + ", ".join(_short(v) for _, v in level.allowed()[:10]),
                related=(Related("allowedValues", path=level.path + ("allowedValues",)),))


def _number_fields(ctx: Context) -> Iterator[tuple]:
    """(kind, path, value, checked_by_schema) for every INT/FLOAT-valued field of every parameter."""
    for level in _all_levels(ctx):
        if level.kind not in (INT, FLOAT):
            continue
        scalar_parameter = level.path[-1] != "item"
        fields = [(path, value) for path, value in level.candidates + level.allowed()]
        for key in level.bound_keys:
            if level.constraints is not None and key in level.constraints:
                fields.append((level.path + (key,), scalar(level.constraints, key)))
        for path, value in fields:
            yield level.kind, path, value, scalar_parameter


def _check_int64(ctx: Context):
    for kind, path, value, _ in _number_fields(ctx):
        # Numbers are bounded by the schema; text digits are not.
        number = _as_int(value) if kind == INT and isinstance(value, str) else None
        if number is not None and not INT64_MIN <= number <= INT64_MAX:
            yield INT64_RANGE.finding(
                f"{_short(value)} is outside the 64-bit integer range [{INT64_MIN}, {INT64_MAX}]", path,
                hint="use a value that fits in a signed 64-bit integer")


def _check_finite(ctx: Context):
    for kind, path, value, scalar_parameter in _number_fields(ctx):
        number = _as_float(value) if kind == FLOAT else None
        if number is None or math.isfinite(number):
            continue
        # The schema bounds the numbers of scalar FLOAT fields; NaN slips through every bound.
        if scalar_parameter and not isinstance(value, str) and not math.isnan(number):
            continue
        yield NOT_FINITE.finding(
            f"{_short(value)} is not a finite number", path,
            hint="use a finite number within ±1.7976931348623157e308")


def _check_range_expr_default(ctx: Context):
    for path, parameter in parameter_definitions(ctx):
        default = scalar(parameter, "default")
        if _type(parameter) != "RANGE_EXPR" or not isinstance(default, str):
            continue
        for error in parse_range_expr(default)[1]:
            yield RANGE_EXPR_DEFAULT.finding(
                f"the default is not a valid range expression: {error.message}", path + ("default",),
                chars=(error.start, error.end),
                hint="write comma-separated elements 'N', 'A-B' or 'A-B:STEP', e.g. '1-100' or '1-9:2,20'")


# ---------------------------------------------------------------------------------- user interface

def _control(parameter: MapNode) -> Optional[str]:
    return text(parameter.get("userInterface"), "control")


def _effective_control(type_name: str, parameter: MapNode) -> Optional[str]:
    explicit = _control(parameter)
    if explicit:
        return explicit
    has_allowed = "allowedValues" in parameter
    object_type = text(parameter, "objectType")
    file_control = None
    if object_type == "FILE":
        file_control = "CHOOSE_OUTPUT_FILE" if text(parameter, "dataFlow") == "OUT" else "CHOOSE_INPUT_FILE"
    defaults = {
        "STRING": "DROPDOWN_LIST" if has_allowed else "LINE_EDIT",
        "PATH": "DROPDOWN_LIST" if has_allowed else (file_control or "CHOOSE_DIRECTORY"),
        "INT": "DROPDOWN_LIST" if has_allowed else "SPIN_BOX",
        "FLOAT": "DROPDOWN_LIST" if has_allowed else "SPIN_BOX",
        "LIST[PATH]": (file_control or "CHOOSE_DIRECTORY") + "_LIST",
        "LIST[INT]": "SPIN_BOX_LIST",
        "LIST[FLOAT]": "SPIN_BOX_LIST",
    }
    return defaults.get(type_name)


_CONTROL_PATH = ("userInterface", "control")
_NEEDS_ALLOWED = {"DROPDOWN_LIST", "CHECK_BOX"}
_FORBIDS_ALLOWED = {"LINE_EDIT", "MULTILINE_EDIT", "CHOOSE_INPUT_FILE", "CHOOSE_OUTPUT_FILE", "CHOOSE_DIRECTORY",
                    "SPIN_BOX"}
_CHECK_BOX_PAIRS = [{"TRUE", "FALSE"}, {"YES", "NO"}, {"ON", "OFF"}, {"1", "0"}]


def _check_control_needs_allowed(ctx: Context):
    for path, parameter in parameter_definitions(ctx):
        control = _control(parameter)
        if control in _NEEDS_ALLOWED and _type(parameter) in _SCALAR_KINDS and "allowedValues" not in parameter:
            yield CONTROL_NEEDS_ALLOWED.finding(
                f"control {control} offers a fixed set of choices, but the parameter has no allowedValues",
                path + _CONTROL_PATH, hint="add allowedValues, or use a free-entry control")


def _check_control_forbids_allowed(ctx: Context):
    for path, parameter in parameter_definitions(ctx):
        control = _control(parameter)
        if control in _FORBIDS_ALLOWED and "allowedValues" in parameter:
            yield CONTROL_FORBIDS_ALLOWED.finding(
                f"control {control} lets the user enter any value, but the parameter restricts it to allowedValues",
                path + _CONTROL_PATH, hint="use control DROPDOWN_LIST (or HIDDEN), or remove allowedValues",
                related=(Related("allowedValues", path=path + ("allowedValues",), on_key=True),))


def _check_check_box(ctx: Context):
    for path, parameter in parameter_definitions(ctx):
        if _control(parameter) != "CHECK_BOX" or _type(parameter) != "STRING":
            continue
        allowed = parameter.get("allowedValues")
        if not isinstance(allowed, SeqNode):
            continue
        values = [str(item.value).upper() for item in allowed.items if isinstance(item, ScalarNode)]
        if len(values) == 2 and set(values) in _CHECK_BOX_PAIRS:
            continue
        yield CHECK_BOX_VALUES.finding(
            "a CHECK_BOX needs exactly two allowedValues forming one of the pairs true/false, yes/no, on/off, 1/0 "
            f"(any case, any order); got {_short(to_plain(allowed))}", path + ("allowedValues",),
            hint="use allowedValues: [\"true\", \"false\"] (or yes/no, on/off, 1/0), or another control")


_FILE_CONTROLS = {"CHOOSE_INPUT_FILE", "CHOOSE_OUTPUT_FILE", "CHOOSE_INPUT_FILE_LIST", "CHOOSE_OUTPUT_FILE_LIST"}
_SPIN_CONTROLS = {"SPIN_BOX", "SPIN_BOX_LIST"}
_UI_FIELD_CONTROLS = {"fileFilters": _FILE_CONTROLS, "fileFilterDefault": _FILE_CONTROLS,
                      "singleStepDelta": _SPIN_CONTROLS, "decimals": _SPIN_CONTROLS}
# A field on a type that has no such field at all is the schema's unknown-key finding.
_UI_FIELDS_OF_TYPE = {"PATH": {"fileFilters", "fileFilterDefault"}, "LIST[PATH]": {"fileFilters", "fileFilterDefault"},
                      "INT": {"singleStepDelta"}, "LIST[INT]": {"singleStepDelta"},
                      "FLOAT": {"singleStepDelta", "decimals"}, "LIST[FLOAT]": {"singleStepDelta", "decimals"}}


def _check_ui_field_control(ctx: Context):
    for path, parameter in parameter_definitions(ctx):
        interface = parameter.get("userInterface")
        if not isinstance(interface, MapNode):
            continue
        type_name = _type(parameter)
        control = _effective_control(type_name, parameter)
        if control is None:
            continue
        explicit = bool(_control(parameter))
        implied = "" if explicit else " (the default for this parameter)"
        for field, controls in _UI_FIELD_CONTROLS.items():
            if field in interface and field in _UI_FIELDS_OF_TYPE.get(type_name, ()) and control not in controls:
                # Schedulers reject these fields next to an explicit control; with the control implied
                # only `decimals` is rejected, the others are ignored.
                severity = None if explicit or field == "decimals" else Severity.WARNING
                yield UI_FIELD_CONTROL.finding(
                    f"`{field}` only applies to the {' / '.join(sorted(controls))} control, but the control is "
                    f"{control}{implied}", path + ("userInterface", field), on_key=True,
                    hint=f"remove `{field}`, or use a control it applies to", severity=severity)


def _check_object_type_control(ctx: Context):
    for path, parameter in parameter_definitions(ctx):
        control, object_type = _control(parameter), text(parameter, "objectType")
        if not control or object_type not in ("FILE", "DIRECTORY"):
            continue
        chooses = "DIRECTORY" if control.startswith("CHOOSE_DIRECTORY") else (
            "FILE" if control.startswith("CHOOSE_") else None)
        if chooses and chooses != object_type:
            yield OBJECT_TYPE_CONTROL.finding(
                f"control {control} chooses a {chooses.lower()}, but objectType is {object_type}",
                path + _CONTROL_PATH, hint="make the control and objectType agree",
                related=(Related("objectType", path=path + ("objectType",)),))


# ------------------------------------------------------------------------------------------ rules

MIN_EXCEEDS_MAX = Rule(
    "T201", "parameter-min-exceeds-max", Severity.ERROR,
    "A parameter's minimum is greater than its maximum.",
    "`minLength` must not exceed `maxLength` and `minValue` must not exceed `maxValue`, on the parameter and on "
    "the `item` constraints of list parameters; otherwise no value is acceptable.",
    bad=_job("- name: Frames\n  type: INT\n  minValue: 100\n  maxValue: 1\n"),
    good=_job("- name: Frames\n  type: INT\n  minValue: 1\n  maxValue: 100\n"),
    check=_check_min_max,
)

VALUE_OUT_OF_BOUNDS = Rule(
    "T202", "parameter-value-out-of-bounds", Severity.ERROR,
    "A default or allowed value violates the parameter's length or value bounds.",
    "The `default` and every entry of `allowedValues` must satisfy `minLength`/`maxLength` (characters for "
    "STRING, PATH and RANGE_EXPR; items for lists) and `minValue`/`maxValue`. For list parameters the items "
    "of the default must satisfy the `item` constraints too.",
    bad=_job("- name: Quality\n  type: INT\n  minValue: 1\n  maxValue: 10\n  default: 11\n"),
    good=_job("- name: Quality\n  type: INT\n  minValue: 1\n  maxValue: 10\n  default: 10\n"),
    check=_check_bounds,
)

NOT_ALLOWED = Rule(
    "T203", "default-not-allowed", Severity.ERROR,
    "A default is not one of the parameter's allowed values.",
    "When `allowedValues` is given, the `default` must be one of them (compared as numbers for INT and FLOAT). "
    "For list parameters, every item of the default must be among `item.allowedValues`.",
    bad=_job("- name: Mode\n  type: STRING\n  allowedValues: [fast, best]\n  default: quick\n"),
    good=_job("- name: Mode\n  type: STRING\n  allowedValues: [fast, best]\n  default: fast\n"),
    check=_check_allowed,
)

INT64_RANGE = Rule(
    "T204", "int64-out-of-range", Severity.ERROR,
    "An integer written as text does not fit in 64 bits.",
    "INT parameter values are signed 64-bit integers. The schema bounds numbers; this rule covers values "
    "written as strings, such as `default: \"9223372036854775808\"`.",
    bad=_job("- name: Seed\n  type: INT\n  default: '9223372036854775808'\n"),
    good=_job("- name: Seed\n  type: INT\n  default: '9223372036854775807'\n"),
    check=_check_int64,
)

NOT_FINITE = Rule(
    "T205", "float-not-finite", Severity.ERROR,
    "A FLOAT value is infinite or not a number.",
    "FLOAT parameter values must be finite: `.nan`, and text such as `\"1e309\"` that overflows a double, are "
    "rejected (numbers beyond the double range are reported by the schema).",
    bad=_job("- name: Scale\n  type: FLOAT\n  default: .nan\n"),
    good=_job("- name: Scale\n  type: FLOAT\n  default: 1.5\n"),
    check=_check_finite,
)

RANGE_EXPR_DEFAULT = Rule(
    "T206", "range-expr-default", Severity.ERROR,
    "The default of a RANGE_EXPR parameter is not a valid range expression.",
    "A RANGE_EXPR value is a comma-separated list of elements `N`, `A-B` or `A-B:STEP` (STEP non-zero) of "
    "64-bit integers whose elements do not overlap, such as `1-100` or `1-9:2,20`.",
    bad=_job("- name: Frames\n  type: RANGE_EXPR\n  default: 1 to 10\n"),
    good=_job("- name: Frames\n  type: RANGE_EXPR\n  default: 1-10\n"),
    check=_check_range_expr_default,
)

CONTROL_NEEDS_ALLOWED = Rule(
    "T210", "control-needs-allowed-values", Severity.ERROR,
    "A DROPDOWN_LIST or CHECK_BOX control is used without allowedValues.",
    "These controls offer a fixed set of choices, taken from the parameter's `allowedValues`.",
    bad=_job("- name: Mode\n  type: STRING\n  userInterface:\n    control: DROPDOWN_LIST\n"),
    good=_job("- name: Mode\n  type: STRING\n  allowedValues: [fast, best]\n  userInterface:\n"
              "    control: DROPDOWN_LIST\n"),
    check=_check_control_needs_allowed,
)

CONTROL_FORBIDS_ALLOWED = Rule(
    "T211", "control-forbids-allowed-values", Severity.ERROR,
    "A free-entry control is used on a parameter that has allowedValues.",
    "LINE_EDIT, MULTILINE_EDIT, SPIN_BOX and the CHOOSE_* file dialogs let the user enter any value, which "
    "contradicts `allowedValues`. Use DROPDOWN_LIST (the default when allowedValues is given) or HIDDEN.",
    bad=_job("- name: Mode\n  type: STRING\n  allowedValues: [fast, best]\n  userInterface:\n    control: LINE_EDIT\n"),
    good=_job("- name: Mode\n  type: STRING\n  allowedValues: [fast, best]\n  userInterface:\n"
              "    control: DROPDOWN_LIST\n"),
    check=_check_control_forbids_allowed,
)

CHECK_BOX_VALUES = Rule(
    "T212", "check-box-values", Severity.ERROR,
    "A STRING CHECK_BOX does not have exactly one on/off pair of allowedValues.",
    "A CHECK_BOX maps its two states to the two allowedValues, which must be one of the pairs true/false, "
    "yes/no, on/off or 1/0 (case-insensitive, in any order).",
    bad=_job("- name: Denoise\n  type: STRING\n  allowedValues: [enabled, disabled]\n  userInterface:\n"
             "    control: CHECK_BOX\n"),
    good=_job("- name: Denoise\n  type: STRING\n  allowedValues: ['true', 'false']\n  userInterface:\n"
              "    control: CHECK_BOX\n"),
    check=_check_check_box,
)

UI_FIELD_CONTROL = Rule(
    "T213", "ui-field-needs-control", Severity.ERROR,
    "A userInterface field is given for a control it does not apply to.",
    "`fileFilters` and `fileFilterDefault` apply only to the file-choosing controls, `singleStepDelta` and "
    "`decimals` only to spin boxes. When `control` is omitted, the default control of the parameter counts "
    "(for example DROPDOWN_LIST when allowedValues is given, CHOOSE_DIRECTORY for a directory PATH); "
    "schedulers then ignore `fileFilters`, `fileFilterDefault` and `singleStepDelta`, so those are warnings.",
    bad=_job("- name: Frames\n  type: INT\n  allowedValues: [1, 2]\n  userInterface:\n    control: DROPDOWN_LIST\n"
             "    singleStepDelta: 1\n"),
    good=_job("- name: Frames\n  type: INT\n  userInterface:\n    control: SPIN_BOX\n    singleStepDelta: 1\n"),
    check=_check_ui_field_control,
    other_severities=(Severity.WARNING,),
)

OBJECT_TYPE_CONTROL = Rule(
    "T214", "path-control-object-type", Severity.ERROR,
    "A PATH control chooses a file but objectType is DIRECTORY, or the other way round.",
    "CHOOSE_DIRECTORY (and CHOOSE_DIRECTORY_LIST) pick directories; CHOOSE_INPUT_FILE and CHOOSE_OUTPUT_FILE "
    "(and their _LIST forms) pick files. The control must match the declared `objectType`.",
    bad=_job("- name: Scene\n  type: PATH\n  objectType: FILE\n  userInterface:\n    control: CHOOSE_DIRECTORY\n"),
    good=_job("- name: Scene\n  type: PATH\n  objectType: FILE\n  userInterface:\n    control: CHOOSE_INPUT_FILE\n"),
    check=_check_object_type_control,
)

RULES = [MIN_EXCEEDS_MAX, VALUE_OUT_OF_BOUNDS, NOT_ALLOWED, INT64_RANGE, NOT_FINITE, RANGE_EXPR_DEFAULT,
         CONTROL_NEEDS_ALLOWED,
         CONTROL_FORBIDS_ALLOWED, CHECK_BOX_VALUES, UI_FIELD_CONTROL, OBJECT_TYPE_CONTROL]
