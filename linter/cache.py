"""The on-disk cache: each file's diagnostics keyed by its name, its bytes, its configuration and the
linter itself, so that an unchanged repository is re-checked without linting anything.

One JSON file holds the entries of every file checked, a row per file name (a changed file replaces its
row, so the cache grows with the number of files, not with their edits); it is read once at the start of
a run and written once at its end. JSON, never pickle: a cache directory may come from anywhere, and
loading it must not run code. The file is named after the linter's fingerprint (its version and the size
and modification time of every module, schema and grammar file), so an edited checkout never reads
entries written by older code, and saving removes the files of other fingerprints.

A cache location may come from a cloned repository too: the linter writes only into a directory it made
(a real directory, not a link, holding its CACHEDIR.TAG), creates its files without following links, and
deletes only files with the names it gives them. Any other location is refused: the run goes on uncached.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
import sys
from typing import Optional

from openjd_lint import __version__
from openjd_lint.findings import Diagnostic, Edit, Fix, RelatedLocation, Severity
from openjd_lint.load.source import without_bom

CACHE_DIRECTORY = ".openjd-lint-cache"
_TAG = "CACHEDIR.TAG"
_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55\n"
_TAG_TEXT = _SIGNATURE + "# This directory is openjd-lint's cache; `openjd-lint clean` removes it.\n"
_GITIGNORE = ".gitignore"
# The names of the files the cache writes: one per linter fingerprint, and its temporary while saving.
_OWN_FILE = re.compile(r"([0-9A-Za-z.+!_-]+)\.json(?:\.[0-9]+\.tmp)?")
_FINGERPRINT = re.compile(r"[0-9A-Za-z.+!_-]+-[0-9a-f]{16}")
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NO_BLOCK = getattr(os, "O_NONBLOCK", 0)
_FORMAT = 1


@dataclasses.dataclass(frozen=True)
class Entry:
    diagnostics: tuple
    is_template: bool
    decoded: bool  # the file decoded as UTF-8 (its Source can be rebuilt from the bytes)


class Cache:
    def __init__(self, directory: str, registry, inline_suppressions: bool = True, enclosing: tuple = ()):
        self.directory = directory
        self._path = os.path.join(directory, f"{_linter_fingerprint()}.json")
        self._run_settings = _run_settings(registry, inline_suppressions, enclosing)
        self._config_fingerprints: dict = {}
        self._rows: Optional[dict] = None  # file name -> [key, entry as JSON], read on first use
        self._written: dict = {}

    def key(self, name: str, data: bytes, config) -> str:
        fingerprint = self._config_fingerprints.get(id(config))
        if fingerprint is None:
            fingerprint = self._config_fingerprints[id(config)] = _config_fingerprint(config)
        digest = _sha256()
        for part in (self._run_settings, fingerprint, name):
            encoded = part.encode("utf-8", errors="surrogateescape")
            digest.update(len(encoded).to_bytes(8, "little") + encoded)
        digest.update(data)
        return digest.hexdigest()

    def get(self, name: str, key: str) -> Optional[Entry]:
        row = self._stored().get(name)
        if not isinstance(row, list) or len(row) != 2 or row[0] != key:
            return None
        try:
            return _entry_from_json(row[1])
        except ValueError:
            return None  # written by something else: lint the file again

    def put(self, name: str, key: str, entry: Entry) -> None:
        self._written[name] = [key, _entry_to_json(entry)]

    def save(self) -> None:
        """Write this run's entries, merged into what is stored now (another run may have saved since)."""
        if not self._written:
            return
        self._rows = None
        rows = {**self._stored(), **self._written}
        self._written = {}
        temporary = f"{self._path}.{os.getpid()}.tmp"
        try:
            if not _make_directory(self.directory) and refusal(self.directory) is not None:
                return  # became something else while this run went on
            _remove_own(temporary)  # left by a process of the same id that died while saving
            _create(temporary, json.dumps({"format": _FORMAT, "files": rows}, separators=(",", ":")).encode())
            os.replace(temporary, self._path)  # atomic: a concurrent reader sees the old file or the new one
            for stale in os.listdir(self.directory):
                if stale.endswith(".json") and _is_own(stale) and os.path.join(self.directory, stale) != self._path:
                    _remove_own(os.path.join(self.directory, stale))
        except OSError:
            pass  # a read-only checkout still lints; it just is not cached

    def _stored(self) -> dict:
        if self._rows is None:
            try:
                document = json.loads(_read_regular(self._path))
                rows = document["files"] if document.get("format") == _FORMAT else {}
                self._rows = rows if isinstance(rows, dict) else {}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._rows = {}
        return self._rows


