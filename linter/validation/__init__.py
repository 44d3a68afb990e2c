"""The JSON-schema layer: validate a template's plain data against the packaged schema and report
each error as a finding of the S rules (see `openjd_lint.rules.validation`)."""

from __future__ import annotations

import dataclasses

from openjd_lint.context import Context
from openjd_lint.findings import Fix
from openjd_lint.fixes import append_to_sequence
from openjd_lint.load.tree import SeqNode
from openjd_lint.validation.mapping import REQUIRES_EXTENSION, findings_for
from openjd_lint.validation.validator import schema_for

__all__ = ["validate"]


def validate(ctx: Context) -> list:
    schema = schema_for(ctx.kind)
    if schema.is_valid(ctx.plain):
        return []
    findings = []
    for error in schema.errors(ctx.plain):
        findings.extend(findings_for(error, ctx.empty_keys))
    return [_with_fix(ctx, finding) for finding in _deduplicated(findings)]


_WRAP_EXTENSIONS = ("WRAP_ACTIONS", "WRAP_TASK_RUN")


def _with_fix(ctx: Context, finding):
    """A wrap extension declared without EXPR (reported on `extensions`) gets the safe fix that adds EXPR."""
    if (finding.rule != REQUIRES_EXTENSION or finding.path != ("extensions",) or ctx.root is None
            or "EXPR" in ctx.extensions or not any(name in ctx.extensions for name in _WRAP_EXTENSIONS)):
        return finding
    node = ctx.root.get("extensions")
    if not isinstance(node, SeqNode):
        return finding
    edit = append_to_sequence(ctx.source, node, "EXPR")
    return dataclasses.replace(finding, fix=Fix("add EXPR to `extensions`", (edit,), safe=True)) if edit else finding


def _deduplicated(findings: list) -> list:
    # A gated limit is checked twice (the extension's limit in the base schema, the tighter one in the
    # gate); when the base already complains about a value, the gate adds nothing.
    base_paths = {(f.path, f.on_key) for f in findings if f.rule != REQUIRES_EXTENSION}
    unique = {}
    for finding in findings:
        if finding.rule == REQUIRES_EXTENSION and (finding.path, finding.on_key) in base_paths:
            continue
        unique.setdefault((finding.rule, finding.path, finding.on_key, finding.message), finding)
    return sorted(unique.values(), key=lambda f: ([str(p) for p in f.path], f.on_key, f.rule, f.message))
