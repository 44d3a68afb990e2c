"""Fanning files out to worker processes when there are enough of them to pay for the workers.

Results come back in the order of the files whatever the number of processes, so the output does not
depend on `--jobs`. Workers receive bytes and return diagnostics (`Entry`s, without trees); they never
read files or the cache.
"""

from __future__ import annotations

from openjd_lint.pipeline import FileResult, lint_file
from openjd_lint.rule_api import Registry
from openjd_lint.rules import REGISTRY

# Below this much template text, starting workers costs more than linting it in this process.
_MIN_BYTES_FOR_PROCESSES = 256 * 1024
_CHUNKS_PER_WORKER = 4


def lint_pending(items: list, registry: Registry, inline_suppressions: bool, enclosing: tuple, jobs: int = 1,
                 keep_trees: bool = False) -> list:
    """The FileResult of each (name, data, config) of `items`, in order. Without `keep_trees` (what
    fixing needs) a result keeps its diagnostics and source but not the file's tree, which keeps
    memory flat over many files."""
    if not items:
        return []

    def lint_here(name, data, config) -> FileResult:
        result = lint_file(data, name, registry, config, inline_suppressions, enclosing)
        return result if keep_trees else FileResult(name, result.diagnostics, result.is_template, result.source)

    # The first file is always linted here: it builds the validators and the expression grammar,
    # which forked workers then inherit instead of building each.
    first = lint_here(*items[0])
    rest = items[1:]
    processes = min(jobs, len(rest))
    if processes < 2 or keep_trees or sum(len(data) for _, data, _ in rest) < _MIN_BYTES_FOR_PROCESSES:
        return [first] + [lint_here(*item) for item in rest]
    context = _context()
    if context is None and registry is not REGISTRY and not _picklable(registry):
        return [first] + [lint_here(*item) for item in rest]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker,
                             initargs=(None if registry is REGISTRY else registry, inline_suppressions, enclosing)) as pool:
        entries = [entry for chunk in pool.map(_lint_chunk, _chunks(rest, processes * _CHUNKS_PER_WORKER))
                   for entry in chunk]
    return [first] + [FileResult.from_entry(name, data, entry) for (name, data, _), entry in zip(rest, entries)]


def _chunks(items: list, count: int) -> list:
    size = max(1, -(-len(items) // count))
    return [items[start:start + size] for start in range(0, len(items), size)]


def _context():
    """fork shares what the parent built, the registry included; elsewhere (macOS, Windows) workers
    start afresh, importing the default registry or receiving a custom one pickled."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def _picklable(registry: Registry) -> bool:
    import pickle

    try:
        pickle.dumps(registry)
    except Exception:  # a rule's check is a lambda or a closure: such a registry stays in this process
        return False
    return True


_WORKER: dict = {}


def _start_worker(registry: Registry, inline_suppressions: bool, enclosing: tuple) -> None:
    _WORKER.update(registry=registry or REGISTRY, inline_suppressions=inline_suppressions, enclosing=enclosing)


def _lint_chunk(chunk: list) -> list:
    return [lint_file(data, name, _WORKER["registry"], config, _WORKER["inline_suppressions"],
                      _WORKER["enclosing"]).entry()
            for name, data, config in chunk]
