"""Which files a run checks: the named files, and templates found by walking named directories."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json")
_SKIPPED_DIRECTORIES = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}


@dataclass(frozen=True)
class Target:
    path: str
    explicit: bool  # named on the command line: checked even without `specificationVersion`
    data: Optional[bytes] = None  # content already read (standard input)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        with open(self.path, "rb") as handle:
            return handle.read()


class MissingPath(Exception):
    pass


def discover(paths: list[str], named_are_explicit: bool = True) -> list[Target]:
    """Files to check in a stable order; directories are walked recursively (symlinked directories
    are not followed, so link loops cannot recurse)."""
    targets: list[Target] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = []
            for directory, subdirectories, files in os.walk(path):
                subdirectories[:] = sorted(d for d in subdirectories if d not in _SKIPPED_DIRECTORIES)
                found.extend(os.path.join(directory, f) for f in files if f.lower().endswith(TEMPLATE_SUFFIXES))
            new = [Target(f, explicit=False) for f in sorted(found)]
        elif os.path.exists(path):
            new = [Target(path, explicit=named_are_explicit)]
        else:
            raise MissingPath(path)
        for target in new:
            key = os.path.normpath(target.path)
            if key not in seen:
                seen.add(key)
                targets.append(target)
    return targets
