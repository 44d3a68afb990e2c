"""Parse one `let` item `name = expression` (format-strings.md §E, schema.md §3.6).

The item splits on the first `=` (so `a == 1` is the name `a` with the right-hand side `= 1`, a
syntax error) and the right-hand side is a bare expression, without `{{ }}`.
"""

from __future__ import annotations

import re
from typing import Optional

from openjd_lint.expr.ast import LetBinding
from openjd_lint.expr.parser import RESERVED_WORDS, ExprSyntaxError, parse_expression

LET_NAME = re.compile(r"[a-z_][A-Za-z0-9_]*")
MAX_NAME_LENGTH = 512
_LITERAL_WORDS = ("true", "false", "null")


def parse_let_binding(item: str) -> tuple[Optional[LetBinding], list[ExprSyntaxError]]:
    """The binding (its `expr` None when the right-hand side does not parse) and every problem.
    No binding at all when the item has no `=`."""
    equals = item.find("=")
    if equals == -1:
        return None, [ExprSyntaxError("a let binding is 'name = expression' but there is no '='", 0, len(item))]
    errors: list[ExprSyntaxError] = []
    head = item[:equals]
    name = head.strip(" \t")
    name_start = head.index(name) if name else equals
    name_end = name_start + len(name)
    name_error = _name_problem(name, head)
    if name_error:
        errors.append(ExprSyntaxError(name_error, name_start if name else 0, name_end if name else max(equals, 1)))
    rhs = item[equals + 1:]
    expr = None
    if rhs.startswith("="):
        errors.append(ExprSyntaxError(
            "a let binding is 'name = expression'; '==' compares and cannot bind a name", equals, equals + 2))
    else:
        try:
            expr = parse_expression(rhs, equals + 1)
        except ExprSyntaxError as error:
            errors.append(error)
    return LetBinding(name, name_start, name_end, expr), errors


def _name_problem(name: str, head: str) -> Optional[str]:
    if not name:
        return "a let binding needs a name before '='"
    if ":" in name:
        return "type annotations are not supported in let bindings: write 'name = expression'"
    if head.strip() != name or any(char in name for char in " \t"):
        return f"the let name {name.strip()!r} must be a single identifier ([a-z_][A-Za-z0-9_]*)"
    if not LET_NAME.fullmatch(name):
        if name[:1].isupper() or name[:1].isdigit():
            return f"let name {name!r} must start with a lowercase letter or '_'"
        return f"let name {name!r} may only hold ASCII letters, digits and '_'"
    if len(name) > MAX_NAME_LENGTH:
        return f"let name is {len(name)} characters long; the maximum is {MAX_NAME_LENGTH}"
    if name in RESERVED_WORDS or name in _LITERAL_WORDS:
        return f"'{name}' is a keyword and cannot be a let name"
    return None
