"""CONTRIBUTING.md and the README's layout section name only files and modules that exist."""

from __future__ import annotations

import importlib.util
import re

import pytest

from test_cli import ROOT

DOCUMENTS = ["CONTRIBUTING.md", "README.md"]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a parent is a module, not a package
        return False


@pytest.mark.parametrize("document", DOCUMENTS)
def test_named_files_and_modules_exist(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:linter|rules|schemas|tools|tests|benchmarks)/[\w/.*-]*)`", text))
    modules = set(re.findall(r"`(openjd_lint(?:\.\w+)+)", text))
    assert paths and modules
    missing = sorted(path for path in paths if "*" not in path and not (ROOT / path).exists())
    assert not missing, f"{document} names files that do not exist: {missing}"
    unknown = []
    for name in modules:
        parts = name.split(".")
        # `openjd_lint.context.per_template`: the longest prefix that is a module, then an attribute of it
        for length in range(len(parts), 1, -1):
            if _is_module(".".join(parts[:length])):
                module = importlib.import_module(".".join(parts[:length]))
                if all(hasattr(module, attribute) for attribute in parts[length:length + 1]):
                    break
        else:
            unknown.append(name)
    assert not unknown, f"{document} names modules that do not exist: {sorted(unknown)}"


def test_contributing_covers_each_kind_of_addition():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("## Adding a rule", "## Adding an output format", "## Adding an extension",
                    "## Adding an expression function", "## Snapshots"):
        assert heading in text
    assert "python -m pytest tests/test_snapshots.py --update-snapshots" in text
