"""The pipeline for one file, in the order the stages run:

load -> kind -> schema -> rules (`lint_bytes`), then the configured target's extensions (M002), the
configuration's selection, inline suppressions (M001, M003), severity overrides and info findings only
when asked for (`lint_file`).
Findings carry document paths; `locate` turns them into positioned diagnostics.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Optional

from openjd_lint import suppressions
from openjd_lint.cache import Entry, source_text
from openjd_lint.config import Config
from openjd_lint.context import ENVIRONMENT, JOB, SPECIFICATION_VERSIONS, Context, template_context
from openjd_lint.discover import declares_specification_version
from openjd_lint.expr.library import metered
from openjd_lint.findings import Edit, Finding, Fix
from openjd_lint.load.yaml_loader import load_bytes
from openjd_lint.load.source import Source
from openjd_lint.locate import locate
from openjd_lint.rule_api import Registry, is_bundle_rule
from openjd_lint.rules import meta
from openjd_lint.rules.loading import FILE_TOO_LARGE


@dataclass
class FileResult:
    name: str
    diagnostics: list = field(default_factory=list)
    is_template: bool = True
    source: Optional[Source] = None
    context: Optional[Context] = None

    def entry(self) -> Entry:
        """What the cache and worker processes keep of the result: no trees."""
        return Entry(tuple(self.diagnostics), self.is_template, self.source is not None)

    @classmethod
    def from_entry(cls, name: str, data: bytes, entry: Entry) -> "FileResult":
        source: Optional[Source] = Source(name, source_text(data)) if entry.decoded else None
        return cls(name, list(entry.diagnostics), entry.is_template, source)


def lint_file(data: bytes, name: str, registry: Registry, config: Config = Config(),
              inline_suppressions: bool = True, enclosing: tuple = ()) -> FileResult:
    """The whole pipeline for one file's bytes, with its configuration."""
    try:
        return _lint_file(data, name, registry, config, inline_suppressions, enclosing)
    except Exception as error:  # a bug outside the rules (loading, positions): one finding, the other files go on
        failure = locate([meta.internal_error("the per-file pipeline", error)], None, None, name, registry)
        return FileResult(name, configured(failure, config, name))


def _lint_file(data: bytes, name: str, registry: Registry, config: Config, inline_suppressions: bool,
               enclosing: tuple) -> FileResult:
    result = lint_bytes(data, name, registry, enclosing=enclosing)
    context = result.context
    diagnostics = list(result.diagnostics)
    if context is not None:
        extra = meta.unsupported_extensions(context, config.extensions)
        diagnostics += locate(extra, context.source, context.root, name, registry)
    diagnostics = [d for d in diagnostics if config.enabled(d.rule, name)]
    if inline_suppressions and result.source is not None and not name.lower().endswith(".json"):
        root = context.root if context is not None else None
        found = suppressions.find(result.source, root, registry)
        # B rules are reported by the bundle stage, which judges their suppressions
        diagnostics, notes = found.apply(
            diagnostics, lambda rule: config.enabled(rule, name) and not is_bundle_rule(rule), result.source)
        diagnostics += locate(notes, result.source, root, name, registry)
    result.diagnostics = configured(diagnostics, config, name)
    return result


def lint_oversized(name: str, size: Optional[int], limit: int, registry: Registry, config: Config = Config(),
                   is_template: bool = True) -> FileResult:
    """The pipeline for a file over the size limit (`size` None for a stream), which is reported (L011)
    without being read."""
    what = f"the file is {size:,} bytes, more than" if size is not None else "the stream holds more than"
    finding = FILE_TOO_LARGE.finding(
        f"{what} the {limit:,} bytes of --max-file-size; it was not read",
        hint="templates are a few kilobytes; if this one really is larger, raise --max-file-size")
    return FileResult(name, configured(locate([finding], None, None, name, registry), config, name), is_template)


