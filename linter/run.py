"""A run over many files in one process: discover, lint each, collect sorted diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field

from openjd_lint.discover import Target
from openjd_lint.engine import lint_bytes
from openjd_lint.findings import Severity
from openjd_lint.rule import Registry


@dataclass
class RunResult:
    diagnostics: list = field(default_factory=list)
    files_checked: int = 0
    sources: dict = field(default_factory=dict)

    def fails(self, threshold: Severity) -> bool:
        return any(d.severity >= threshold for d in self.diagnostics)


def run_targets(targets: list[Target], registry: Registry) -> RunResult:
    result = RunResult()
    for target in targets:
        file_result = lint_bytes(target.read(), target.path, registry)
        if not file_result.is_template and not target.explicit:
            continue
        result.files_checked += 1
        result.diagnostics.extend(file_result.diagnostics)
        if file_result.source is not None:
            result.sources[target.path] = file_result.source
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result
