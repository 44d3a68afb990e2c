"""Static checking of EXPR expressions (format-strings.md §D.5).

The expression is evaluated with every symbol bound to an unresolved placeholder of its declared
type: operations on placeholders are matched against the library signatures (type errors, unknown
methods and properties, arity), constant sub-expressions are computed (division by zero,
overflow, `fail()`, bad regex or range literals...). Errors are collected, not raised: a failing
sub-expression is reported once and then behaves as `any`, so one mistake gives one error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from openjd_lint.expr import ast as A
from openjd_lint.expr import types as T
from openjd_lint.expr.evaluate import Interpreter, natural_steps
from openjd_lint.expr.library import Environment
from openjd_lint.expr.library.registry import WorkLimitExceeded
from openjd_lint.expr.types import Fit, fits_target, is_nullable, target_fit  # noqa: F401  (re-exported)
from openjd_lint.expr.values import EvalError, UnresolvedValue, coerce_value, type_of

__all__ = ["ExprError", "CheckResult", "check_expression", "fits_target", "target_fit", "Fit", "is_nullable"]

_KINDS = {"type": "type", "unknown-name": "unknown-name", "scope": "scope", "value": "constant", "limit": "constant",
          "work": "work"}
_SUPPRESSIBLE = {"type", "constant"}  # what an unreachable branch of `x if c else y` may hide
_POISON = UnresolvedValue(T.ANY)


@dataclass(frozen=True)
class ExprError:
    """One problem; `start`/`end` are offsets in the same coordinates as the AST."""

    message: str
    start: int
    end: int
    kind: str  # "unknown-name", "type", "constant", "scope", "work" (the linter's allowance ran out: not checked)


@dataclass(frozen=True)
class CheckResult:
    """`type` is the static result type (`unresolved[...]` when it depends on a symbol);
    `null_hazards` mark operations that fail if a nullable operand turns out null
    (e.g. `WrappedAction.Timeout * 2`), which the checker itself tolerates."""

    type: T.Type
    errors: tuple = ()
    null_hazards: tuple = ()

    @property
    def nullable(self) -> bool:
        return is_nullable(self.type)


class _Checker(Interpreter):
    def __init__(self, symbols: Mapping[str, T.Type], host_scope: bool):
        values = {name: UnresolvedValue(T.resolved(t)) for name, t in symbols.items()}
        super().__init__(values, Environment(host=host_scope))
        self.errors: list = []
        self.null_hazards: list = []
        self._current: Optional[A.Expr] = None

    def eval(self, node: A.Expr):
        outer, self._current = self._current, node
        try:
            return super().eval(node)
        except WorkLimitExceeded:
            raise
        except EvalError as error:
            self.errors.append(ExprError(error.message, error.start, error.end, _KINDS.get(error.kind, "type")))
            return _POISON
        finally:
            self._current = outer

    def null_sensitive_operation(self, name: str) -> None:
        node = self._current
        self.null_hazards.append(
            ExprError(f"{_describe(name)} fails when a nullable operand is null", node.start, node.end, "nullable")
        )

    def both_branches(self, node: A.Conditional):
        saved = self.errors
        self.errors = []
        body = self.eval(node.body)
        body_errors, self.errors = self.errors, []
        orelse = self.eval(node.orelse)
        else_errors, self.errors = self.errors, saved
        if _only_suppressible(body_errors) and not else_errors:
            return UnresolvedValue(T.resolved(type_of(orelse)))
        if _only_suppressible(else_errors) and not body_errors:
            return UnresolvedValue(T.resolved(type_of(body)))
        self.errors.extend(body_errors + else_errors)
        return UnresolvedValue(T.resolved(T.union(type_of(body), type_of(orelse))))


def _only_suppressible(errors: list) -> bool:
    return bool(errors) and all(e.kind in _SUPPRESSIBLE for e in errors)


def _describe(function: str) -> str:
    if function.startswith("__property_"):
        return f"property '{function[len('__property_'):-2]}'"
    if function.startswith("__"):
        return f"operator {function}"
    return f"{function}()"


def check_expression(
    expr: A.Expr, symbols: Mapping[str, T.Type], *, host_scope: bool, target: Optional[T.Type] = None
) -> CheckResult:
    """Type-check `expr` with the visible `symbols` (dotted name -> declared type).

    `host_scope` allows host-only functions (SESSION/TASK fields). With a `target` type, a result
    that can never fill the field is a "type" error, and a constant result that cannot be
    converted is a "constant" error."""
    checker = _Checker(symbols, host_scope)
    checker.budget.meter.grant(natural_steps(expr.end - expr.start))
    try:
        value = checker.eval(expr)
    except WorkLimitExceeded as error:
        message = f"{error.message}: it is not checked; simplify it"
        return CheckResult(T.ANY, (ExprError(message, expr.start, expr.end, "work"),))
    errors = list(dict.fromkeys(checker.errors))  # a comprehension's body fails the same way for every item
    result_type = type_of(value)
    if target is not None and not errors:
        errors.extend(_target_errors(value, result_type, target, expr))
    return CheckResult(result_type, tuple(errors), tuple(dict.fromkeys(checker.null_hazards)))


def _target_errors(value, result_type: T.Type, target: T.Type, expr: A.Expr) -> list:
    if isinstance(value, UnresolvedValue):
        if target_fit(result_type, target) is Fit.NEVER:
            return [ExprError(f"A value of type {T.resolved(result_type)} cannot be used as {target}", expr.start, expr.end, "type")]
        return []
    try:
        coerce_value(value, target)
    except EvalError as error:
        return [ExprError(error.message, expr.start, expr.end, "constant")]
    return []
