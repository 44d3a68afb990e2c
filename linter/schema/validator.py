"""The JSON Schema validators, built once per process from the packaged schema files.

The schemas gate extension features with root-level `allOf: [{if: <extensions condition>, then: ...}]`.
Those conditions depend only on the `extensions` list, so the layer decides them once per template with
the compiled pre-check and hands jsonschema an equivalent schema whose root `allOf` lists only the
applicable `then` parts: the same errors, without re-testing the conditions in every walk.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from jsonschema import Draft202012Validator
from jsonschema.validators import extend

from openjd_lint.schema.precheck import Compiler

SCHEMA_FILES = {"job": "jobtemplate-2023-09.schema.json", "environment": "environment-2023-09.schema.json"}


def _is_integer(checker, instance) -> bool:
    # JSON Schema counts 1.0 as an integer; YAML's `1.0` is a float, which OpenJD integer fields refuse.
    return isinstance(instance, int) and not isinstance(instance, bool)


_TemplateValidator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def _evolve_once_per_subschema(evolve):
    """jsonschema builds a new validator object for every subschema it visits, which is most of its
    cost. Our schemas are one resource without `$id`s below the root or `$dynamicRef`, so the resolver
    that travels with a subschema never changes what it resolves: one validator per subschema will do."""
    memo: dict = {}

    def evolve_once(self, **changes):
        schema = changes.get("schema")
        if not isinstance(schema, dict) or not changes.keys() <= {"schema", "_resolver"}:
            return evolve(self, **changes)
        entry = memo.get(id(schema))
        if entry is None or entry[0] is not schema:
            entry = memo[id(schema)] = (schema, evolve(self, **changes))
        return entry[1]
    return evolve_once


_TemplateValidator.evolve = _evolve_once_per_subschema(_TemplateValidator.evolve)


def load_schema(kind: str) -> dict:
    text = resources.files("openjd_lint.schemas").joinpath(SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    return json.loads(text)


class SchemaForKind:
    def __init__(self, kind: str):
        self.schema = load_schema(kind)
        compiler = Compiler(self.schema)
        body = {key: value for key, value in self.schema.items() if key != "allOf"}
        self.precheck = compiler.compile(body)
        self.gates = [(compiler.compile(gate["if"]), compiler.compile(gate["then"]), gate["then"])
                      for gate in self.schema.get("allOf", [])]
        self._validators: dict = {}

    def is_valid(self, instance) -> bool:
        if not self.precheck(instance):
            return False
        return all(then(instance) for condition, then, _ in self.gates if condition(instance))

    def validator(self, instance):
        """A jsonschema validator for the schema with the gates that apply to `instance` resolved."""
        applicable = tuple(index for index, (condition, _, _) in enumerate(self.gates) if condition(instance))
        validator = self._validators.get(applicable)
        if validator is None:
            schema = dict(self.schema, allOf=[self.gates[index][2] for index in applicable])
            validator = self._validators[applicable] = _TemplateValidator(schema)
        return validator


@functools.lru_cache(maxsize=None)
def schema_for(kind: str) -> SchemaForKind:
    return SchemaForKind(kind)