def lint_bytes(data: bytes, name: str, registry: Registry, is_json: Optional[bool] = None,
               enclosing: tuple = ()) -> FileResult:
    """The stages that need no configuration: load, kind, schema and every rule of `registry`.
    `enclosing` holds the Contexts of environment templates that enclose a job template in its
    sessions (outermost first); they are ignored for environment templates."""
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
        body = _kind_of_body(loaded.root)
        wrong_version = kind is not None and body is not None and body != kind
        if wrong_version:
            findings.append(_wrong_version_finding(loaded.source, version_node, body))
            kind = body  # checked as what it is, so the findings are about its real problems
        if kind is None:
            findings.append(_version_finding(version_node, body))
        else:
            context = template_context(loaded.source, loaded.root, kind, enclosing if kind == JOB else ())
            with metered():  # one evaluation allowance for the whole file
                findings.extend(f for f in _check(context, registry)
                                if not (wrong_version and f.path == ("specificationVersion",)))
    result.context = context
    result.diagnostics = locate(findings, loaded.source, loaded.root, name, registry)
    return result


def _check(context: Context, registry: Registry) -> list[Finding]:
    from openjd_lint.validation import validate

    try:
        findings = list(validate(context))
    except Exception as error:  # one stage's bug is one finding: the rules still run
        findings = [meta.internal_error("the schema layer (S rules)", error)]
    for rule in registry.checks():
        try:
            findings.extend(rule.check(context))
        except Exception as error:  # one rule's bug is one finding: every other rule still runs
            findings.append(meta.internal_error(f"rule {rule.id} ({rule.name})", error))
    return findings


def _version_finding(node, body: Optional[str]) -> Finding:
    """`body`: what the root's keys say the template is, which names the version to use."""
    known = ", ".join(sorted(SPECIFICATION_VERSIONS))
    meant = next((name for name, kind in SPECIFICATION_VERSIONS.items() if kind == body), None)
    if node is None:
        hint = f"add `specificationVersion: {meant}`" if meant else f"add `specificationVersion` ({known})"
        return Finding("S001", "`specificationVersion` is missing", path=(), hint=hint)
    return Finding("S001", f"unknown specificationVersion {getattr(node, 'value', None)!r}",
                   path=("specificationVersion",), hint=f"use {meant}" if meant else f"use one of: {known}")


_JOB_ONLY_KEYS = ("name", "steps", "jobEnvironments", "description", "$schema")


def _kind_of_body(root) -> Optional[str]:
    """What the root's keys say the template is, when they say it unambiguously."""
    keys = set(root.keys()) if hasattr(root, "keys") else set()
    if "environment" in keys and not keys.intersection(_JOB_ONLY_KEYS):
        return ENVIRONMENT
    if "steps" in keys and "environment" not in keys:
        return JOB
    return None


def _wrong_version_finding(source: Source, node, body: str) -> Finding:
    version = next(name for name, kind in SPECIFICATION_VERSIONS.items() if kind == body)
    shape = ("has `environment` and no `steps`" if body == ENVIRONMENT else "has `steps` and no `environment`")
    what = "an environment template" if body == ENVIRONMENT else "a job template"
    written = source.text[node.start_index:node.end_index]
    edit = Edit(node.start_index, node.end_index, written.replace(node.value, version))
    # Unsafe: a tool that reads the file as written (a submitter's fragment) may rely on the old version.
    return Finding("S001", f"the template is {what} (it {shape}), but `specificationVersion` is {node.value!r}",
                   path=("specificationVersion",), hint=f"set `specificationVersion: {version}`; the file is "
                   f"checked as {what}", fix=Fix(f"set specificationVersion to {version}", (edit,), safe=False))


def configured(diagnostics: list, config: Config, name: str) -> list:
    """The configuration's selection and severities, then info findings only when asked for
    (`Config.shows`), in source order."""
    selected = (_with_severity(d, config) for d in diagnostics if config.enabled(d.rule, name))
    return sorted((d for d in selected if config.shows(d.rule, d.severity)), key=lambda d: d.sort_key)


def _with_severity(diagnostic, config: Config):
    severity = config.severity_of(diagnostic.rule, diagnostic.severity)
    return diagnostic if severity == diagnostic.severity else dataclasses.replace(diagnostic, severity=severity)
