"""Turn findings (document paths, offsets inside strings) into diagnostics with exact positions."""

from __future__ import annotations

from typing import Optional

from openjd_lint.findings import Diagnostic, Finding, RelatedLocation
from openjd_lint.load.scalar_map import span_in_scalar
from openjd_lint.load.source import Source
from openjd_lint.load.tree import MapNode, Node, Position, ScalarNode, SeqNode, Span, node_at
from openjd_lint.rule_api import Registry


def locate(findings: list[Finding], source: Optional[Source], root: Optional[Node], file: str,
            registry: Registry) -> list[Diagnostic]:
    diagnostics = []
    for finding in findings:
        rule = registry.get(finding.rule)
        if rule is None:
            raise KeyError(f"finding for unregistered rule {finding.rule}")
        span = _span(finding.span, finding.path, finding.on_key, finding.chars, source, root)
        related = tuple(
            RelatedLocation(r.file or file, *_flat(_span(r.span, r.path, r.on_key, None, source, root)), r.message)
            for r in finding.related)
        diagnostics.append(Diagnostic(
            file, *_flat(span), rule.id, rule.name, finding.severity or rule.severity,
            finding.message, finding.hint, related, finding.fix))
    diagnostics.sort(key=lambda d: d.sort_key)
    return diagnostics


def _flat(span: Span) -> tuple:
    return span.start.line, span.start.column, span.end.line, span.end.column


def _span(span, path, on_key, chars, source, root) -> Span:
    if span is not None:
        return span
    if root is None or source is None:
        return Span(Position(1, 1), Position(1, 1))
    node, key_node, walked = node_at(root, path)
    if len(walked) < len(path):
        return key_node.span if key_node is not None else _first_line(source, node)
    target = key_node if on_key and key_node is not None else node
    if chars is not None and isinstance(target, ScalarNode) and isinstance(target.value, str):
        return span_in_scalar(source, target, chars[0], chars[1])
    if isinstance(target, (MapNode, SeqNode)):
        return key_node.span if key_node is not None else _first_line(source, target)
    return target.span


def _first_line(source: Source, node: Node) -> Span:
    line = source.line_text(node.start.line)
    end_column = len(line.rstrip()) + 1
    return Span(node.start, Position(node.start.line, max(end_column, node.start.column + 1)))
