"""A run over many files: discover, lint each with its configuration (in worker processes when there are
many), apply inline suppressions and (when asked) fixes, and collect sorted diagnostics.

Per file: engine (load, schema, rules) -> the configured target's extensions (M002) -> fixes attached
to findings other stages report -> the configuration's selection -> inline suppressions (M001, M003)
-> severity overrides -> info findings only when asked for (`Config.shows`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Optional

from openjd_lint import fixes as fixing
from openjd_lint.cache import Cache
from openjd_lint.config import PROJECT_FILE, Config, ConfigFinder, load, parse
from openjd_lint.discover import Target
from openjd_lint.engine import FileResult, lint_bytes
from openjd_lint.findings import Severity
from openjd_lint.parallel import DEFAULT_MAX_FILE_SIZE, lint_targets
from openjd_lint.resolve import resolve
from openjd_lint.rule import Registry
from openjd_lint.rules import meta
from openjd_lint import suppressions

@dataclass
class Options:
    finder: ConfigFinder
    inline_suppressions: bool = True
    fail_on: Optional[Severity] = None  # from the command line: overrides every configuration
    fix: bool = False  # rewrite files with the applicable fixes
    diff: bool = False  # show the fixes as diffs, write nothing
    unsafe_fixes: bool = False
    enclosing: tuple = ()  # Contexts of environment templates that enclose every job (`--env`)
    jobs: int = 1  # worker processes for the files left to lint (`--jobs`)
    cache: Optional[Cache] = None  # None: lint every file (`--no-cache`, fixing)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # larger files are reported unread (`--max-file-size`)


@dataclass
class RunResult:
    diagnostics: list = field(default_factory=list)
    files_checked: int = 0
    sources: dict = field(default_factory=dict)
    failed: bool = False  # a diagnostic reached its file's fail-on threshold
    fixes_applied: int = 0
    diffs: list = field(default_factory=list)  # unified diffs (--diff)


def config_finder(registry: Registry, config_path: Optional[str] = None, command_line: tuple = ()) -> ConfigFinder:
    """Finds each file's configuration; with `config_path` (`--config`) that file serves every file, and
    `command_line` ((Config field, value) pairs) wins over every file's settings. Raises ConfigError for a
    bad configuration."""
    from openjd_lint.schema.validator import load_schema

    rule_ids = tuple(rule.id for rule in registry)
    known = frozenset(load_schema("job")["properties"]["extensions"]["items"]["enum"])
    override = load(config_path, rule_ids, known, required=True) if config_path else None
    return ConfigFinder(rule_ids, known, override, tuple(command_line))


def lint_example(rule, text: str, registry: Registry) -> FileResult:
    """Lint one of a rule's examples the way its page shows it: with the configuration
    (`rules.meta.EXAMPLE_CONFIG`) and the enclosing environment templates (`rules.sessions.EXAMPLE_ENCLOSING`)
    it assumes, if any."""
    from openjd_lint.rules.sessions import EXAMPLE_ENCLOSING
    from openjd_lint.session.environments import load_environment

    config = Config(include_info=True)
    if rule.id in meta.EXAMPLE_CONFIG:
        finder = config_finder(registry)
        config = parse(meta.EXAMPLE_CONFIG[rule.id], PROJECT_FILE, finder.rule_ids, finder.known_extensions)
        config = dataclasses.replace(config, include_info=True)
    enclosing = tuple(load_environment(f"environment-{number}.yaml", environment.encode())
                      for number, environment in enumerate(EXAMPLE_ENCLOSING.get(rule.id, ()), start=1))
    return lint_file(text.encode("utf-8", errors="surrogateescape"), "example.yaml", registry, config,
                     enclosing=enclosing)


def run_targets(targets: list, registry: Registry, options: Optional[Options] = None) -> RunResult:
    options = options or Options(config_finder(registry))
    result = RunResult()
    selected = [(target, options.finder.for_file(target.path)) for target in targets]
    selected = [(target, config) for target, config in selected if not config.is_excluded(target.path)]
    for (target, config), (data, file_result) in zip(selected, lint_targets(selected, registry, options)):
        if not file_result.is_template and not target.explicit:
            continue
        if (options.fix or options.diff) and file_result.source is not None:
            file_result = _fix(target, data, file_result, registry, config, options, result)
        result.files_checked += 1
        result.diagnostics.extend(file_result.diagnostics)
        threshold = options.fail_on or config.fail_on or Severity.ERROR
        result.failed = result.failed or any(d.severity >= threshold for d in file_result.diagnostics)
        if file_result.source is not None:
            result.sources[target.path] = file_result.source
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result


def lint_file(data: bytes, name: str, registry: Registry, config: Config = Config(),
              inline_suppressions: bool = True, enclosing: tuple = ()) -> FileResult:
    """The whole per-file pipeline for one file's bytes."""
    result = lint_bytes(data, name, registry, enclosing=enclosing)
    context = result.context
    diagnostics = list(result.diagnostics)
    if context is not None:
        extra = meta.unsupported_extensions(context, config.extensions)
        diagnostics += resolve(extra, context.source, context.root, name, registry)
    diagnostics = [d for d in diagnostics if config.enabled(d.rule, name)]
    if inline_suppressions and result.source is not None and not name.lower().endswith(".json"):
        root = context.root if context is not None else None
        found = suppressions.find(result.source, root, registry)
        diagnostics, notes = found.apply(diagnostics, lambda rule: config.enabled(rule, name), result.source)
        diagnostics += [d for d in resolve(notes, result.source, root, name, registry) if config.enabled(d.rule, name)]
    diagnostics = (_with_severity(d, config) for d in diagnostics)
    result.diagnostics = sorted((d for d in diagnostics if config.shows(d.rule, d.severity)), key=lambda d: d.sort_key)
    return result


def _with_severity(diagnostic, config: Config):
    severity = config.severity_of(diagnostic.rule, diagnostic.severity)
    return diagnostic if severity == diagnostic.severity else dataclasses.replace(diagnostic, severity=severity)


def _fix(target: Target, data: bytes, file_result: FileResult, registry: Registry, config: Config,
         options: Options, run: RunResult) -> FileResult:
    def lint(text: str) -> FileResult:
        return lint_file(fixing.encode(text, data), target.path, registry, config, options.inline_suppressions,
                         options.enclosing)

    before = file_result.source.text
    fixed = fixing.fix_text(before, file_result, lint, options.unsafe_fixes)
    if fixed.applied == 0:
        return file_result
    run.fixes_applied += fixed.applied
    if options.diff:
        run.diffs.append(fixing.unified_diff(target.path, before, fixed.text))
        return file_result
    fixing.write_atomically(target.path, fixing.encode(fixed.text, data))
    return fixed.result
