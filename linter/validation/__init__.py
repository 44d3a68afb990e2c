"""The JSON-schema layer: validate a template's plain data against the packaged schema and report
each error as a finding of the S rules (see `openjd_lint.rules.validation`)."""

from __future__ import annotations

import dataclasses

from openjd_lint.context import Context
from openjd_lint.findings import Fix
from openjd_lint.fixes import append_to_sequence, replace_in_scalar
from openjd_lint.load.tree import SeqNode, node_at
from openjd_lint.validation.mapping import (LENGTH, MISSING_KEY, REQUIRES_EXTENSION, UNKNOWN_KEY, findings_for,
                                            renamed_to)
from openjd_lint.validation.validator import schema_for

__all__ = ["validate"]


def validate(ctx: Context) -> list:
    schema = schema_for(ctx.kind)
    if schema.is_valid(ctx.plain):
        return []
    findings = findings_of(schema, ctx.plain, ctx.empty_keys)
    return [_with_fix(ctx, _with_removal_hint(ctx, schema, finding, findings)) for finding in findings]


def findings_of(schema, plain, empty_keys: frozenset = frozenset()) -> list:
    """The findings of the schema's errors for `plain`, before the hints and fixes that need the template."""
    findings = []
    for error in schema.errors(plain):
        findings.extend(findings_for(error, empty_keys))
    return _deduplicated(findings)


def _with_removal_hint(ctx: Context, schema, finding, findings: list):
    """An empty optional list or mapping may also be removed; an empty required one may not (that would be
    another error), so the hint offers removal only when the template without the key is no worse there."""
    path = finding.path
    if finding.rule != LENGTH or not path or not isinstance(path[-1], str):
        return finding
    parent = _value_at(ctx.plain, path[:-1])
    if not isinstance(parent, dict) or parent.get(path[-1]) not in ([], {}):
        return finding
    missing_before = {f.message for f in findings if f.rule == MISSING_KEY and f.path == path[:-1]}
    without = findings_of(schema, _without(ctx.plain, path), ctx.empty_keys)
    if any(f.rule == MISSING_KEY and f.path == path[:-1] and f.message not in missing_before for f in without):
        return finding
    return dataclasses.replace(finding, hint=f"remove `{path[-1]}`, or {finding.hint}")


def _value_at(plain, path: tuple):
    for key in path:
        if isinstance(plain, dict) and key in plain:
            plain = plain[key]
        elif isinstance(plain, list) and isinstance(key, int) and 0 <= key < len(plain):
            plain = plain[key]
        else:
            return None
    return plain


def _without(plain, path: tuple):
    """`plain` without the key at `path`, copying only the containers on the way."""
    if len(path) == 1:
        return {key: value for key, value in plain.items() if key != path[0]}
    copy = dict(plain) if isinstance(plain, dict) else list(plain)
    copy[path[0]] = _without(plain[path[0]], path[1:])
    return copy


_WRAP_EXTENSIONS = ("WRAP_ACTIONS", "WRAP_TASK_RUN")


def _with_fix(ctx: Context, finding):
    """A wrap extension declared without EXPR (reported on `extensions`) gets the safe fix that adds EXPR;
    an unknown key with one obvious known key, the fix that renames it."""
    if finding.rule == UNKNOWN_KEY and finding.fix is not None and not finding.fix.edits:
        return _with_rename(ctx, finding)
    if (finding.rule != REQUIRES_EXTENSION or finding.path != ("extensions",) or ctx.root is None
            or "EXPR" in ctx.extensions or not any(name in ctx.extensions for name in _WRAP_EXTENSIONS)):
        return finding
    node = ctx.root.get("extensions")
    if not isinstance(node, SeqNode):
        return finding
    edit = append_to_sequence(ctx.source, node, "EXPR")
    return dataclasses.replace(finding, fix=Fix("add EXPR to `extensions`", (edit,), safe=True)) if edit else finding


def _with_rename(ctx: Context, finding):
    """Fill in the edit of the rename the schema layer proposed (mapping.rename_fix), or drop the fix when
    the key is not written plainly."""
    _, key_node, walked = node_at(ctx.root, finding.path) if ctx.root is not None else (None, None, ())
    key = finding.path[-1]
    edit = None
    if key_node is not None and walked == finding.path and isinstance(key_node.value, str):
        edit = replace_in_scalar(ctx.source, key_node, 0, len(key), renamed_to(finding.fix))
    return dataclasses.replace(finding, fix=dataclasses.replace(finding.fix, edits=(edit,)) if edit else None)


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
