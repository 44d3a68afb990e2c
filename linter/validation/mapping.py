"""Turn one schema error into findings: one rule per class of keyword.

An error is a `SchemaError` of the compiled checker (errors.py) or, in the tests, a jsonschema
`ValidationError`: the mapping reads only attributes both have.

Annotations in the schema files (see tools/generate_schemas.py) refine the wording:
`x-openjd-requires`/`x-openjd-feature` mark a restriction that an extension lifts (rule S010),
`x-openjd-form` describes what a pattern accepts, `x-openjd-values` lists the values a pattern
accepts, and `x-openjd-message` replaces the generic message of a `not` or `oneOf`.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict

from openjd_lint.findings import Finding, Fix
from openjd_lint.fixes import one_close_match
from openjd_lint.model import wrap_names
from openjd_lint.validation.messages import closest, expected_types, listing, owner, shown, subject, type_of

UNKNOWN_KEY, MISSING_KEY, WRONG_TYPE, INVALID_VALUE = "S002", "S003", "S004", "S005"
LENGTH, PATTERN, OUT_OF_RANGE, DUPLICATE_ITEMS = "S006", "S007", "S008", "S009"
REQUIRES_EXTENSION, INVALID_STRUCTURE = "S010", "S011"
FLOAT_MAX = sys.float_info.max


def findings_for(error, empty_keys: frozenset = frozenset()) -> list:
    """`empty_keys`: the paths of null-valued keys left out of the validated data (`Context.empty_keys`);
    a required one is reported at the key as empty rather than missing."""
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if len(error.absolute_schema_path) >= 2 and list(error.absolute_schema_path)[-2] == "propertyNames":
        return [_key_name(error, path + (error.instance,), schema)]
    if "x-openjd-requires" in schema:
        return [_requires_extension(error, path, schema)]
    if error.validator == "required":
        return _required(error, path, schema, empty_keys)
    if error.validator in ("oneOf", "anyOf"):
        return _alternatives(error, path, schema, empty_keys)
    handler = _HANDLERS.get(error.validator)
    if handler is None:
        return [Finding(INVALID_STRUCTURE, f"{subject(path)} is not valid here: {error.message}", path)]
    return handler(error, path, schema)


def _requires_extension(error, path, schema) -> Finding:
    extension = schema["x-openjd-requires"]
    feature = schema.get("x-openjd-feature", "this").format(value=error.instance)
    on_key = error.validator == "not" and schema.get("not") == {}
    detail = ""
    if error.validator == "maxLength":
        detail = f" ({subject(path)} is {len(error.instance)} characters long)"
    elif error.validator == "maxItems":
        detail = f" ({subject(path)} has {len(error.instance)} items)"
    return Finding(REQUIRES_EXTENSION, f"{feature} requires the {extension} extension{detail}", path,
                   on_key=on_key, hint=f"add {extension} to the template's `extensions` list, or stop using it")


def _additional_properties(error, path, schema) -> list:
    allowed = list(schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    findings = []
    for key in instance:
        if key in allowed:
            continue
        suggestion = closest(str(key), [a for a in allowed if a not in instance])
        spelling = wrap_names.key_hint(str(key))
        hint = spelling or (f"did you mean `{suggestion}`?" if suggestion else f"valid keys are: {listing(allowed)}")
        obvious = None if spelling else one_close_match(str(key), [a for a in allowed if a not in instance])
        findings.append(Finding(UNKNOWN_KEY, f"unknown key `{key}` in {owner(path)}", path + (key,),
                                on_key=True, hint=hint, fix=rename_fix(obvious) if obvious else None))
    return findings


def rename_fix(name: str) -> Fix:
    """The fix that renames an unknown key to `name`. The schema layer has no source text: the edit is
    filled in by `openjd_lint.validation` (`renamed_to` reads the name back)."""
    return Fix(f"rename to `{name}`", (), safe=True)


def renamed_to(fix: Fix) -> str:
    return fix.description[len("rename to `"):-1]


def _forbidden_or_not(error, path, schema) -> list:
    message = schema.get("x-openjd-message")
    if schema.get("not") == {}:
        key = path[-1] if path else ""
        text = message or f"`{key}` is not allowed here"
        return [Finding(UNKNOWN_KEY, text, path, on_key=True)]
    return [Finding(INVALID_STRUCTURE, message or f"{subject(path)} has a form that is not allowed here", path)]


def _required(error, path, schema, empty_keys) -> list:
    instance = error.instance if isinstance(error.instance, dict) else {}
    properties = schema.get("properties", {})
    findings = []
    for key in error.validator_value:
        if key in instance:
            continue
        described = properties.get(key, {}).get("description")
        detail = f": {described}" if described else ""
        if path + (key,) in empty_keys:
            findings.append(Finding(MISSING_KEY, f"`{key}` is empty, but {owner(path)} requires it", path + (key,),
                                    on_key=True, hint=f"give `{key}` a value{detail}"))
        else:
            findings.append(Finding(MISSING_KEY, f"{owner(path)} is missing the required key `{key}`", path,
                                    hint=f"add `{key}`{detail}"))
    return findings


def _dependent_required(error, path, schema) -> list:
    instance = error.instance if isinstance(error.instance, dict) else {}
    present = [key for key in error.validator_value if key in instance]
    group = list(dict.fromkeys([*present, *(n for key in present for n in error.validator_value[key])]))
    missing = [key for key in group if key not in instance]
    if not missing:
        return []
    together = ", ".join(f"`{key}`" for key in group)
    return [Finding(MISSING_KEY, f"{owner(path)} has " + " and ".join(f"`{k}`" for k in present) + " but not "
                    + " and ".join(f"`{m}`" for m in missing), path, hint=f"{together} must be given together")]


def _type(error, path, schema) -> list:
    return [Finding(WRONG_TYPE, f"{subject(path)} must be {expected_types(error.validator_value)}, "
                                f"not {type_of(error.instance)}", path)]


def _enum(error, path, schema) -> list:
    allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
    return [_invalid_value(error.instance, allowed, path)]


def _invalid_value(value, allowed, path) -> Finding:
    suggestion = closest(str(value), [str(a) for a in allowed]) if isinstance(value, str) else None
    if len(allowed) == 1:
        message = f"{subject(path)} must be {allowed[0]}, not {shown(value)}"
    else:
        message = f"{subject(path)} is {shown(value)}, which is not one of: {listing(allowed)}"
    return Finding(INVALID_VALUE, message, path, hint=f"did you mean `{suggestion}`?" if suggestion else None)


def _pattern(error, path, schema) -> list:
    if "x-openjd-values" in schema:
        finding = _invalid_value(error.instance, schema["x-openjd-values"], path)
        if "{{" in schema.get("pattern", ""):
            finding = Finding(finding.rule, finding.message + " (or a format string)", path, hint=finding.hint)
        return [finding]
    form = schema.get("x-openjd-form", "in the form the specification requires")
    return [Finding(PATTERN, f"{subject(path)} must be {form}; {shown(error.instance)} is not", path)]


def _key_name(error, path, schema) -> Finding:
    key = path[-1]
    if error.validator == "pattern":
        text = f"`{key}` is not a valid name: it must be {schema.get('x-openjd-form', 'a valid name')}"
        return Finding(PATTERN, text, path, on_key=True)
    limit = error.validator_value
    text = (f"the name `{key}` is empty" if error.validator == "minLength" else
            f"the name `{shown(key)}` is longer than {limit} characters")
    return Finding(LENGTH, text, path, on_key=True)


def _length(error, path, schema) -> list:
    value, limit, keyword = error.instance, error.validator_value, error.validator
    unit = "characters" if keyword.endswith("Length") else "items" if keyword.endswith("Items") else "entries"
    if keyword.startswith("min"):
        if limit == 1:
            text = f"{subject(path)} must not be empty"
            # the schema layer offers removing the key as well when that leaves the template valid there
            hint = f"add at least one {'item' if unit == 'items' else 'entry'}" if unit != "characters" else None
            return [Finding(LENGTH, text, path, hint=hint)]
        return [Finding(LENGTH, f"{subject(path)} {_size(value, unit)}; the minimum is {limit}", path)]
    return [Finding(LENGTH, f"{subject(path)} {_size(value, unit)}; the maximum is {limit}", path)]


def _size(value, unit: str) -> str:
    return f"is {len(value)} characters long" if unit == "characters" else f"has {len(value)} {unit}"


_RANGE_WORDS = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than"}


def _range(error, path, schema) -> list:
    bound = error.validator_value
    if isinstance(error.instance, float) and math.isinf(error.instance):
        return [Finding(OUT_OF_RANGE, f"{subject(path)} must be a finite number, not {error.instance}", path,
                        hint=f"use a number between {-FLOAT_MAX:g} and {FLOAT_MAX:g}")]
    bound_text = str(int(bound)) if isinstance(bound, float) and bound.is_integer() and abs(bound) < 1e18 else str(bound)
    return [Finding(OUT_OF_RANGE, f"{subject(path)} must be {_RANGE_WORDS[error.validator]} {bound_text}, "
                                  f"not {shown(error.instance)}", path)]


def _unique(error, path, schema) -> list:
    seen = []
    for index, item in enumerate(error.instance):
        if item in seen:
            return [Finding(DUPLICATE_ITEMS, f"{subject(path)} lists {shown(item)} more than once", path + (index,),
                            hint="remove the repeated item")]
        seen.append(item)
    return [Finding(DUPLICATE_ITEMS, f"{subject(path)} has repeated items", path)]


def _alternatives(error, path, schema, empty_keys) -> list:
    branches = schema.get(error.validator, [])
    if not error.context:
        return [_several_match(error, path, schema, branches)]
    by_branch = defaultdict(list)
    branch_position = len(error.absolute_schema_path)
    for sub in error.context:
        by_branch[list(sub.absolute_schema_path)[branch_position]].append(sub)
    if all(sub.validator == "required" and tuple(sub.absolute_path) == path for sub in error.context):
        keys = [key for branch in branches for key in branch.get("required", [])]
        wanted = "exactly one" if error.validator == "oneOf" else "at least one"
        return [Finding(MISSING_KEY, f"{owner(path)} needs {wanted} of: " + ", ".join(f"`{k}`" for k in keys),
                        path)]
    best = min(by_branch.values(), key=lambda errors: _branch_distance(errors, len(path)))
    findings = []
    for sub in best:
        findings.extend(findings_for(sub, empty_keys))
    return findings


def _branch_distance(errors, depth_of_alternatives: int) -> tuple:
    # A branch rejected for the value's type at its root is the least likely intent; after that, prefer
    # the branch that gets furthest into the value, then the one with the fewest complaints.
    depths = [len(e.absolute_path) - depth_of_alternatives for e in errors]
    root_type = any(e.validator == "type" and depth == 0 for e, depth in zip(errors, depths))
    return (root_type, -max(depths), len(errors))


def _several_match(error, path, schema, branches) -> Finding:
    instance = error.instance if isinstance(error.instance, dict) else {}
    present = [key for branch in branches for key in branch.get("required", []) if key in instance]
    message = schema.get("x-openjd-message") or f"{subject(path)} matches more than one allowed form"
    if len(present) > 1:
        return Finding(INVALID_STRUCTURE, f"{owner(path)} has " + " and ".join(f"`{k}`" for k in present)
                       + f": {message}", path + (present[1],), on_key=True, hint="keep only one of them")
    return Finding(INVALID_STRUCTURE, message, path)


_HANDLERS = {
    "additionalProperties": _additional_properties,
    "not": _forbidden_or_not,
    "dependentRequired": _dependent_required,
    "type": _type,
    "enum": _enum,
    "const": _enum,
    "pattern": _pattern,
    "minLength": _length, "maxLength": _length, "minItems": _length, "maxItems": _length,
    "minProperties": _length,
    "minimum": _range, "maximum": _range, "exclusiveMinimum": _range,
    "uniqueItems": _unique,
}
