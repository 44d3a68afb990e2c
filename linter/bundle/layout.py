"""Which files make a job bundle, found the way the Deadline Cloud client finds them: by stem, as `<stem>.json`
or `<stem>.yaml` (never `.yml`), the bundle path itself resolved first (job-bundles.md §1)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import Optional

TEMPLATE, VALUES, ASSETS = "template", "parameter_values", "asset_references"
STEMS = (TEMPLATE, VALUES, ASSETS)
READ_SUFFIXES = (".json", ".yaml")
UNREAD_SUFFIX = ".yml"
# A bundle is a few files; a walk of more entries than this (a home directory named by mistake) stops there.
MAX_WALKED_ENTRIES = 100_000


@dataclass(frozen=True)
class Layout:
    directory: str  # as named (relative names stay relative in the output; "" is the current directory)
    files: tuple  # ((stem, path), ...) of the files the client reads, one per stem (the .json one of a pair)
    duplicates: tuple  # ((stem, json path, yaml path), ...)
    unread: tuple  # paths of `<stem>.yml` files, which the client does not read

    def path(self, stem: str) -> Optional[str]:
        return dict(self.files).get(stem)


def find(directory: str) -> Optional[Layout]:
    """The layout of `directory` when it holds a template file (`.yml` included, so that it can be reported);
    None otherwise. Whether the template is a job template is for the caller, who loads it."""
    files, duplicates, unread = [], [], []
    for stem in STEMS:
        present = [os.path.join(directory, stem + suffix) for suffix in READ_SUFFIXES]
        present = [path for path in present if _is_file(path)]
        if len(present) == 2:
            duplicates.append((stem, *present))
        if present:
            files.append((stem, present[0]))
        yml = os.path.join(directory, stem + UNREAD_SUFFIX)
        if _is_file(yml):
            unread.append(yml)
    if not any(stem == TEMPLATE for stem, _ in files) and os.path.join(directory, TEMPLATE + UNREAD_SUFFIX) not in unread:
        return None
    return Layout(directory, tuple(files), tuple(duplicates), tuple(unread))


def member_stem(path: str) -> Optional[str]:
    """The stem when `path` is one of a bundle's own files (`template`, `parameter_values`, `asset_references`,
    with any of the three suffixes) inside a directory that holds a template file."""
    stem, suffix = os.path.splitext(os.path.basename(path))
    if stem not in STEMS or suffix not in READ_SUFFIXES + (UNREAD_SUFFIX,):
        return None
    directory = os.path.dirname(path) or "."
    if any(_is_file(os.path.join(directory, TEMPLATE + s)) for s in READ_SUFFIXES + (UNREAD_SUFFIX,)):
        return stem
    return None


def escaping_paths(directory: str) -> list:
    """(path, resolved) of every file or directory entry of the bundle whose real path lies outside the
    bundle's real path. Symbolic links to directories are checked but not followed, as the client walks."""
    root = os.path.realpath(directory or ".")
    escaping, walked = [], 0
    for current, subdirectories, names in os.walk(directory or "."):
        subdirectories.sort()
        for name in sorted(subdirectories + names):
            walked += 1
            if walked > MAX_WALKED_ENTRIES:
                return escaping
            path = os.path.join(current, name) if directory else os.path.relpath(os.path.join(current, name))
            resolved = os.path.realpath(path)
            if not _inside(resolved, root):
                escaping.append((path, resolved))
    return escaping


def resolve_inside(directory: str, relative: str) -> tuple:
    """(the normalised path of `relative` joined to the bundle, whether its real path stays inside the bundle)."""
    joined = os.path.normpath(os.path.join(directory, relative))
    return joined, _inside(os.path.realpath(joined), os.path.realpath(directory or "."))


def read_regular(path: str, limit: int) -> Optional[bytes]:
    """The bytes of a regular file of at most `limit` bytes; None for anything else (a FIFO is never opened)."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError:
        return None


def _inside(resolved: str, root: str) -> bool:
    return resolved == root or resolved.startswith(root.rstrip(os.sep) + os.sep)


def _is_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
