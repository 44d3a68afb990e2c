"""Job parameters across templates: merging the definitions of enclosing environment templates
with the job's (schema.md §1.2.1), and the values a job is created with (defaults, given values,
type coercion and constraint checks, §2).

Values are plain Python values here (str, int, float, bool, list, and range-expression text);
`symbol_values` turns them into what format strings see.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import Any, Optional

from openjd_lint.load.numerals import abbreviated, to_int
from openjd_lint.load.tree import MapNode, SeqNode, to_plain

BASE_TYPES = ("STRING", "PATH", "INT", "FLOAT")
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass(frozen=True)
class Definition:
    context: object
    path: tuple
    plain: dict

    @property
    def name(self) -> str:
        return self.plain.get("name")

    @property
    def type(self) -> str:
        kind = self.plain.get("type")
        return kind.upper() if isinstance(kind, str) else ""


@dataclass
class Merged:
    name: str
    type: str
    definition: dict
    sources: list = field(default_factory=list)  # Definitions, in processing order


@dataclass(frozen=True)
class Conflict:
    name: str
    message: str
    at: Definition
    other: Optional[Definition]


def definitions(context) -> list:
    found = []
    node = context.root.get("parameterDefinitions")
    for index, item in enumerate(node.items if isinstance(node, SeqNode) else []):
        plain = to_plain(item) if isinstance(item, MapNode) else None
        if isinstance(plain, dict) and isinstance(plain.get("name"), str):
            found.append(Definition(context, ("parameterDefinitions", index), plain))
    return found


def merge(contexts) -> tuple:
    """(name -> Merged, [Conflict]) for the templates in processing order (the job last)."""
    merged: dict = {}
    conflicts: list = []
    for context in contexts:
        for definition in definitions(context):
            current = merged.get(definition.name)
            if current is None:
                merged[definition.name] = Merged(definition.name, definition.type, dict(definition.plain), [definition])
                continue
            conflicts.extend(_merge_into(current, definition))
            current.sources.append(definition)
    return merged, conflicts


def _merge_into(current: Merged, new: Definition) -> list:
    first = current.sources[0]
    if new.type != current.type:
        return [Conflict(new.name, f"job parameter '{new.name}' is {new.type or 'untyped'} here but "
                                   f"{current.type or 'untyped'} in {first.context.source.name}", new, first)]
    if current.type not in BASE_TYPES:
        current.definition = dict(new.plain)  # EXPR-only types are not merged: the last one wins
        return _default_conflicts(current, new)
    problems = []
    if current.type == "PATH":
        for key in ("objectType", "dataFlow"):
            old, value = current.definition.get(key), new.plain.get(key)
            if old is not None and value is not None and old != value:
                problems.append(Conflict(new.name, f"job parameter '{new.name}' has {key} {value} here but {old} in "
                                                   f"{_where(current, key)}", new, _source_of(current, key)))
            elif value is not None:
                current.definition[key] = value
    definition = current.definition
    for low, high in (("minLength", "maxLength"), ("minValue", "maxValue")):
        for key, pick in ((low, max), (high, min)):
            value = _number(new.plain.get(key))
            if value is None:
                continue
            old = _number(definition.get(key))
            definition[key] = new.plain[key] if old is None or pick(old, value) == value else definition[key]
        low_value, high_value = _number(definition.get(low)), _number(definition.get(high))
        if low_value is not None and high_value is not None and low_value > high_value:
            problems.append(Conflict(new.name, f"job parameter '{new.name}': merged with the definition in "
                                               f"{first.context.source.name}, {low} {definition[low]} is greater "
                                               f"than {high} {definition[high]}", new, first))
    allowed = new.plain.get("allowedValues")
    if isinstance(allowed, list):
        old_allowed = definition.get("allowedValues")
        if isinstance(old_allowed, list):
            keys = {_comparable(v, current.type) for v in allowed}
            allowed = [v for v in old_allowed if _comparable(v, current.type) in keys]
            if not allowed:
                problems.append(Conflict(new.name, f"job parameter '{new.name}': no value is allowed both here and "
                                                   f"in {_where(current, 'allowedValues')}", new,
                                         _source_of(current, "allowedValues")))
        definition["allowedValues"] = allowed
    if "default" in new.plain:
        definition["default"] = new.plain["default"]
    if not problems:
        problems.extend(_default_conflicts(current, new))
    return problems


def _default_conflicts(current: Merged, new: Definition) -> list:
    if "default" not in current.definition:
        return []
    _, error = coerce(current.type, current.definition, current.definition["default"])
    if error is None:
        return []
    supplier = _source_of(current, "default", include_last=new)
    return [Conflict(new.name, f"job parameter '{new.name}': the default does not fit the merged definition: "
                               f"{error}", new, supplier if supplier is not new else current.sources[0])]


def _source_of(current: Merged, key: str, include_last: Optional[Definition] = None) -> Definition:
    candidates = current.sources + ([include_last] if include_last is not None else [])
    for definition in reversed(candidates):
        if key in definition.plain:
            return definition
    return current.sources[0]


def _where(current: Merged, key: str) -> str:
    return _source_of(current, key).context.source.name


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _comparable(value: Any, kind: str) -> Any:
    if kind in ("INT", "FLOAT"):
        number = _number(value)
        return number if number is not None else value
    return value


# --- values ---------------------------------------------------------------------------------------


class ParameterError(Exception):
    pass


def coerce(kind: str, definition: dict, value: Any) -> tuple:
    """(value converted for a parameter of type `kind`, None) or (None, why it does not fit)."""
    try:
        return _coerce(kind, definition, value), None
    except ParameterError as error:
        return None, str(error)


def _coerce(kind: str, definition: dict, value: Any) -> Any:
    if kind in ("STRING", "PATH"):
        text = _text(value)
        _check_length(len(text), definition, "characters")
        _check_allowed(text, definition.get("allowedValues"), kind)
        return text
    if kind == "INT":
        number = _int(value)
        _check_range(number, definition)
        _check_allowed(number, definition.get("allowedValues"), kind)
        return number
    if kind == "FLOAT":
        number = _float(value)
        _check_range(number, definition)
        _check_allowed(number, definition.get("allowedValues"), kind)
        return number
    if kind == "BOOL":
        return _bool(value)
    if kind == "RANGE_EXPR":
        from openjd_lint.expr.library.ranges import parse_range
        from openjd_lint.expr.values import EvalError

        text = _text(value)
        try:
            count = len(parse_range(text))
        except EvalError as error:
            raise ParameterError(error.message) from None
        _check_length(count, definition, "values")
        return text
    if kind.startswith("LIST["):
        return _list(kind[5:-1], definition, value)
    raise ParameterError(f"unknown parameter type {kind!r}")


def _list(element: str, definition: dict, value: Any) -> list:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ParameterError(f"{value!r} is not a JSON list") from None
    if not isinstance(value, list):
        raise ParameterError(f"{value!r} is not a list")
    _check_length(len(value), definition, "items")
    item_definition = definition.get("item") if isinstance(definition.get("item"), dict) else {}
    items = []
    for index, item in enumerate(value):
        try:
            if element.startswith("LIST["):
                items.append(_list(element[5:-1], item_definition, item))
            elif element in ("STRING", "PATH") and not isinstance(item, str):
                raise ParameterError(f"{item!r} is not a string")
            else:
                items.append(_coerce(element, item_definition, item))
        except ParameterError as error:
            raise ParameterError(f"item {index}: {error}") from None
    return items


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ParameterError(f"{json.dumps(value)} is not a string")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or isinstance(value, float):
        raise ParameterError(f"{json.dumps(value)} is not an integer")
    written = value
    if isinstance(value, str):
        try:
            value = to_int(value.strip())
        except ValueError:
            raise ParameterError(f"{abbreviated(value)!r} is not an integer") from None
    if not isinstance(value, int):
        raise ParameterError(f"{json.dumps(value)} is not an integer")
    if not -(2**63) <= value < 2**63:
        raise ParameterError(f"{abbreviated(str(written).strip())} is outside the 64-bit signed range")
    return value



def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ParameterError(f"{json.dumps(value)} is not a number")
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ParameterError(f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ParameterError(f"{value!r} is not a finite number")
    return number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
        return value.lower() in _TRUE
    raise ParameterError(f"{value!r} is not a boolean (true/false, yes/no, on/off, 1/0)")


def _check_length(length: int, definition: dict, unit: str) -> None:
    low, high = definition.get("minLength"), definition.get("maxLength")
    if _is_int(low) and length < int(low):
        raise ParameterError(f"{length} {unit}, fewer than minLength {low}")
    if _is_int(high) and length > int(high):
        raise ParameterError(f"{length} {unit}, more than maxLength {high}")


def _check_range(number: float, definition: dict) -> None:
    low, high = _number(definition.get("minValue")), _number(definition.get("maxValue"))
    if low is not None and number < low:
        raise ParameterError(f"{number} is less than minValue {definition['minValue']}")
    if high is not None and number > high:
        raise ParameterError(f"{number} is greater than maxValue {definition['maxValue']}")


def _check_allowed(value: Any, allowed: Any, kind: str) -> None:
    if not isinstance(allowed, list):
        return
    if _comparable(value, kind) not in {_comparable(v, kind) for v in allowed}:
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in allowed)
        raise ParameterError(f"{json.dumps(value, ensure_ascii=False)} is not one of the allowed values ({shown})")


def _is_int(value: Any) -> bool:
    try:
        int(value)
        return not isinstance(value, bool)
    except (TypeError, ValueError):
        return False


def resolve_path(text: str, base: str) -> str:
    """A PATH value as job creation makes it: relative paths joined with `base`, URIs kept."""
    if "://" in text or not text or os.path.isabs(text):
        return text
    return os.path.normpath(os.path.join(base, text))
