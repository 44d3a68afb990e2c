"""The compiled checker's error reports: the errors jsonschema would yield, without jsonschema.

Each keyword compiles into a reporter that appends `SchemaError`s for a value, in the order jsonschema
yields them for our schemas: keyword by keyword in schema order, one error per missing required key,
the branch errors of a failed `anyOf`/`oneOf` as its context. A reporter descends into a subschema only
when the subschema's compiled predicate (precheck.py) rejects the value, so a report walks only the
failing parts of a template. Like the predicates, it refuses keywords it does not implement.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from openjd_lint.validation.precheck import ANNOTATIONS, Compiler

# (value, absolute instance path, absolute schema path, errors to append to)
Report = Callable[[Any, tuple, tuple, list], None]


class SchemaError:
    """One schema violation. The attributes carry jsonschema's `ValidationError` names (`validator` is
    the keyword, `validator_value` its argument) so that the mapping reads either kind: the tests feed it
    jsonschema's own errors as the oracle for these."""

    __slots__ = ("validator", "validator_value", "instance", "schema", "absolute_path", "absolute_schema_path",
                 "context", "_describe")

    def __init__(self, keyword: str, argument, instance, schema: dict, path: tuple, schema_path: tuple,
                 context: list = (), describe: Optional[Callable] = None):
        self.validator = keyword
        self.validator_value = argument
        self.instance = instance
        self.schema = schema
        self.absolute_path = path
        self.absolute_schema_path = schema_path
        self.context = context
        self._describe = describe or _MESSAGES[keyword]

    @property
    def message(self) -> str:
        return self._describe(self)

    def __repr__(self) -> str:
        return f"SchemaError({self.validator!r} at {list(self.absolute_path)}: {self.message})"


def _additional_message(error) -> str:
    known = error.schema.get("properties", {})
    extras = sorted((key for key in error.instance if key not in known), key=str)
    verb = "was" if len(extras) == 1 else "were"
    return f"Additional properties are not allowed ({', '.join(repr(key) for key in extras)} {verb} unexpected)"


def _too_few(error) -> str:
    return f"{error.instance!r} " + ("should be non-empty" if error.validator_value == 1 else "is too short")


def _too_many(error) -> str:
    return f"{error.instance!r} " + ("is expected to be empty" if error.validator_value == 0 else "is too long")


# jsonschema's wording, which the mapping quotes for a keyword it has no rule of its own for
_MESSAGES = {
    "type": lambda e: f"{e.instance!r} is not of type " + ", ".join(
        repr(name) for name in ([e.validator_value] if isinstance(e.validator_value, str) else e.validator_value)),
    "enum": lambda e: f"{e.instance!r} is not one of {e.validator_value!r}",
    "const": lambda e: f"{e.validator_value!r} was expected",
    "pattern": lambda e: f"{e.instance!r} does not match {e.validator_value!r}",
    "minLength": _too_few, "minItems": _too_few,
    "maxLength": _too_many, "maxItems": _too_many,
    "minProperties": lambda e: f"{e.instance!r} " + (
        "should be non-empty" if e.validator_value == 1 else "does not have enough properties"),
    "minimum": lambda e: f"{e.instance!r} is less than the minimum of {e.validator_value!r}",
    "maximum": lambda e: f"{e.instance!r} is greater than the maximum of {e.validator_value!r}",
    "exclusiveMinimum": lambda e: f"{e.instance!r} is less than or equal to the minimum of {e.validator_value!r}",
    "uniqueItems": lambda e: f"{e.instance!r} has non-unique elements",
    "contains": lambda e: f"{e.instance!r} does not contain items matching the given schema",
    "not": lambda e: f"{e.instance!r} should not be valid under {e.validator_value!r}",
    "additionalProperties": _additional_message,
    "anyOf": lambda e: f"{e.instance!r} is not valid under any of the given schemas",
    "oneOf": lambda e: f"{e.instance!r} is not valid under any of the given schemas",
}

# keywords whose single error is exactly "the keyword's predicate rejects the value"
_PREDICATE_KEYWORDS = frozenset({
    "type", "enum", "const", "pattern", "minLength", "maxLength", "minItems", "maxItems", "minProperties",
    "minimum", "maximum", "exclusiveMinimum", "uniqueItems", "contains", "not",
})


def _nothing(value, path, schema_path, errors) -> None:
    return None


