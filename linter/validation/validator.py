"""The compiled schemas, built once per process from the packaged schema files."""

from __future__ import annotations

import functools
import json
import pkgutil

from openjd_lint import schemas
from openjd_lint.validation.errors import ErrorCompiler

SCHEMA_FILES = {"job": "jobtemplate-2023-09.schema.json", "environment": "environment-2023-09.schema.json"}


def load_schema(kind: str) -> dict:
    # pkgutil rather than importlib.resources, whose readers import zipfile on every run
    data = pkgutil.get_data(schemas.__name__, SCHEMA_FILES[kind])
    assert data is not None, "openjd_lint.schemas is a package with a loader"
    return json.loads(data.decode("utf-8"))


class SchemaForKind:
    def __init__(self, kind: str):
        self.schema = load_schema(kind)
        compiler = ErrorCompiler(self.schema)
        self.is_valid = compiler.predicates.compile(self.schema)
        self._report = compiler.compile(self.schema)

    def errors(self, instance) -> list:
        """The errors jsonschema would yield for `instance`, in its order (see errors.py)."""
        errors: list = []
        self._report(instance, (), (), errors)
        return errors


@functools.lru_cache(maxsize=None)
def schema_for(kind: str) -> SchemaForKind:
    return SchemaForKind(kind)
