"""Linting many files: the size limit, the cache, then worker processes for the files left to lint.

Results come back in the order of the targets whatever the number of processes, so the output does
not depend on `--jobs`. Workers receive bytes and return diagnostics; only the parent reads files
and the cache.
"""

from __future__ import annotations

import gc
import os
from typing import Optional

from openjd_lint.cache import Entry, source_text
from openjd_lint.discover import declares_specification_version
from openjd_lint.engine import FileResult
from openjd_lint.findings import Diagnostic
from openjd_lint.load.source import Source
from openjd_lint.rules.loading import FILE_TOO_LARGE

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
# Below this much template text, starting workers costs more than linting it in this process.
_MIN_BYTES_FOR_PROCESSES = 256 * 1024
_CHUNKS_PER_WORKER = 4
_PEEK = 64 * 1024


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def collect_garbage_rarely() -> None:
    """For a command-line run: what the imports built lives until exit, so the cyclic collector stops
    scanning it, and runs less often; with the defaults, collections take about a fifth of a cold run
    over many files. Reference counting still frees the trees of each file as soon as it is done."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


def parse_size(text: str) -> int:
    """`10485760`, `512K`, `10M`, `1G` (powers of 1024) as bytes; ValueError otherwise."""
    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    text = text.strip().upper().removesuffix("B")
    factor = units.get(text[-1:], 1)
    number = int(text[:-1] if factor != 1 else text)
    if number <= 0:
        raise ValueError("the size must be positive")
    return number * factor


def lint_targets(selected: list, registry, options) -> list:
    """(data, FileResult) for each (Target, Config) of `selected`, in order; data is None for a file
    over the size limit, which is reported unread."""
    results: list = [None] * len(selected)
    pending = []
    for index, (target, config) in enumerate(selected):
        data = _read(target, options.max_file_size)
        if isinstance(data, int):
            results[index] = (None, _too_large(target, config, data, options.max_file_size))
            continue
        key = options.cache.key(target.path, data, config) if options.cache is not None else None
        entry = options.cache.get(target.path, key) if key is not None else None
        if entry is not None:
            results[index] = (data, _from_entry(target.path, data, entry))
        else:
            pending.append((index, target.path, data, config, key))
    for (index, name, data, _, key), file_result in zip(pending, _lint(pending, registry, options)):
        results[index] = (data, file_result)
        if key is not None:
            options.cache.put(name, key, _to_entry(file_result))
    if options.cache is not None:
        options.cache.save()
    return results


def _read(target, limit: int):
    """The bytes of the file, or its size when that is over the limit (then at most a peek is read)."""
    if target.data is not None:
        return target.data if len(target.data) <= limit else len(target.data)
    size = os.path.getsize(target.path)
    if size <= limit:
        return target.read()
    return size


def _too_large(target, config, size: int, limit: int) -> FileResult:
    result = FileResult(target.path, is_template=target.explicit or _mentions_version(target))
    if config.enabled(FILE_TOO_LARGE.id, target.path):
        result.diagnostics = [Diagnostic(
            target.path, 1, 1, 1, 1, FILE_TOO_LARGE.id, FILE_TOO_LARGE.name,
            config.severity_of(FILE_TOO_LARGE.id, FILE_TOO_LARGE.severity),
            f"the file is {size:,} bytes, more than the {limit:,} bytes of --max-file-size; it was not read",
            "templates are a few kilobytes; if this one really is larger, raise --max-file-size")]
    return result


def _mentions_version(target) -> bool:
    """A large file found by walking a directory counts as a template when its beginning says so."""
    if target.data is not None:
        return declares_specification_version(target.data[:_PEEK])
    with open(target.path, "rb") as handle:
        return declares_specification_version(handle.read(_PEEK))


def _lint(pending: list, registry, options) -> list:
    from openjd_lint.rules import REGISTRY
    from openjd_lint.run import lint_file

    if not pending:
        return []
    # The first file is always linted here: it builds the validators and the expression grammar,
    # which forked workers then inherit instead of building each.
    fixing = options.fix or options.diff

    def lint_here(name, data, config) -> FileResult:
        result = lint_file(data, name, registry, config, options.inline_suppressions, options.enclosing)
        # Only fixing needs a file's tree after linting it; dropping it keeps memory flat over many files.
        return result if fixing else FileResult(name, result.diagnostics, result.is_template, result.source)

    first = lint_here(*pending[0][1:4])
    rest = pending[1:]
    processes = min(options.jobs, len(rest))
    if (processes < 2 or registry is not REGISTRY or fixing
            or sum(len(item[2]) for item in rest) < _MIN_BYTES_FOR_PROCESSES):
        return [first] + [lint_here(name, data, config) for _, name, data, config, _ in rest]
    from concurrent.futures import ProcessPoolExecutor

    chunks = _chunks([(name, data, config) for _, name, data, config, _ in rest], processes * _CHUNKS_PER_WORKER)
    with ProcessPoolExecutor(processes, mp_context=_context(), initializer=_start_worker,
                             initargs=(options.inline_suppressions, options.enclosing)) as pool:
        entries = [entry for chunk in pool.map(_lint_chunk, chunks) for entry in chunk]
    return [first] + [_from_entry(name, data, entry) for (_, name, data, _, _), entry in zip(rest, entries)]


def _chunks(items: list, count: int) -> list:
    size = max(1, -(-len(items) // count))
    return [items[start:start + size] for start in range(0, len(items), size)]


def _context():
    import multiprocessing

    # fork shares what the parent built; elsewhere (macOS, Windows) workers start afresh
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


_WORKER: dict = {}


def _start_worker(inline_suppressions: bool, enclosing: tuple) -> None:
    _WORKER.update(inline_suppressions=inline_suppressions, enclosing=enclosing)


def _lint_chunk(chunk: list) -> list:
    from openjd_lint.rules import REGISTRY
    from openjd_lint.run import lint_file

    return [_to_entry(lint_file(data, name, REGISTRY, config, _WORKER["inline_suppressions"], _WORKER["enclosing"]))
            for name, data, config in chunk]


def _to_entry(file_result: FileResult) -> Entry:
    return Entry(tuple(file_result.diagnostics), file_result.is_template, file_result.source is not None)


def _from_entry(name: str, data: bytes, entry: Entry) -> FileResult:
    source: Optional[Source] = Source(name, source_text(data)) if entry.decoded else None
    return FileResult(name, list(entry.diagnostics), entry.is_template, source)
