"""Hover on a name inside an expression (its type, where it is defined, and where it is visible), and
going to its definition."""

from __future__ import annotations

from typing import Optional

from lsprotocol import types as lsp

from openjd_lint.expr.library import LIBRARY
from openjd_lint.lsp.conversions import offsets_range
from openjd_lint.lsp.documents import Analysis
from openjd_lint.lsp.scope import RUNTIME_SYMBOLS, cursor_at, definition_of, symbol_in, symbols_for
from openjd_lint.model.symbols import expr_enabled, symbol_definitions


def hover(analysis: Analysis, offset: int, encoding: str) -> Optional[lsp.Hover]:
    ctx = analysis.context
    if ctx is None:
        return None
    cursor = cursor_at(ctx, analysis.source, offset)
    if cursor is None or not cursor.token:
        return None
    symbols = symbols_for(ctx, cursor.field)
    name = symbol_in(cursor.token, symbols)
    if name is not None:
        text = _symbol_text(ctx, cursor.field, name, symbols[name], analysis)
        end = cursor.token_start + len(name)
    else:
        text = _function_text(cursor.token) if expr_enabled(ctx) else None
        end = cursor.token_end
        if text is None:
            text = _invisible_text(ctx, cursor.token)
        if text is None:
            return None
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text),
                     offsets_range(analysis.source, cursor.token_start, end, encoding))


def _symbol_text(ctx, field, name: str, type_, analysis: Analysis) -> str:
    lines = [f"`{name}`: `{type_}`", ""]
    definition = definition_of(ctx, field, name)
    if definition is not None:
        what, node = definition
        line = analysis.source.position(node.start_index).line
        lines.append(f"Defined by {what} on line {line}.")
    elif name in RUNTIME_SYMBOLS:
        lines.append(f"Provided at run time: {RUNTIME_SYMBOLS[name]}.")
    visibility = symbol_definitions(ctx).get(name)
    if visibility:
        lines += ["", f"Visible {visibility}."]
    return "\n".join(lines)


def _function_text(token: str) -> Optional[str]:
    name = token.rsplit(".", 1)[-1]
    overloads = LIBRARY.get(name) if not name.startswith("__") else None
    if not overloads:
        return None
    return "\n".join(["```", *(_signature(overload) for overload in overloads), "```"])


def _signature(overload) -> str:
    result = overload.result
    return f"{overload}" if callable(result) else f"{overload} -> {result}"


def _invisible_text(ctx, token: str) -> Optional[str]:
    """A name the template defines but that this field cannot see: say where it can be used."""
    visibility = symbol_definitions(ctx).get(token)
    return f"`{token}` is not visible here; it is visible only {visibility}." if visibility else None


def definition(analysis: Analysis, offset: int, encoding: str) -> Optional[lsp.Range]:
    """Where the name under the cursor is defined in the template (None for run-time symbols)."""
    ctx = analysis.context
    cursor = cursor_at(ctx, analysis.source, offset) if ctx is not None else None
    if cursor is None or not cursor.token:
        return None
    name = symbol_in(cursor.token, symbols_for(ctx, cursor.field))
    found = definition_of(ctx, cursor.field, name) if name is not None else None
    if found is None:
        return None
    node = found[1]
    return offsets_range(analysis.source, node.start_index, node.end_index, encoding)
