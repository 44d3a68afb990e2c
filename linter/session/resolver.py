"""Format strings and `let` bindings resolved with concrete values, as a runtime resolves them.

With EXPR the expression evaluator does the work with whole-field semantics (a null result drops
an optional field or an `args` item, a list splices into `args`); without EXPR every value is
text and `{{Name}}` is plain substitution. Every failure is a ResolveError with a readable message.
"""

from __future__ import annotations

from typing import Any, Optional

from openjd_lint.expr import types as T
from openjd_lint.expr.format_string import parse_format_string
from openjd_lint.expr.let import parse_let_binding
from openjd_lint.expr.library import Environment
from openjd_lint.expr.evaluate import evaluate, render_format_string
from openjd_lint.expr.values import EvalError, ListValue, PathValue, to_string
from openjd_lint.model.symbols import EXPR


class ResolveError(Exception):
    pass


class Resolver:
    """Resolves the strings of one template; `values` maps dotted symbol names to values."""

    def __init__(self, context, values: dict, path_style: str, host: bool = True):
        self.expr = EXPR in context.extensions
        self.values = dict(values) if self.expr else {name: _text(value) for name, value in values.items()}
        self.environment = Environment(path_style=path_style, host=host)

    def with_values(self, extra: dict) -> "Resolver":
        clone = Resolver.__new__(Resolver)
        clone.expr, clone.environment = self.expr, self.environment
        clone.values = {**self.values, **(extra if self.expr else {k: _text(v) for k, v in extra.items()})}
        return clone

    def value(self, text: Any, target: Optional[str] = None) -> Any:
        """The value of a field: non-strings (an integer timeout) pass through unchanged."""
        if not isinstance(text, str):
            return text
        parsed, errors = parse_format_string(text, self.expr)
        if errors:
            raise ResolveError(f"{text!r}: {errors[0].message}")
        try:
            return render_format_string(parsed, self.values, target=T.parse_type(target) if target else None,
                                        env=self.environment)
        except EvalError as error:
            raise ResolveError(f"{text!r}: {error.message}") from None

    def text(self, text: Any) -> str:
        value = self.value(text, "string")
        return value.text if isinstance(value, PathValue) else to_string(value)

    def args(self, items) -> list:
        """An `args` list: each whole-field null drops its item, each list splices in."""
        argv = []
        for item in items or []:
            value = self.value(item, "string? | list[string]")
            if value is None:
                continue
            if isinstance(value, ListValue):
                argv.extend(to_string(v) for v in value.items)
            else:
                argv.append(value.text if isinstance(value, PathValue) else to_string(value))
        return argv

    def bind(self, bindings) -> "Resolver":
        """This resolver with a `let` block's names bound, in order."""
        if not self.expr or not bindings:
            return self
        resolver = self
        for item in bindings:
            binding, errors = parse_let_binding(item) if isinstance(item, str) else (None, [])
            if binding is None or binding.expr is None:
                raise ResolveError(f"let {item!r}: {errors[0].message if errors else 'does not parse'}")
            try:
                value = evaluate(binding.expr, resolver.values, env=self.environment)
            except EvalError as error:
                raise ResolveError(f"let {item!r}: {error.message}") from None
            resolver = resolver.with_values({binding.name: value})
        return resolver


def _text(value: Any) -> str:
    if isinstance(value, PathValue):
        return value.text
    return value if isinstance(value, str) else to_string(value)