class ErrorCompiler:
    def __init__(self, root: dict):
        self.predicates = Compiler(root)
        self.refs: dict = {}

    def compile(self, schema) -> Report:
        self.predicates.compile(schema)  # refuses what the predicates do not implement, before anything else
        if schema is True:
            return _nothing
        reports = []
        for keyword, argument in schema.items():
            if keyword in ANNOTATIONS or keyword in ("then", "else"):
                continue
            if keyword in _PREDICATE_KEYWORDS:
                reports.append(self._rejected_by_predicate(keyword, argument, schema))
            else:
                reports.append(getattr(self, "_" + keyword.lstrip("$"))(argument, schema))
        if len(reports) == 1:
            return reports[0]

        def report(value, path, schema_path, errors) -> None:
            for keyword_report in reports:
                keyword_report(value, path, schema_path, errors)
        return report

    def _child(self, schema) -> tuple:
        return self.predicates.compile(schema), self._compiled_on_first_use(schema)

    def _compiled_on_first_use(self, schema) -> Report:
        # most runs report errors in few parts of the schema: compiling the rest would cost start-up time
        compiled: list = []

        def report(value, path, schema_path, errors) -> None:
            if not compiled:
                compiled.append(self.compile(schema))
            compiled[0](value, path, schema_path, errors)
        return report

    def _rejected_by_predicate(self, keyword, argument, schema) -> Report:
        accepts = self.predicates.keyword(keyword, argument, schema)

        def report(value, path, schema_path, errors) -> None:
            if not accepts(value):
                errors.append(SchemaError(keyword, argument, value, schema, path, schema_path + (keyword,)))
        return report

    def _required(self, keys, schema) -> Report:
        def report(value, path, schema_path, errors) -> None:
            if isinstance(value, dict):
                for key in keys:
                    if key not in value:
                        errors.append(SchemaError("required", keys, value, schema, path, schema_path + ("required",),
                                                  describe=lambda e, key=key: f"{key!r} is a required property"))
        return report

    def _dependentRequired(self, dependencies: dict, schema) -> Report:
        def report(value, path, schema_path, errors) -> None:
            if not isinstance(value, dict):
                return
            for key, needed in dependencies.items():
                if key not in value:
                    continue
                for each in needed:
                    if each not in value:
                        errors.append(SchemaError(
                            "dependentRequired", dependencies, value, schema, path,
                            schema_path + ("dependentRequired",),
                            describe=lambda e, each=each, key=key: f"{each!r} is a dependency of {key!r}"))
        return report

    def _properties(self, properties: dict, schema) -> Report:
        children = [(key, *self._child(sub)) for key, sub in properties.items()]

        def report(value, path, schema_path, errors) -> None:
            if not isinstance(value, dict):
                return
            for key, accepts, child in children:
                if key in value and not accepts(value[key]):
                    child(value[key], path + (key,), schema_path + ("properties", key), errors)
        return report

    def _additionalProperties(self, additional, schema) -> Report:
        if additional is False:
            known = frozenset(schema.get("properties", {}))

            def report_unknown(value, path, schema_path, errors) -> None:
                if isinstance(value, dict) and not known.issuperset(value):
                    errors.append(SchemaError("additionalProperties", False, value, schema, path,
                                              schema_path + ("additionalProperties",)))
            return report_unknown
        accepts, child = self._child(additional)
        known = frozenset(schema.get("properties", {}))

        # jsonschema visits the extra keys in set order, which varies between processes; the layer sorts
        # its findings, so instance order serves as well and stays deterministic.
        def report(value, path, schema_path, errors) -> None:
            if not isinstance(value, dict):
                return
            for key, item in value.items():
                if key not in known and not accepts(item):
                    child(item, path + (key,), schema_path + ("additionalProperties",), errors)
        return report

    def _propertyNames(self, names, schema) -> Report:
        accepts, child = self._child(names)

        def report(value, path, schema_path, errors) -> None:
            if isinstance(value, dict):
                for key in value:
                    if not accepts(key):
                        child(key, path, schema_path + ("propertyNames",), errors)
        return report

    def _items(self, items, schema) -> Report:
        accepts, child = self._child(items)

        def report(value, path, schema_path, errors) -> None:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if not accepts(item):
                        child(item, path + (index,), schema_path + ("items",), errors)
        return report

    def _allOf(self, schemas, schema) -> Report:
        branches = [self._child(sub) for sub in schemas]

        def report(value, path, schema_path, errors) -> None:
            for index, (accepts, child) in enumerate(branches):
                if not accepts(value):
                    child(value, path, schema_path + ("allOf", index), errors)
        return report

    def _anyOf(self, schemas, schema) -> Report:
        branches = [self._child(sub) for sub in schemas]

        def report(value, path, schema_path, errors) -> None:
            if any(accepts(value) for accepts, _ in branches):
                return
            errors.append(SchemaError("anyOf", schemas, value, schema, path, schema_path + ("anyOf",),
                                      _branch_errors(branches, "anyOf", value, path, schema_path)))
        return report

    def _oneOf(self, schemas, schema) -> Report:
        branches = [self._child(sub) for sub in schemas]

        def report(value, path, schema_path, errors) -> None:
            matching = [sub for sub, (accepts, _) in zip(schemas, branches) if accepts(value)]
            if not matching:
                errors.append(SchemaError("oneOf", schemas, value, schema, path, schema_path + ("oneOf",),
                                          _branch_errors(branches, "oneOf", value, path, schema_path)))
            elif len(matching) > 1:
                # jsonschema names the later matches first, then the first one
                named = ", ".join(repr(sub) for sub in [*matching[1:], matching[0]])
                errors.append(SchemaError("oneOf", schemas, value, schema, path, schema_path + ("oneOf",),
                                          describe=lambda e: f"{e.instance!r} is valid under each of {named}"))
        return report

    def _if(self, condition, schema) -> Report:
        holds = self.predicates.compile(condition)
        then = self._child(schema["then"]) if "then" in schema else None
        otherwise = self._child(schema["else"]) if "else" in schema else None

        def report(value, path, schema_path, errors) -> None:
            branch, name = (then, "then") if holds(value) else (otherwise, "else")
            if branch is not None and not branch[0](value):
                branch[1](value, path, schema_path + (name,), errors)
        return report

    def _ref(self, reference: str, schema) -> Report:
        if reference not in self.refs:
            self.refs[reference] = self._compiled_on_first_use(self.predicates.dereference(reference))
        return self.refs[reference]


def _branch_errors(branches, keyword, value, path, schema_path) -> list:
    context: list = []
    for index, (_, child) in enumerate(branches):
        child(value, path, schema_path + (keyword, index), context)
    return context
