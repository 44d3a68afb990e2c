"""Completion inside an expression: exactly the names visible there, and the EXPR functions."""

from __future__ import annotations

from typing import Optional

from lsprotocol import types as lsp

from openjd_lint.expr.library import LIBRARY
from openjd_lint.lsp.conversions import offsets_range
from openjd_lint.lsp.documents import Analysis
from openjd_lint.lsp.scope import RUNTIME_SYMBOLS, cursor_at, symbols_for
from openjd_lint.model.symbols import expr_enabled, symbol_definitions


def completion(analysis: Analysis, offset: int, encoding: str) -> Optional[lsp.CompletionList]:
    ctx = analysis.context
    if ctx is None:
        return None
    cursor = cursor_at(ctx, analysis.source, offset)
    if cursor is None:
        return None
    # Replace the whole dotted name typed so far, so `Task.` completes to `Task.Param.Frame`.
    replace = offsets_range(analysis.source, cursor.token_start, cursor.offset, encoding)
    visibility = symbol_definitions(ctx)
    items = [
        lsp.CompletionItem(
            label=name, kind=lsp.CompletionItemKind.Variable, detail=str(type_),
            documentation=_documentation(name, visibility),
            text_edit=lsp.TextEdit(replace, name), filter_text=name)
        for name, type_ in sorted(symbols_for(ctx, cursor.field).items())
    ]
    if expr_enabled(ctx) and "." not in cursor.prefix:
        items += [
            lsp.CompletionItem(
                label=name, kind=lsp.CompletionItemKind.Function,
                detail=" | ".join(str(overload) for overload in overloads),
                text_edit=lsp.TextEdit(replace, name), filter_text=name)
            for name, overloads in sorted(LIBRARY.items())
            if not name.startswith("__") and (cursor.field.host or not all(o.host_only for o in overloads))
        ]
    return lsp.CompletionList(is_incomplete=False, items=items)


def _documentation(name: str, visibility: dict) -> Optional[str]:
    parts = [RUNTIME_SYMBOLS[name]] if name in RUNTIME_SYMBOLS else []
    if name in visibility:
        parts.append(f"Visible {visibility[name]}.")
    return "\n\n".join(parts) or None
