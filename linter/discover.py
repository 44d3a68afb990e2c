"""Which files a run checks: the named files, and templates found by walking named directories."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import Optional

from openjd_lint.load.source import without_bom

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json")
_SKIPPED_DIRECTORIES = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}

_VERSION_MARK = b"specificationVersion"
# `specificationVersion` as a key: first on its line (block YAML, optionally quoted, optionally a list item) or
# after `{` or `,` (JSON and flow YAML). A mention in a comment or inside a value does not count.
_VERSION_KEY_RE = re.compile(rb"""(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t\r\n]*)(["']?)specificationVersion\1\s*:""",
                             re.MULTILINE)
_WIDE_ENCODINGS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                   (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class Target:
    path: str
    explicit: bool  # named on the command line: checked even without `specificationVersion`
    data: Optional[bytes] = None  # content already read (standard input)


def tidy(path: str) -> str:
    """The path as a user reads it: without `.` components and repeated separators (`./a//b` -> `a/b`);
    `..` is kept (collapsing it would be wrong across a symbolic link)."""
    parts = path.replace(os.sep, "/").split("/")
    kept = [part for part in parts[1:] if part not in ("", ".")]
    head = "/" if parts[0] == "" else "" if parts[0] == "." else parts[0] + ("/" if kept else "")
    return (head + "/".join(kept)) or "."


class MissingPath(Exception):
    pass


class UnreadablePath(Exception):
    pass


def discover(paths: list[str], named_are_explicit: bool = True, skipped: Optional[list] = None) -> list[Target]:
    """Files to check in a stable order; directories are walked recursively (symlinked directories
    are not followed, so link loops cannot recurse). Walking keeps only regular files: (path, why) of
    the others (dangling links, FIFOs, sockets, devices) go to `skipped`. A named file is checked whatever
    it is (a pipe such as `<(...)` is read as a stream), but must open."""
    targets: list[Target] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = []
            for directory, subdirectories, files in os.walk(path):
                subdirectories[:] = sorted(d for d in subdirectories if d not in _SKIPPED_DIRECTORIES)
                found.extend(os.path.join(directory, f) for f in files if f.lower().endswith(TEMPLATE_SUFFIXES))
            new = []
            for file in sorted(found):
                why = not_regular(file)
                if why is None:
                    new.append(Target(tidy(file), explicit=False))
                elif skipped is not None:
                    skipped.append((tidy(file), why))
        elif os.path.exists(path):
            if os.path.isfile(path):
                _check_opens(path)
            new = [Target(tidy(path), explicit=named_are_explicit)]
        else:
            raise MissingPath(path)
        for target in new:
            key = os.path.normpath(target.path)
            if key not in seen:
                seen.add(key)
                targets.append(target)
    return targets


def not_regular(path: str) -> Optional[str]:
    """Why `path` (links followed) is not a regular file, or None when it is one."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if os.path.islink(path) else "it is gone"
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "a device, not a regular file"


def _check_opens(path: str) -> None:
    try:
        os.close(os.open(path, os.O_RDONLY))
    except OSError as error:
        raise UnreadablePath(f"cannot read {path}: {error.strerror}") from None


def declares_specification_version(data: bytes) -> bool:
    """Whether the raw text has a `specificationVersion` key: what makes a file found by walking a directory
    (or named under `--only-templates`) a template. It looks at the text, not the parsed YAML, so a broken
    template is still reported while empty files, Helm charts, tab-indented YAML or JSON with comments are not."""
    for bom, encoding in _WIDE_ENCODINGS:
        if data.startswith(bom):  # the loader reports the encoding (L006); the template still says what it is
            data = data[len(bom):].decode(encoding, errors="replace").encode("utf-8")
            break
    data = without_bom(data)
    return _VERSION_MARK in data and _VERSION_KEY_RE.search(data) is not None
