"""Code actions: every fix the linter offers, and a comment that disables a rule for one line."""

from __future__ import annotations

from typing import Callable, Iterator

from lsprotocol import types as lsp

from openjd_lint.findings import Diagnostic
from openjd_lint.load.tree import MapNode, Node, Position, ScalarNode, SeqNode
from openjd_lint.lsp.conversions import offsets_range
from openjd_lint.lsp.documents import Analysis

SUPPRESSION = "# openjd-lint: disable={rule}"


def code_actions(analysis: Analysis, uri: str, start: int, end: int, encoding: str,
                 convert: Callable[[Diagnostic], lsp.Diagnostic]) -> list:
    """Actions for the diagnostics on the lines of offsets [start, end]: a cursor anywhere on the
    line of a finding is enough, as it is for the editor's light bulb."""
    source = analysis.source
    commentable = not analysis.result.name.lower().endswith(".json")  # JSON has no comments
    first_line, last_line = source.position(start).line, source.position(end).line
    actions, suppressed = [], set()
    for diagnostic in analysis.diagnostics:
        if diagnostic.line > last_line or diagnostic.end_line < first_line:
            continue
        related = [convert(diagnostic)]
        if diagnostic.fix is not None:
            fix = diagnostic.fix
            label = fix.description if fix.safe else f"{fix.description} (unsafe: may change behaviour)"
            edits = [lsp.TextEdit(offsets_range(source, e.start, e.end, encoding), e.text) for e in fix.edits]
            actions.append(lsp.CodeAction(
                title=f"Fix {diagnostic.rule}: {label}", kind=lsp.CodeActionKind.QuickFix, diagnostics=related,
                edit=lsp.WorkspaceEdit(changes={uri: edits}), is_preferred=fix.safe or None))
        if (diagnostic.rule, diagnostic.line) in suppressed:
            continue
        suppressed.add((diagnostic.rule, diagnostic.line))
        if commentable and not _inside_multiline_scalar(analysis, diagnostic.line):
            actions.append(lsp.CodeAction(
                title=f"Disable {diagnostic.rule} ({diagnostic.name}) for this line",
                kind=lsp.CodeActionKind.QuickFix, diagnostics=related,
                edit=lsp.WorkspaceEdit(changes={uri: [_suppression_edit(analysis, diagnostic, encoding)]})))
    return actions


def _suppression_edit(analysis: Analysis, diagnostic: Diagnostic, encoding: str) -> lsp.TextEdit:
    source = analysis.source
    line_text = source.line_text(diagnostic.line)
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    newline = "\r\n" if "\r\n" in source.text else "\n"
    line_start = source.index(Position(diagnostic.line, 1))
    comment = SUPPRESSION.format(rule=diagnostic.rule)
    return lsp.TextEdit(offsets_range(source, line_start, line_start, encoding), f"{indent}{comment}{newline}")


def _inside_multiline_scalar(analysis: Analysis, line: int) -> bool:
    """A comment line inserted above `line` would become part of a block or multi-line scalar."""
    if analysis.context is None:  # nothing loaded, or not a template: no tree to ask
        return False
    source = analysis.source
    return any(node.start.line < line <= source.position(max(node.start_index, node.end_index - 1)).line
               for node in _scalars(analysis.context.root, set()))


def _scalars(node: Node, seen: set) -> Iterator[ScalarNode]:
    """Every scalar once (aliases share nodes, so a small file can name the same node many times)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, MapNode):
        for key, value in node.entries:
            yield key
            yield from _scalars(value, seen)
    elif isinstance(node, SeqNode):
        for item in node.items:
            yield from _scalars(item, seen)
