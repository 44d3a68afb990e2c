"""The expression tree every later stage works on (types, scopes, evaluation, wrap rules).

Offsets `start`/`end` are character offsets into the *decoded* format-string value (the string the
template author wrote, after YAML unquoting), so a finding can point at the exact columns of a
name or operator via `openjd_lint.load.scalar_map`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Expr:
    start: int
    end: int


@dataclass(frozen=True)
class Name(Expr):
    """A dotted value reference as written: `Param.Frame`, `Task.File.Script`, a `let` name, a
    comprehension variable. Property access on a reference stays a `Name` until the type checker
    decides which prefix is the symbol (`Param.Scene.stem` = symbol `Param.Scene` + property)."""

    parts: tuple  # tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Literal(Expr):
    """int, float, string, bool or None. `text` keeps the source spelling (float pass-through)."""

    value: Union[int, float, str, bool, None]
    text: str = ""


@dataclass(frozen=True)
class ListDisplay(Expr):
    items: tuple  # tuple[Expr, ...]


@dataclass(frozen=True)
class ListComp(Expr):
    element: Expr
    variable: str
    variable_start: int
    variable_end: int
    iterable: Expr
    condition: Optional[Expr] = None


@dataclass(frozen=True)
class Attribute(Expr):
    """`value.name` where `value` is not a plain dotted name (e.g. `(a / b).stem`, `x[0].name`)."""

    value: Expr
    name: str
    name_start: int = 0


@dataclass(frozen=True)
class Call(Expr):
    """A function call `f(a, b)` (`receiver` None) or a method call `x.f(a)` (UFCS: `f(x, a)`)."""

    function: str
    function_start: int
    function_end: int
    args: tuple  # tuple[Expr, ...]
    receiver: Optional[Expr] = None


@dataclass(frozen=True)
class Index(Expr):
    value: Expr
    index: Expr


@dataclass(frozen=True)
class Slice(Expr):
    value: Expr
    lower: Optional[Expr] = None
    upper: Optional[Expr] = None
    step: Optional[Expr] = None


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "-", "+", "not"
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    """Arithmetic `+ - * / // % **`, boolean `and`/`or` (value-returning, null-coalescing)."""

    op: str
    left: Expr
    right: Expr
    op_start: int = 0


@dataclass(frozen=True)
class Compare(Expr):
    """A comparison chain `a < b <= c`: ops[i] joins operands[i] and operands[i+1].
    ops are `< > <= >= == != in not in`."""

    operands: tuple  # tuple[Expr, ...]
    ops: tuple  # tuple[str, ...]


@dataclass(frozen=True)
class Conditional(Expr):
    """`body if condition else orelse`."""

    body: Expr
    condition: Expr
    orelse: Expr


@dataclass(frozen=True)
class Interpolation:
    """One `{{ ... }}` of a format string. `start`/`end` cover the braces; `expr_start`/`expr_end`
    the text between them. `expr` is None when the text did not parse (a finding says why)."""

    start: int
    end: int
    expr_start: int
    expr_end: int
    text: str
    expr: Optional[Expr] = None


@dataclass(frozen=True)
class FormatString:
    """A parsed format-string value: literal text and interpolations in order."""

    value: str
    parts: tuple = field(default=())  # tuple[Union[str, Interpolation], ...]

    @property
    def interpolations(self) -> tuple:
        return tuple(p for p in self.parts if isinstance(p, Interpolation))

    @property
    def whole_field(self) -> Optional[Interpolation]:
        """The interpolation when the value is exactly one `{{expr}}` and nothing else."""
        if len(self.parts) == 1 and isinstance(self.parts[0], Interpolation):
            return self.parts[0]
        return None


@dataclass(frozen=True)
class LetBinding:
    """One `name = expr` of a `let` list."""

    name: str
    name_start: int
    name_end: int
    expr: Optional[Expr]
