"""The JSON Schema validators, built once per process from the packaged schema files."""

from __future__ import annotations

import functools
import json
from importlib import resources

from jsonschema import Draft202012Validator
from jsonschema.validators import extend

SCHEMA_FILES = {"job": "jobtemplate-2023-09.schema.json", "environment": "environment-2023-09.schema.json"}


def _is_integer(checker, instance) -> bool:
    # JSON Schema counts 1.0 as an integer; YAML's `1.0` is a float, which OpenJD integer fields refuse.
    return isinstance(instance, int) and not isinstance(instance, bool)


_TemplateValidator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def load_schema(kind: str) -> dict:
    text = resources.files("openjd_lint.schemas").joinpath(SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=None)
def validator_for(kind: str):
    return _TemplateValidator(load_schema(kind))
