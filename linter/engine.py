"""The one-way pipeline for one file: load -> kind -> schema -> rules -> positioned diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from openjd_lint.context import JOB, SPECIFICATION_VERSIONS, Context, declared_extensions
from openjd_lint.discover import declares_specification_version
from openjd_lint.findings import Finding
from openjd_lint.load.yaml_loader import load_bytes
from openjd_lint.load.source import Source
from openjd_lint.load.tree import to_plain
from openjd_lint.resolve import resolve
from openjd_lint.rule import Registry


@dataclass
class FileResult:
    name: str
    diagnostics: list = field(default_factory=list)
    is_template: bool = True
    source: Optional[Source] = None
    context: Optional[Context] = None


def lint_bytes(data: bytes, name: str, registry: Registry, is_json: Optional[bool] = None,
               enclosing: tuple = ()) -> FileResult:
    """Lint one file. `enclosing` holds the Contexts of environment templates that enclose a job
    template in its sessions (outermost first); they are ignored for environment templates."""
    if is_json is None:
        is_json = name.lower().endswith(".json")
    loaded = load_bytes(data, name, is_json=is_json)
    findings: list[Finding] = list(loaded.findings)
    # A file that parses is a template when its root has the key; one that does not, when its text has it.
    result = FileResult(name, source=loaded.source, is_template=declares_specification_version(data))
    context = None
    if loaded.root is not None:
        version_node = loaded.root.get("specificationVersion")
        result.is_template = result.is_template and version_node is not None
        kind = SPECIFICATION_VERSIONS.get(getattr(version_node, "value", None))
        if kind is None:
            findings.append(_version_finding(version_node))
        else:
            context = Context(loaded.source, loaded.root, kind, declared_extensions(loaded.root),
                              to_plain(loaded.root), enclosing=enclosing if kind == JOB else ())
            findings.extend(_check(context, registry))
    result.context = context
    result.diagnostics = resolve(findings, loaded.source, loaded.root, name, registry)
    return result


def _check(context: Context, registry: Registry) -> list[Finding]:
    from openjd_lint.schema import validate

    findings = list(validate(context))
    for rule in registry.checks():
        findings.extend(rule.check(context))
    return findings


def _version_finding(node) -> Finding:
    known = ", ".join(sorted(SPECIFICATION_VERSIONS))
    if node is None:
        return Finding("S001", "`specificationVersion` is missing", path=(), hint=f"add `specificationVersion` ({known})")
    return Finding("S001", f"unknown specificationVersion {getattr(node, 'value', None)!r}",
                   path=("specificationVersion",), hint=f"use one of: {known}")
