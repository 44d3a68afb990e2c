"""What a plain `pip install .` brings: every third-party package the shipped modules import is a base
dependency (so `openjd-lint lsp` works without an extra), and the README's install lines name no extra
that the project does not define."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

from packaging.requirements import Requirement

from package_modules import modules
from test_cli import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def imported_top_level_modules() -> dict:
    """Top-level module -> a module importing it, over every shipped module (lazy imports included)."""
    found = {}
    for module, path in modules().items():
        for node in ast.walk(ast.parse(Path(path).read_text(), path)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], module)
    return found


def test_every_imported_third_party_package_is_a_base_dependency():
    base = {re.sub(r"[-_.]+", "-", Requirement(r).name).lower() for r in PROJECT["dependencies"]}
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module, where in imported_top_level_modules().items():
        if module in sys.stdlib_module_names or module in ("openjd_lint", "__future__"):
            continue
        names = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [module])}
        if not names & base:
            missing[module] = str(where)
    assert "pygls" in imported_top_level_modules()
    assert not missing, f"imported by shipped modules but not in [project] dependencies: {missing}"


def test_readme_install_lines_name_only_defined_extras():
    extras = set(PROJECT.get("optional-dependencies", {}))
    readme = (ROOT / "README.md").read_text()
    named = re.findall(r"pip install[^\n`]*?['\"]?[\w.-]+\[([\w,-]+)\]", readme)
    assert named, "the README shows how to install the test extra"
    for group in named:
        assert set(group.split(",")) <= extras, f"README installs an undefined extra: [{group}]"
