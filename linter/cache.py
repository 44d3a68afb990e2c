"""The on-disk cache: each file's diagnostics keyed by its name, its bytes, its configuration and the
linter itself, so that an unchanged repository is re-checked without linting anything.

One JSON file holds the entries of every file checked, a row per file name (a changed file replaces its
row, so the cache grows with the number of files, not with their edits); it is read once at the start of
a run and written once at its end. JSON, never pickle: a cache directory may come from anywhere, and
loading it must not run code. The file is named after the linter's fingerprint (its version and the size
and modification time of every module, schema and grammar file), so an edited checkout never reads
entries written by older code, and saving removes the files of other fingerprints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from typing import Optional

from openjd_lint import __version__
from openjd_lint.findings import Diagnostic, Edit, Fix, RelatedLocation, Severity

CACHE_DIRECTORY = ".openjd-lint-cache"
_TAG = "CACHEDIR.TAG"
_TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
             "# This directory is openjd-lint's cache; `openjd-lint clean` removes it.\n")
_BOM = b"\xef\xbb\xbf"
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
        digest = hashlib.sha256()
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
        except (ValueError, KeyError, TypeError):
            return None  # written by something else: lint the file again

    def put(self, name: str, key: str, entry: Entry) -> None:
        self._written[name] = [key, _entry_to_json(entry)]

    def save(self) -> None:
        """Write this run's entries, merged into what is stored now (another run may have saved since)."""
        if not self._written:
            return
        self._rows = None
        rows = {**self._stored(), **self._written}
        temporary = f"{self._path}.{os.getpid()}.tmp"
        try:
            os.makedirs(self.directory, exist_ok=True)
            self._tag()
            with open(temporary, "wb") as out:
                out.write(json.dumps({"format": _FORMAT, "files": rows}, separators=(",", ":")).encode())
            os.replace(temporary, self._path)  # atomic: a concurrent reader sees the old file or the new one
            for stale in os.listdir(self.directory):
                if stale.endswith(".json") and os.path.join(self.directory, stale) != self._path:
                    os.remove(os.path.join(self.directory, stale))
        except OSError:
            pass  # a read-only checkout still lints; it just is not cached
        self._written = {}

    def _stored(self) -> dict:
        if self._rows is None:
            try:
                with open(self._path, "rb") as handle:
                    document = json.loads(handle.read())
                rows = document["files"] if document.get("format") == _FORMAT else {}
                self._rows = rows if isinstance(rows, dict) else {}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._rows = {}
        return self._rows

    def _tag(self) -> None:
        tag = os.path.join(self.directory, _TAG)
        if not os.path.exists(tag):
            with open(tag, "w", encoding="utf-8") as out:
                out.write(_TAG_TEXT)
            with open(os.path.join(self.directory, ".gitignore"), "w", encoding="utf-8") as out:
                out.write("*\n")


def cache_directory(config_path: Optional[str]) -> str:
    """Next to the `--config` file when there is one, otherwise in the current directory."""
    base = os.path.dirname(os.path.abspath(config_path)) if config_path else os.getcwd()
    return os.path.join(base, CACHE_DIRECTORY)


def clean(directory: str) -> bool:
    """Remove a cache directory; False when there was none."""
    if not os.path.isdir(directory):
        return False
    import shutil

    shutil.rmtree(directory)
    return True


def _run_settings(registry, inline_suppressions: bool, enclosing: tuple) -> str:
    environments = [(context.source.name, hashlib.sha256(context.source.text.encode("utf-8", "surrogateescape"))
                     .hexdigest()) for context in enclosing]
    return json.dumps([[rule.id for rule in registry], inline_suppressions, environments])


def source_text(data: bytes) -> str:
    """The decoded text the loader builds a file's Source from (only for entries with `decoded`)."""
    return (data[len(_BOM):] if data.startswith(_BOM) else data).decode("utf-8")


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

        digest = hashlib.sha256(f"{__version__} {sys.version_info[:2]}".encode())
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
    return Entry(tuple(_diagnostic_from_json(d) for d in document["diagnostics"]),
                 bool(document["template"]), bool(document["decoded"]))


def _diagnostic_to_json(d: Diagnostic) -> list:
    fix = None
    if d.fix is not None:
        fix = [d.fix.description, d.fix.safe, [[e.start, e.end, e.text] for e in d.fix.edits]]
    related = [[r.file, r.line, r.column, r.end_line, r.end_column, r.message] for r in d.related]
    return [d.file, d.line, d.column, d.end_line, d.end_column, d.rule, d.name, int(d.severity), d.message, d.hint,
            related, fix]


def _diagnostic_from_json(row: list) -> Diagnostic:
    file, line, column, end_line, end_column, rule, name, severity, message, hint, related, fix = row
    if fix is not None:
        description, safe, edits = fix
        fix = Fix(description, tuple(Edit(*edit) for edit in edits), safe)
    return Diagnostic(file, line, column, end_line, end_column, rule, name, Severity(severity), message, hint,
                      tuple(RelatedLocation(*r) for r in related), fix)
