"""Project configuration: `[tool.openjd-lint]` in `pyproject.toml`, or the top level of `.openjd-lint.toml`.

Each file is checked with the nearest configuration above it (in one directory `.openjd-lint.toml` wins
over `pyproject.toml`; a `pyproject.toml` without the table is passed over), unless `--config` names
one file for the whole run. Globs (`exclude`, `per-file-ignores`) are relative to the directory of the
configuration file. A bad configuration is a usage error (`ConfigError`) that names the key.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import os
import sys
from dataclasses import dataclass, field
from typing import Optional

from openjd_lint.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.9/3.10 only
    import tomli as tomllib

PROJECT_FILE, OWN_FILE = "pyproject.toml", ".openjd-lint.toml"
_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "fail-on", "include-info", "exclude", "extensions",
         "env",
         "queue-parameters")


class ConfigError(Exception):
    pass


class Extend(tuple):
    """A command-line value that is added to each file's own setting instead of replacing it
    (`--ignore`, and `--extend-select` without `--select`)."""


@dataclass(frozen=True)
class Config:
    """One configuration file's settings (`Config()` is the default: every rule, every extension)."""

    path: Optional[str] = None
    root: str = "."
    select: Optional[tuple] = None
    extend_select: tuple = ()  # added to `select` (rules named here show their info findings too)
    ignore: tuple = ()
    per_file_ignores: tuple = ()  # ((glob, (selector, ...)), ...)
    severity: tuple = ()  # ((selector, Severity), ...)
    fail_on: Optional[Severity] = None
    include_info: bool = False  # show info findings of every rule (`include-info`, `--include-info`)
    exclude: tuple = ()
    extensions: Optional[frozenset] = None  # what the target scheduler supports; None: all
    queue_parameters: frozenset = frozenset()  # parameter names the queue's environments define (job bundles)

    def relative(self, file: str) -> str:
        return os.path.relpath(os.path.abspath(file), self.root).replace(os.sep, "/")

    def is_excluded(self, file: str) -> bool:
        relative = self.relative(file)
        parts = relative.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return any(_glob_matches(glob, prefix) for glob in self.exclude for prefix in prefixes)

    def enabled(self, rule_id: str, file: str) -> bool:
        if self.select is not None and not _matches(self.select + self.extend_select, rule_id):
            return False
        ignored = self.ignore + tuple(s for glob, selectors in self.per_file_ignores
                                      if _glob_matches(glob, self.relative(file)) for s in selectors)
        return not _matches(ignored, rule_id)

    def shows(self, rule_id: str, severity: Severity) -> bool:
        """Whether a finding of this (final) severity is reported. Info findings are advice: they are shown
        only when asked for (`include-info`, `fail-on = "info"`, or the rule named by its full id in
        `select` or `severity`); a prefix selects a family's warnings and errors, not its advice."""
        if severity > Severity.INFO or self.include_info or self.fail_on == Severity.INFO:
            return True
        named = (self.select or ()) + self.extend_select
        return rule_id in named or any(selector == rule_id for selector, _ in self.severity)

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        """The override of the most specific matching selector (an id beats its prefix)."""
        best = max(((len(s), sev) for s, sev in self.severity if rule_id.startswith(s)), default=None,
                   key=lambda pair: pair[0])
        return best[1] if best else default


def _matches(selectors, rule_id: str) -> bool:
    return any(rule_id.startswith(selector) for selector in selectors)


def _glob_matches(glob: str, relative: str) -> bool:
    # `*` crosses `/` (fnmatch), so `legacy/*` covers everything below legacy/; a glob without `/`
    # also matches a bare file or directory name anywhere.
    if fnmatch.fnmatchcase(relative, glob.rstrip("/")):
        return True
    return "/" not in glob and fnmatch.fnmatchcase(relative.rsplit("/", 1)[-1], glob)


@dataclass
class ConfigFinder:
    """Finds (and caches) the configuration of each file; `override` is the `--config` file."""

    rule_ids: tuple
    known_extensions: frozenset
    override: Optional[Config] = None
    command_line: tuple = ()  # ((Config field, value), ...): command-line settings that win over every file's
    rule_names: dict = field(default_factory=dict)  # rule name -> id: selectors may name a rule
    _by_directory: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.override is not None:
            self.override = self.with_command_line(self.override)

    def with_command_line(self, config: Config) -> Config:
        if not self.command_line:
            return config
        return dataclasses.replace(config, **{
            name: getattr(config, name) + value if isinstance(value, Extend) else value
            for name, value in self.command_line})

    def for_file(self, file: str) -> Config:
        if self.override is not None:
            return self.override
        return self._for_directory(os.path.dirname(os.path.abspath(file)))

    def _for_directory(self, directory: str) -> Config:
        cached = self._by_directory.get(directory)
        if cached is None:
            cached = self._load_in(directory)
            if cached is None:
                parent = os.path.dirname(directory)
                cached = self.with_command_line(Config()) if parent == directory else self._for_directory(parent)
            else:
                cached = self.with_command_line(cached)
            self._by_directory[directory] = cached
        return cached

    def _load_in(self, directory: str) -> Optional[Config]:
        for name in (OWN_FILE, PROJECT_FILE):
            path = os.path.join(directory, name)
            if os.path.isfile(path):
                config = load(path, self.rule_ids, self.known_extensions, rule_names=self.rule_names)
                if config is not None:
                    return config
        return None