def refusal(directory: str) -> Optional[str]:
    """Why the cache cannot use `directory` (None when it can: absent, or a directory the linter made)."""
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"{directory} cannot be inspected ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return f"{directory} is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return f"{directory} is not a directory"
    try:
        tag = _read_regular(os.path.join(directory, _TAG), len(_TAG_TEXT))
    except OSError:
        tag = b""
    if not tag.startswith(_SIGNATURE.encode()) or b"openjd-lint" not in tag:
        return f"{directory} is a directory openjd-lint did not make (it has no CACHEDIR.TAG of openjd-lint's)"
    return None


def _make_directory(directory: str) -> bool:
    """Create the cache directory with its tag and .gitignore; False when something is there already."""
    try:
        os.mkdir(directory)
    except FileExistsError:
        return False
    _create(os.path.join(directory, _TAG), _TAG_TEXT.encode())
    _create(os.path.join(directory, _GITIGNORE), b"*\n")
    return True


def _create(path: str, data: bytes) -> None:
    """Write a new file; never through a link, never over a file already there."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o644)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _read_regular(path: str, limit: int = -1) -> bytes:
    """The bytes of a regular file (not a link, a FIFO or a device: OSError for those)."""
    descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW | _NO_BLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path} is not a regular file")
        return handle.read(limit)


def _is_own(name: str) -> bool:
    if name in (_TAG, _GITIGNORE):
        return True
    match = _OWN_FILE.fullmatch(name)
    return match is not None and (_FINGERPRINT.fullmatch(match[1]) is not None or match[1] == _linter_fingerprint())


def _remove_own(path: str) -> None:
    """Delete a file the cache writes (a link of that name is removed, never followed)."""
    try:
        if not _is_directory(path):
            os.unlink(path)
    except FileNotFoundError:
        pass


def cache_directory(config_path: Optional[str]) -> str:
    """Next to the `--config` file when there is one, otherwise in the current directory."""
    base = os.path.dirname(os.path.abspath(config_path)) if config_path else os.getcwd()
    return os.path.join(base, CACHE_DIRECTORY)


def clean(directory: str) -> tuple:
    """Remove the cache's own files from `directory`, then the directory when nothing else is in it.
    Returns (whether there was a cache, why it was left in place or None)."""
    problem = refusal(directory)
    if problem is not None:
        return False, f"{problem}; left alone"
    if not os.path.lexists(directory):
        return False, None
    names = os.listdir(directory)
    own = [name for name in names if _is_own(name) and not _is_directory(os.path.join(directory, name))]
    others = sorted(set(names) - set(own))
    # the tag goes last: a directory that still holds anything of the cache stays recognisable as its own
    for name in sorted(own, key=lambda name: name == _TAG):
        if not (others and name in (_TAG, _GITIGNORE)):
            _remove_own(os.path.join(directory, name))
    if others:
        return True, f"{directory} also holds files openjd-lint did not write ({', '.join(others)}); they were kept"
    try:
        os.rmdir(directory)
    except OSError as error:  # something was added while cleaning
        return True, f"{directory} could not be removed ({error.strerror}); it was left in place"
    return True, None


def _is_directory(path: str) -> bool:
    """A directory (never one a link points to): the cache writes only files, so it is never the cache's."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _run_settings(registry, inline_suppressions: bool, enclosing: tuple) -> str:
    environments = [(context.source.name, _sha256(context.source.text.encode("utf-8", "surrogateescape"))
                     .hexdigest()) for context in enclosing]
    return json.dumps([[rule.id for rule in registry], inline_suppressions, environments])


