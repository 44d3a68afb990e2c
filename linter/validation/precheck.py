"""A yes/no check: compile the schema's keywords into plain Python predicates.

Almost every template that reaches the linter is schema-valid, so the layer first asks this compiled
predicate and builds error reports (errors.py) only when it says no; the reports use the predicates to
skip the subschemas a value satisfies. It implements exactly the keywords the packaged schemas use, with
jsonschema's semantics, and refuses to compile any other keyword, so a schema change cannot silently
make it disagree with jsonschema (the tests compare both on every fixture).
"""

from __future__ import annotations

import re
from typing import Any, Callable

Predicate = Callable[[Any], bool]

ANNOTATIONS = frozenset({
    "$schema", "$id", "$defs", "title", "description", "examples",
    "x-openjd-requires", "x-openjd-feature", "x-openjd-form", "x-openjd-values", "x-openjd-message",
    "errorMessage", "patternErrorMessage", "doNotSuggest",
})


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


TYPE_TESTS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def json_equal(one, two) -> bool:
    """Equality as JSON Schema defines it: `true` is not `1`, `1.0` is `1`."""
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(json_equal(a, b) for a, b in zip(one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(json_equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return one == two


def _always(_value) -> bool:
    return True


def _all(predicates: list) -> Predicate:
    if not predicates:
        return _always
    if len(predicates) == 1:
        return predicates[0]

    def every(value) -> bool:
        for predicate in predicates:
            if not predicate(value):
                return False
        return True
    return every


class Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.refs: dict = {}
        self.compiled: dict = {}

    def compile(self, schema) -> Predicate:
        if schema is True:
            return _always
        if schema is False:
            # jsonschema reports a `false` subschema without the path of the value it rejects
            raise ValueError("write `{\"not\": {}}` instead of a `false` subschema: its errors keep their path")
        # the error reports ask again for the predicate of every subschema they descend into
        entry = self.compiled.get(id(schema))
        if entry is None or entry[0] is not schema:
            entry = self.compiled[id(schema)] = (schema, self._compile(schema))
        return entry[1]

    def _compile(self, schema: dict) -> Predicate:
        predicates = []
        if "type" in schema:
            predicates.append(self._type(schema["type"], schema))
        for keyword, argument in schema.items():
            if keyword in ANNOTATIONS or keyword in ("type", "then", "else"):
                continue
            predicates.append(self.keyword(keyword, argument, schema))
        return _all(predicates)

    def keyword(self, keyword: str, argument, schema: dict) -> Predicate:
        """The predicate of one keyword of `schema`."""
        method = getattr(self, "_" + keyword.lstrip("$"), None)
        if method is None:
            raise ValueError(f"the pre-check does not implement the keyword {keyword!r}")
        return method(argument, schema)

    def _type(self, names, schema) -> Predicate:
        tests = [TYPE_TESTS[name] for name in ([names] if isinstance(names, str) else names)]
        return tests[0] if len(tests) == 1 else (lambda v: any(test(v) for test in tests))

    def _properties(self, properties: dict, schema) -> Predicate:
        checks = {key: self.compile(sub) for key, sub in properties.items()}

        def check(value) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                predicate = checks.get(key)
                if predicate is not None and not predicate(item):
                    return False
            return True
        return check

    def _additionalProperties(self, additional, schema) -> Predicate:
        known = frozenset(schema.get("properties", {}))
        if additional is False:
            return lambda v: not isinstance(v, dict) or known.issuperset(v)
        predicate = self.compile(additional)
        return lambda v: not isinstance(v, dict) or all(predicate(x) for k, x in v.items() if k not in known)

    def _propertyNames(self, names, schema) -> Predicate:
        predicate = self.compile(names)
        return lambda v: not isinstance(v, dict) or all(predicate(k) for k in v)

    def _required(self, keys, schema) -> Predicate:
        required = frozenset(keys)
        return lambda v: not isinstance(v, dict) or v.keys() >= required

    def _dependentRequired(self, dependencies: dict, schema) -> Predicate:
        pairs = list(dependencies.items())
        return lambda v: not isinstance(v, dict) or all(
            all(n in v for n in needed) for key, needed in pairs if key in v)

    def _minProperties(self, limit, schema) -> Predicate:
        return lambda v: not isinstance(v, dict) or len(v) >= limit

    def _items(self, items, schema) -> Predicate:
        predicate = self.compile(items)

        def check(value) -> bool:
            if not isinstance(value, list):
                return True
            for item in value:
                if not predicate(item):
                    return False
            return True
        return check

    def _contains(self, contains, schema) -> Predicate:
        predicate = self.compile(contains)
        return lambda v: not isinstance(v, list) or any(predicate(x) for x in v)

    def _minItems(self, limit, schema) -> Predicate:
        return lambda v: not isinstance(v, list) or len(v) >= limit

    def _maxItems(self, limit, schema) -> Predicate:
        return lambda v: not isinstance(v, list) or len(v) <= limit

    def _uniqueItems(self, unique, schema) -> Predicate:
        if not unique:
            return _always
        return lambda v: not isinstance(v, list) or not any(
            json_equal(v[i], v[j]) for i in range(len(v)) for j in range(i + 1, len(v)))

    def _minLength(self, limit, schema) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) >= limit

    def _maxLength(self, limit, schema) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) <= limit

    def _pattern(self, pattern, schema) -> Predicate:
        search = re.compile(pattern).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _minimum(self, bound, schema) -> Predicate:
        return lambda v: not _is_number(v) or not v < bound

    def _maximum(self, bound, schema) -> Predicate:
        return lambda v: not _is_number(v) or not v > bound

    def _exclusiveMinimum(self, bound, schema) -> Predicate:
        return lambda v: not _is_number(v) or not v <= bound

    def _enum(self, values, schema) -> Predicate:
        return lambda v: any(json_equal(v, allowed) for allowed in values)

    def _const(self, value, schema) -> Predicate:
        return lambda v: json_equal(v, value)

    def _not(self, negated, schema) -> Predicate:
        predicate = self.compile(negated)
        return lambda v: not predicate(v)

    def _allOf(self, schemas, schema) -> Predicate:
        return _all([self.compile(s) for s in schemas])

    def _anyOf(self, schemas, schema) -> Predicate:
        predicates = [self.compile(s) for s in schemas]
        return lambda v: any(p(v) for p in predicates)

    def _oneOf(self, schemas, schema) -> Predicate:
        predicates = [self.compile(s) for s in schemas]
        return lambda v: sum(1 for p in predicates if p(v)) == 1

    def _if(self, condition, schema) -> Predicate:
        test = self.compile(condition)
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda v: then(v) if test(v) else otherwise(v)

    def _ref(self, reference: str, schema) -> Predicate:
        if reference not in self.refs:
            cell: list = []
            self.refs[reference] = lambda v: cell[0](v)
            cell.append(self.compile(self.dereference(reference)))
        return self.refs[reference]

    def dereference(self, reference: str):
        if not reference.startswith("#/"):
            raise ValueError(f"the pre-check resolves only local references, not {reference!r}")
        target = self.root
        for part in reference[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target
