"""A run over many files: each file's configuration, its bytes (or its size when it is over the limit),
its cached result or the per-file pipeline (`openjd_lint.pipeline`, in worker processes when there are
many files: `openjd_lint.parallel`), fixes when asked, and the sorted diagnostics of them all."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Optional

from openjd_lint import fixes as fixing
from openjd_lint.bundle import layout, stage
from openjd_lint.cache import Cache
from openjd_lint.config import Config, ConfigFinder, config_finder
from openjd_lint.discover import Target, declares_specification_version, not_regular
from openjd_lint.findings import Severity
from openjd_lint.parallel import lint_pending
from openjd_lint.pipeline import FileResult, lint_file, lint_oversized
from openjd_lint.rule_api import Registry
from openjd_lint.rules.meta import INTERNAL_ERROR

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


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
    given: dict = field(default_factory=dict)  # job parameter values (`-p NAME=VALUE`), checked in the bundle stage


@dataclass
class RunResult:
    diagnostics: list = field(default_factory=list)
    files_checked: int = 0
    sources: dict = field(default_factory=dict)
    failed: bool = False  # a diagnostic reached its file's fail-on threshold
    fixes_applied: int = 0
    fixed: list = field(default_factory=list)  # (file, rule id) of every applied fix (--fix, --diff)
    diffs: list = field(default_factory=list)  # unified diffs (--diff)
    skipped: list = field(default_factory=list)  # (path, why) of files that could not be read
    unfixed: list = field(default_factory=list)  # (path, why) of files whose fixes could not be written
    internal_errors: int = 0  # findings of openjd-lint's own bugs (M004): the exit code is 3
    registry: Optional[Registry] = None  # the rules the run checked (None: the default registry)


def run_targets(targets: list, registry: Registry, options: Optional[Options] = None) -> RunResult:
    options = options or Options(config_finder(registry))
    result = RunResult(registry=registry)
    selected = [(target, options.finder.for_file(target.path)) for target in targets
                if layout.member_stem(target.path) in (None, layout.TEMPLATE)]
    selected = [(target, config) for target, config in selected if not config.is_excluded(target.path)]
    for (target, config), (data, file_result) in zip(selected, _lint_targets(selected, registry, options, result)):
        if file_result is None or (not file_result.is_template and not target.explicit):
            continue
        if (options.fix or options.diff) and file_result.source is not None:
            file_result = _fix(target, data, file_result, registry, config, options, result)
        result.files_checked += 1
        result.diagnostics.extend(file_result.diagnostics)
        result.internal_errors += sum(d.rule == INTERNAL_ERROR.id for d in file_result.diagnostics)
        threshold = options.fail_on or config.fail_on or Severity.ERROR
        result.failed = result.failed or any(d.severity >= threshold for d in file_result.diagnostics)
        if file_result.source is not None:
            result.sources[target.path] = file_result.source
    _bundles(targets, registry, options, result)
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result


def _bundles(targets: list, registry: Registry, options: Options, result: RunResult) -> None:
    """The bundle stage: job bundles as a whole, and the `-p` values of every job template."""
    kept = [target for target in targets if not options.finder.for_file(target.path).is_excluded(target.path)]
    checked = stage.run(kept, registry, options.finder.for_file, enclosing=options.enclosing, given=options.given,
                        inline_suppressions=options.inline_suppressions, max_size=options.max_file_size)
    result.diagnostics.extend(checked.diagnostics)
    result.files_checked += checked.files_checked
    result.sources.update(checked.sources)
    result.failed = result.failed or any(
        d.severity >= (options.fail_on or options.finder.for_file(d.file).fail_on or Severity.ERROR)
        for d in checked.diagnostics)


def _lint_targets(selected: list, registry: Registry, options: Options, run: RunResult) -> list:
    """(data, FileResult) for each (Target, Config) of `selected`, in order; data is None for a file
    over the size limit, which is reported unread, and both are None for a file that cannot be read (it
    goes to `run.skipped`). Only this process reads files and the cache."""
    results: list = [(None, None)] * len(selected)
    pending = []
    for index, (target, config) in enumerate(selected):
        try:
            data = _read(target, options.max_file_size)
        except OSError as error:
            run.skipped.append((target.path, error.strerror or str(error)))
            continue
        if data is None or isinstance(data, int):
            results[index] = (None, lint_oversized(target.path, data, options.max_file_size, registry, config,
                                                   is_template=target.explicit or _mentions_version(target)))
            continue
        key = options.cache.key(target.path, data, config) if options.cache is not None else None
        entry = options.cache.get(target.path, key) if key is not None else None
        if entry is not None:
            results[index] = (data, FileResult.from_entry(target.path, data, entry))
        else:
            pending.append((index, target.path, data, config, key))
    linted = lint_pending([(name, data, config) for _, name, data, config, _ in pending], registry,
                          options.inline_suppressions, options.enclosing,
                          jobs=options.jobs, keep_trees=options.fix or options.diff)
    for (index, name, data, _, key), file_result in zip(pending, linted):
        results[index] = (data, file_result)
        if key is not None:
            options.cache.put(name, key, file_result.entry())
    if options.cache is not None:
        options.cache.save()
    return results


_PEEK = 64 * 1024
_NO_BLOCK = getattr(os, "O_NONBLOCK", 0)


def _read(target: Target, limit: int):
    """The bytes of the file; over the limit, its size (nothing is read) or None for a stream (read up to the
    limit). Opening never waits (for a FIFO's writer); OSError when the file cannot be read, and for a
    file found by walking that is no longer a regular file."""
    if target.data is not None:
        return target.data if len(target.data) <= limit else None
    descriptor = os.open(target.path, os.O_RDONLY | _NO_BLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        regular = stat.S_ISREG(os.fstat(descriptor).st_mode)
        if regular:
            size = os.fstat(descriptor).st_size
            if size > limit:
                return size
        elif not target.explicit:
            raise OSError(f"{not_regular(target.path) or 'not a regular file'}")
        else:
            os.set_blocking(descriptor, True)  # a pipe or device named on the command line: read as a stream
        data = handle.read(limit + 1)
    return data if len(data) <= limit else (len(data) if regular else None)


def _mentions_version(target: Target) -> bool:
    """A large file found by walking a directory counts as a template when its beginning says so."""
    if target.data is not None:
        return declares_specification_version(target.data[:_PEEK])
    try:
        descriptor = os.open(target.path, os.O_RDONLY | _NO_BLOCK)
    except OSError:
        return target.explicit
    with os.fdopen(descriptor, "rb") as handle:
        return declares_specification_version(handle.read(_PEEK))


def _fix(target: Target, data: bytes, file_result: FileResult, registry: Registry, config: Config,
         options: Options, run: RunResult) -> FileResult:
    def lint(text: str) -> FileResult:
        return lint_file(fixing.encode(text, data), target.path, registry, config, options.inline_suppressions,
                         options.enclosing)

    before = file_result.source.text
    fixed = fixing.fix_text(before, file_result, lint, options.unsafe_fixes)
    if fixed.applied == 0:
        return file_result
    if not options.diff:
        why = _replace(target.path, fixing.encode(fixed.text, data), data)
        if why is not None:
            run.unfixed.append((target.path, why))
            run.failed = True
            return file_result
    run.fixes_applied += fixed.applied
    run.fixed += [(target.path, rule) for rule in fixed.rules]
    if options.diff:
        run.diffs.append(fixing.unified_diff(target.path, before, fixed.text))
        return file_result
    return fixed.result


def _replace(path: str, data: bytes, linted: bytes) -> Optional[str]:
    """Write the fixed bytes; why not, when they could not be written."""
    try:
        fixing.write_atomically(path, data, expected=linted)
    except fixing.ChangedMeanwhile:
        return "it changed while it was being checked, so it was left alone (run again to fix it)"
    except OSError as error:
        return f"it cannot be replaced ({error.strerror or error})"
    return None
