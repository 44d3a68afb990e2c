"""What a rule module is written against: `Rule`, `share_of` and `MINIMAL_JOB`, and the `Registry` class.
The registry of all rules (`REGISTRY`) lives in `openjd_lint.rules`, beside the rule families."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from openjd_lint.findings import Finding, Severity

if TYPE_CHECKING:
    from openjd_lint.context import Context


# The smallest valid job template: the starting point of many rules' examples.
MINIMAL_JOB = """\
specificationVersion: jobtemplate-2023-09
name: Render
steps:
- name: Frame
  script:
    actions:
      onRun:
        command: render
"""


@dataclass(frozen=True)
class Rule:
    """A rule: a stable `id` (e.g. `L002`), a readable `name` (`duplicate-key`), a default severity,
    a one-line `summary`, longer `doc`, and a `bad` and a `good` template that show it. An example that
    needs more than itself names it: `example_config` (a `pyproject.toml` the examples are linted with)
    and `example_enclosing` (environment templates enclosing them as `--env`, outermost first).

    `check` is None for rules that a pipeline stage reports itself (the loader, the schema layer);
    otherwise it is called once per template and yields findings. `other_severities` are the lower
    severities some of its findings have (a finding's own `severity`), so listings show them all."""

    id: str
    name: str
    severity: Severity
    summary: str
    doc: str
    bad: str
    good: str
    check: Optional[Callable[["Context"], Iterable[Finding]]] = None
    example_config: str = ""
    example_enclosing: tuple = ()
    other_severities: tuple = ()

    @property
    def severities(self) -> str:
        """Every severity the rule reports with, highest first: `error`, `error/warning`."""
        return "/".join(s.label for s in sorted({self.severity, *self.other_severities}, reverse=True))

    def finding(self, message: str, path=(), **kwargs) -> Finding:
        return Finding(self.id, message, tuple(path), **kwargs)


def share_of(analyse: Callable[["Context"], Iterable[Finding]]) -> Callable[[str], Callable]:
    """For a family that analyses a template once and reports for several rules: `share_of(analyse)(id)`
    is the check of rule `id`, keeping its own findings of that pass. Decorate the pass with
    `openjd_lint.context.per_template` so it runs once per template, not once per rule."""
    def check_for(rule_id: str) -> Callable[["Context"], list]:
        return lambda ctx: [finding for finding in analyse(ctx) if finding.rule == rule_id]
    return check_for


def is_bundle_rule(rule_id: str) -> bool:
    """B rules are reported by the bundle stage (`openjd_lint.bundle.stage`), not by the per-file pipeline."""
    return rule_id.startswith("B")


class Registry:
    def __init__(self, rules: Iterable[Rule]):
        self._by_id: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self._by_id or rule.name in self._by_name:
                raise ValueError(f"rule {rule.id} ({rule.name}) is registered twice")
            self._by_id[rule.id] = rule
            self._by_name[rule.name] = rule

    def __iter__(self):
        return iter(sorted(self._by_id.values(), key=lambda r: r.id))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, id_or_name: str) -> Optional[Rule]:
        return self._by_id.get(id_or_name.upper()) or self._by_name.get(id_or_name.lower())

    def checks(self) -> list[Rule]:
        return [rule for rule in self if rule.check is not None]
