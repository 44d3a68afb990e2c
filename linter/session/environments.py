"""Environment templates given on the command line (`--env`), loaded into Contexts that enclose
a job template's sessions."""

from __future__ import annotations

from openjd_lint.context import ENVIRONMENT, SPECIFICATION_VERSIONS, Context, template_context
from openjd_lint.load.yaml_loader import load_bytes


class EnvironmentFileError(Exception):
    """A `--env` file that cannot serve as an enclosing environment (a usage error)."""


def load_environment(path: str, data: bytes = None) -> Context:
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise EnvironmentFileError(f"cannot read environment template {path}: {error.strerror}") from None
    loaded = load_bytes(data, path, is_json=path.lower().endswith(".json"))
    root = loaded.root
    version = root.get("specificationVersion") if root is not None and hasattr(root, "get") else None
    if SPECIFICATION_VERSIONS.get(getattr(version, "value", None)) != ENVIRONMENT:
        raise EnvironmentFileError(f"{path} is not an environment template (specificationVersion: "
                                   "environment-2023-09)")
    return template_context(loaded.source, root, ENVIRONMENT)


def load_environments(paths) -> tuple:
    """The Contexts of `paths`, outermost first. Raises EnvironmentFileError."""
    return tuple(load_environment(path) for path in paths or ())
