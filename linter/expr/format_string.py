"""Split a format-string value into literal text and `{{ … }}` interpolations (format-strings.md §A.1).

Scanning is textual: the first `}}` after a `{{` closes it, whatever quotes are in between, and
there is no escape for literal braces. Every problem of the string is reported, each as a
`FormatStringError` with offsets into the decoded value; `kind` lets rules pick their ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from openjd_lint.expr.ast import FormatString, Interpolation, Name
from openjd_lint.expr.parser import ExprSyntaxError, parse_expression

BRACES = "braces"  # "Braces mismatch" / "Missing opening braces"
EMPTY = "empty"  # "{{ }}"
SYNTAX = "syntax"  # not a valid expression (under EXPR), or not even a valid one without it
NEEDS_EXPR = "needs-expr"  # a valid EXPR expression in a template that does not enable EXPR


@dataclass(frozen=True)
class FormatStringError:
    message: str
    start: int
    end: int
    kind: str


def parse_format_string(value: str, expr_enabled: bool) -> tuple[FormatString, list[FormatStringError]]:
    if "{{" not in value and "}}" not in value:
        return FormatString(value, (value,) if value else ()), []
    parts: list = []
    text_run: list[str] = []  # literal text since the last interpolation
    errors: list[FormatStringError] = []
    length, position = len(value), 0
    # The next "{{" and "}}" at or after `position`, each searched again only once passed, so the
    # scan stays linear however many interpolations the string holds.
    next_open, next_close = value.find("{{"), value.find("}}")
    while position < length:
        if next_open != -1 and next_open < position:
            next_open = value.find("{{", position)
        if next_close != -1 and next_close < position:
            next_close = value.find("}}", position)
        if next_open == -1 and next_close == -1:
            break
        if next_close != -1 and (next_open == -1 or next_close < next_open):
            message = "Braces mismatch" if next_open != -1 else "Missing opening braces"
            errors.append(FormatStringError(
                f"{message}: '}}}}' without a '{{{{' before it", next_close, next_close + 2, BRACES))
            text_run.append(value[position:next_close + 2])
            position = next_close + 2
            continue
        close = value.find("}}", next_open + 2)
        if close == -1:
            errors.append(FormatStringError(
                "Braces mismatch: '{{' is never closed by '}}'", next_open, next_open + 2, BRACES))
            break
        text_run.append(value[position:next_open])
        _flush_text(parts, text_run)
        parts.append(_interpolation(value, next_open, close, expr_enabled, errors))
        position = close + 2
    text_run.append(value[position:])
    _flush_text(parts, text_run)
    return FormatString(value, tuple(parts)), errors


def _flush_text(parts: list, text_run: list[str]) -> None:
    text = "".join(text_run)
    text_run.clear()
    if text:
        parts.append(text)


def _interpolation(value: str, open_at: int, close_at: int, expr_enabled: bool,
                   errors: list[FormatStringError]) -> Interpolation:
    start, end = open_at, close_at + 2
    text = value[open_at + 2:close_at]
    if not text.strip():
        errors.append(FormatStringError("Empty expression: nothing between '{{' and '}}'", start, end, EMPTY))
        return Interpolation(start, end, open_at + 2, close_at, text)
    try:
        expr = parse_expression(text, open_at + 2)
    except ExprSyntaxError as error:
        errors.append(FormatStringError(error.message, error.start, error.end, SYNTAX))
        return Interpolation(start, end, open_at + 2, close_at, text)
    if not expr_enabled and not _is_bare_reference(expr, text, open_at + 2):
        errors.append(FormatStringError(
            "only a value reference such as {{Param.Name}} is allowed here; this is an expression, "
            "which needs the EXPR extension (add EXPR to the template's extensions)",
            expr.start, expr.end, NEEDS_EXPR))
        return Interpolation(start, end, open_at + 2, close_at, text)
    return Interpolation(start, end, open_at + 2, close_at, text, expr)


def _is_bare_reference(expr, text: str, offset: int) -> bool:
    """The base language (§A.2): exactly a dotted name, nothing around it but whitespace."""
    stripped = text.strip()
    first = offset + text.index(stripped[0])
    return isinstance(expr, Name) and expr.start == first and expr.end == first + len(stripped)
