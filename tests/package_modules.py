"""The modules of the installed `openjd_lint` package and the imports between them, found through the
package (editable or not) rather than through folder names: pyproject maps several folders into it."""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
from functools import lru_cache

PACKAGE = "openjd_lint"


@lru_cache(maxsize=None)
def modules() -> dict:
    """Module name -> source file, for every module of the package: each package's own modules, and
    every module an import names (which is how packages mapped from other folders are reached)."""
    found: dict = {}
    queue = [PACKAGE]
    while queue:
        name = queue.pop()
        if name in found:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        found[name] = spec.origin
        if spec.submodule_search_locations:
            queue += [f"{name}.{info.name}" for info in pkgutil.iter_modules(spec.submodule_search_locations)]
        queue += sorted(_named(name, spec.origin))
    return dict(sorted(found.items()))


def packages() -> set:
    return {name for name, path in modules().items() if path.endswith("__init__.py")}


@lru_cache(maxsize=None)
def import_graph() -> dict:
    """Module -> the package's modules it imports, at the top or inside a function (lazy imports)."""
    known = modules()
    return {name: sorted(target for target in _named(name, path) if target in known and target != name)
            for name, path in known.items()}


def _named(name: str, path: str) -> set:
    """What the imports of a module name: `from X import a` names X.a when that is a module, else X."""
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            if base == PACKAGE or base.startswith(PACKAGE + "."):
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    named.add(submodule if _is_module(submodule) else base)
    return {module for module in named if module == PACKAGE or module.startswith(PACKAGE + ".")}


@lru_cache(maxsize=None)
def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
