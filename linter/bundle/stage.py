"""The bundle stage of a run: after every file has been linted on its own, each job bundle among the targets is
checked as a whole with the B rules (its values and asset files, its bundle-relative defaults, its layout), and
so is every job template when `-p` values are given. The findings land in the file they concern, with that
file's configuration and (for YAML files the stage reads itself) its inline suppressions applied.

Nothing here is cached: a bundle's findings depend on several files and on what exists in its directory.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from openjd_lint import suppressions
from openjd_lint.bundle import layout as L
from openjd_lint.bundle.model import DEFAULT_MAX_SIZE, Bundle, load
from openjd_lint.config import Config
from openjd_lint.locate import locate
from openjd_lint.pipeline import configured
from openjd_lint.rule_api import Registry, is_bundle_rule

# `deadline bundle submit -p` accepts only these names (so `deadline:*` cannot be set with -p).
GIVEN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class UnknownParameters(Exception):
    """`-p` names that no checked job template (or enclosing environment) defines: a usage error."""

    def __init__(self, names: list, defined: list):
        self.names = names
        super().__init__(f"unknown job parameter {names[0]!r} given with -p "
                         f"(defined: {', '.join(sorted(set(defined))) or 'none'})")


@dataclass
class StageResult:
    diagnostics: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # path -> Source of the files the stage read itself
    files_checked: int = 0


def run(targets: list, registry: Registry, config_for: Callable[[str], Config], *, enclosing: tuple = (),
        given: Optional[dict] = None, inline_suppressions: bool = True,
        max_size: int = DEFAULT_MAX_SIZE) -> StageResult:
    """Check every bundle the targets belong to, and (with `given`) every other job template among them.
    Raises UnknownParameters when a `-p` name is defined nowhere."""
    given = dict(given or {})
    result = StageResult()
    defined: list = []
    for directory, texts, standalone_path in _subjects(targets, given):
        layout = (L.find(directory) if standalone_path is None else
                  L.Layout(directory, ((L.TEMPLATE, standalone_path),), (), ()))
        if layout is None:
            continue
        template = layout.path(L.TEMPLATE) or ""
        config = config_for(template or directory)
        bundle = load(layout, enclosing, given, config.queue_parameters, max_size, texts)
        if bundle.job is None:
            continue
        defined += list(bundle.definitions())
        checked = check(bundle, registry, config_for, inline_suppressions, standalone=standalone_path is not None)
        result.diagnostics += checked.diagnostics
        result.sources.update(checked.sources)
        result.files_checked += checked.files_checked
    unknown = sorted(set(given) - set(defined))
    if unknown:
        raise UnknownParameters(unknown, defined)
    return result


def _subjects(targets: list, given: dict) -> list:
    """(directory, texts read already, None) of each bundle, then (directory, {}, path) of each other target
    when values are given (each one may be a job template; the ones that are not are passed over)."""
    bundles: dict = {}
    others = []
    for target in targets:
        stem = L.member_stem(target.path)
        if stem is not None:
            texts = bundles.setdefault(os.path.dirname(target.path), {})  # file names as the targets have them
            if target.data is not None:
                texts[target.path] = target.data
        elif given and target.path != "-":
            others.append(target.path)
    return [(d, t, None) for d, t in bundles.items()] + [(os.path.dirname(p), {}, p) for p in others]


def check(bundle: Bundle, registry: Registry, config_for: Callable[[str], Config] = lambda name: Config(),
          inline_suppressions: bool = True, standalone: bool = False) -> StageResult:
    """The B findings of one bundle as diagnostics; with `standalone`, only the values given with `-p`."""
    from openjd_lint.rules import bundles as B

    located = list(B.check_values(bundle))
    if not standalone:
        located += [*B.check_layout(bundle), *B.check_defaults(bundle), *B.check_assets(bundle)]
    by_file: dict = {}
    for path, finding in located:
        by_file.setdefault(path, []).append(finding)
    if not standalone:
        by_file.setdefault(bundle.layout.path(L.TEMPLATE) or "", [])  # its unused B suppressions
    own = {document.path: document for stem, document in bundle.documents.items() if stem != L.TEMPLATE}
    for path, document in own.items():
        by_file.setdefault(path, [])[:0] = document.loaded.findings
    trees = {document.path: (document.loaded.source, document.root) for document in bundle.documents.values()}
    trees.update({c.source.name: (c.source, c.root) for c in bundle.job.enclosing})
    result = StageResult(files_checked=len(own))
    for path, findings in sorted(by_file.items()):
        source, root = trees.get(path, (None, None))
        config = config_for(path)
        diagnostics = [d for d in locate(findings, source, root, path, registry) if config.enabled(d.rule, path)]
        if inline_suppressions and source is not None and not path.lower().endswith(".json"):
            diagnostics = _suppress(diagnostics, source, root, path, config, registry, own=path in own)
        result.diagnostics += configured(diagnostics, config, path)
        if path in own and source is not None:
            result.sources[path] = source
    return result


def _suppress(diagnostics: list, source, root, path: str, config: Config, registry: Registry, own: bool) -> list:
    """Apply the file's inline suppressions. In a file the stage reads itself every note is reported; in a
    template (or environment template) the per-file pass reports malformed comments and judges the other
    rules' suppressions, so only unused suppressions of B rules are reported here."""
    def judged(rule: str) -> bool:
        return config.enabled(rule, path) and (own or is_bundle_rule(rule))

    kept, notes = suppressions.find(source, root, registry).apply(diagnostics, judged, source)
    if not own:
        notes = [note for note in notes if note.rule == suppressions.UNUSED]
    return kept + [d for d in locate(notes, source, root, path, registry) if config.enabled(d.rule, path)]