def load(path: str, rule_ids, known_extensions, required: bool = False, rule_names=None) -> Optional[Config]:
    """The configuration in `path`; None for a pyproject.toml without `[tool.openjd-lint]` (an error when
    `required`, as for `--config`)."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8") from None
    return parse(text, path, rule_ids, known_extensions, required, rule_names)


def parse(text: str, path: str, rule_ids, known_extensions, required: bool = False,
          rule_names=None) -> Optional[Config]:
    """The configuration in TOML `text` read from `path`: the `[tool.openjd-lint]` table of a pyproject.toml
    (or of any file that has one), otherwise the top level."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    table, where = document, ""
    tool = document.get("tool")
    if os.path.basename(path) == PROJECT_FILE or (isinstance(tool, dict) and "openjd-lint" in tool):
        table = tool.get("openjd-lint") if isinstance(tool, dict) else None
        where = "[tool.openjd-lint] "
        if table is None:
            if required:
                raise ConfigError(f"{path}: no [tool.openjd-lint] table")
            return None
    return _parse(table, path, where, tuple(rule_ids), frozenset(known_extensions), dict(rule_names or {}))


def selector(text, rule_ids: tuple, rule_names: dict) -> str:
    """A rule id, name or prefix as the configuration stores it: an id or prefix upper-cased, a name as the
    id it names. Raises ValueError saying what is wrong (with the closest name for a misspelt one)."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"{text!r} is not a rule id, name or prefix")
    if text.lower() in rule_names:
        return rule_names[text.lower()]
    if any(rule_id.startswith(text.upper()) for rule_id in rule_ids):
        return text.upper()
    close = difflib.get_close_matches(text.lower(), list(rule_names), n=1)
    hint = f"did you mean `{close[0]}`?" if close else "see `openjd-lint rules`"
    raise ValueError(f"{text!r} matches no rule ({hint})")


def _parse(table, path: str, where: str, rule_ids: tuple, known_extensions: frozenset, rule_names: dict) -> Config:
    def fail(key: str, problem: str):
        raise ConfigError(f"{path}: {where}`{key}`: {problem}")

    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where}must be a table")
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key).replace("_", "-").lower(), _KEYS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known keys: {', '.join(_KEYS)})"
            raise ConfigError(f"{path}: {where}unknown key `{key}`{hint}")

    def selectors(key: str, value) -> tuple:
        if not isinstance(value, list):
            fail(key, "must be a list of rule ids, names or prefixes")
        return tuple(checked_selector(key, text) for text in value)

    def checked_selector(key: str, text) -> str:
        try:
            return selector(text, rule_ids, rule_names)
        except ValueError as problem:
            fail(key, str(problem))

    select = selectors("select", table["select"]) if "select" in table else None
    extend_select = selectors("extend-select", table.get("extend-select", []))
    ignore = selectors("ignore", table.get("ignore", []))
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        fail("per-file-ignores", "must be a table of glob = [rule ids or prefixes]")
    per_file_ignores = tuple((glob, selectors(f"per-file-ignores.{glob}", value)) for glob, value in per_file.items())
    overrides = table.get("severity", {})
    if not isinstance(overrides, dict):
        fail("severity", "must be a table of rule id or prefix = \"error\" | \"warning\" | \"info\"")
    severity = []
    for text, level in overrides.items():
        key = f"severity.{text}"
        severity.append((checked_selector(key, text), _severity(level, lambda p: fail(key, p))))
    fail_on = _severity(table["fail-on"], lambda p: fail("fail-on", p)) if "fail-on" in table else None
    include_info = table.get("include-info", False)
    if not isinstance(include_info, bool):
        fail("include-info", "must be true or false")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(g, str) and g for g in exclude):
        fail("exclude", "must be a list of globs")
    extensions = table.get("extensions")
    if extensions is not None:
        if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
            fail("extensions", "must be a list of extension names")
        unknown = sorted(set(extensions) - known_extensions)
        if unknown:
            fail("extensions", f"unknown extension {', '.join(unknown)} (known: {', '.join(sorted(known_extensions))})")
        extensions = frozenset(extensions)
    # `env` is the language server's setting (openjd_lint.lsp.settings); it is checked here so a typo in
    # it is an error on the command line too.
    env = table.get("env", [])
    if not isinstance(env, list) or not all(isinstance(p, str) and p for p in env):
        fail("env", "must be a list of paths to environment templates")
    queue_parameters = table.get("queue-parameters", [])
    if not isinstance(queue_parameters, list) or not all(isinstance(n, str) and n for n in queue_parameters):
        fail("queue-parameters", "must be a list of parameter names")
    return Config(path=path, root=os.path.dirname(os.path.abspath(path)), select=select,
                  extend_select=extend_select, ignore=ignore,
                  per_file_ignores=per_file_ignores, severity=tuple(severity), fail_on=fail_on,
                  include_info=include_info, exclude=tuple(exclude), extensions=extensions,
                  queue_parameters=frozenset(queue_parameters))


def _severity(value, fail) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as error:
        fail(str(error))


def config_finder(registry, config_path: Optional[str] = None, command_line: tuple = ()) -> ConfigFinder:
    """Finds each file's configuration; with `config_path` (`--config`) that file serves every file, and
    `command_line` ((Config field, value) pairs) wins over every file's settings. Raises ConfigError for a
    bad configuration."""
    from openjd_lint.validation.validator import load_schema

    rule_ids = tuple(rule.id for rule in registry)
    rule_names = {rule.name: rule.id for rule in registry}
    known = frozenset(load_schema("job")["properties"]["extensions"]["items"]["enum"])
    override = load(config_path, rule_ids, known, required=True, rule_names=rule_names) if config_path else None
    return ConfigFinder(rule_ids, known, override, tuple(command_line), rule_names)