def _sha256(data: bytes = b""):
    import hashlib  # loading OpenSSL costs a run without a cache (--no-cache) several milliseconds

    return hashlib.sha256(data)


def source_text(data: bytes) -> str:
    """The decoded text the loader builds a file's Source from (only for entries with `decoded`)."""
    return without_bom(data).decode("utf-8")


def _config_fingerprint(config) -> str:
    if config.extensions is not None:
        config = dataclasses.replace(config, extensions=tuple(sorted(config.extensions)))
    return repr(config)


_LINTER_FINGERPRINT: list = []


def _linter_fingerprint() -> str:
    if not _LINTER_FINGERPRINT:
        import openjd_lint
        import openjd_lint.rules
        import openjd_lint.schemas

        digest = _sha256(f"{__version__} {sys.version_info[:2]}".encode())
        for package in (openjd_lint, openjd_lint.rules, openjd_lint.schemas):
            for directory in package.__path__:
                for file, stat in _files_below(directory):
                    digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
        _LINTER_FINGERPRINT.append(f"{__version__}-{digest.hexdigest()[:16]}")
    return _LINTER_FINGERPRINT[0]


def _files_below(directory: str):
    found = []
    stack = [directory]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith((".py", ".json", ".lark")):
                    found.append((entry.path, entry.stat()))
    return sorted(found, key=lambda pair: pair[0])


def _entry_to_json(entry: Entry) -> dict:
    return {"template": entry.is_template, "decoded": entry.decoded,
            "diagnostics": [_diagnostic_to_json(d) for d in entry.diagnostics]}


def _entry_from_json(document: dict) -> Entry:
    """ValueError for anything but what _entry_to_json writes (a cache file may come from anywhere)."""
    if not isinstance(document, dict):
        raise ValueError("not an entry")
    template, decoded, diagnostics = (document.get(key) for key in ("template", "decoded", "diagnostics"))
    _check_types([template, decoded, diagnostics], bool, bool, list)
    return Entry(tuple(_diagnostic_from_json(d) for d in diagnostics), template, decoded)


def _diagnostic_to_json(d: Diagnostic) -> list:
    fix = None
    if d.fix is not None:
        fix = [d.fix.description, d.fix.safe, [[e.start, e.end, e.text] for e in d.fix.edits]]
    related = [[r.file, r.line, r.column, r.end_line, r.end_column, r.message] for r in d.related]
    return [d.file, d.line, d.column, d.end_line, d.end_column, d.rule, d.name, int(d.severity), d.message, d.hint,
            related, fix]


_POSITION = (int, int, int, int)


def _diagnostic_from_json(row: list) -> Diagnostic:
    _check_types(row, str, *_POSITION, str, str, int, str, (str, type(None)), list, (list, type(None)))
    file, line, column, end_line, end_column, rule, name, severity, message, hint, related, fix = row
    if (line, column) > (end_line, end_column) or min(line, column, end_line, end_column) < 1:
        raise ValueError("not a position")
    if fix is not None:
        _check_types(fix, str, bool, list)
        description, safe, edits = fix
        for edit in edits:
            _check_types(edit, int, int, str)
        fix = Fix(description, tuple(Edit(*edit) for edit in edits), safe)
    for location in related:
        _check_types(location, str, *_POSITION, str)
    return Diagnostic(file, line, column, end_line, end_column, rule, name, Severity(severity), message, hint,
                      tuple(RelatedLocation(*r) for r in related), fix)


def _check_types(values, *types) -> None:
    if not isinstance(values, list) or len(values) != len(types):
        raise ValueError("not a cache row")
    for value, expected in zip(values, types):
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is int):
            raise ValueError("not a cache row")
