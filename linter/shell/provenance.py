"""Where the text of an interpolation comes from: which parameter values reach it, through which `let`
bindings, task parameters and functions, and whether a `repr_*` call quotes them on the way.

`reaching(ctx, field, expr)` follows an expression (format-strings.md §D) back to the values that
the template does not fix itself: STRING and PATH job parameters (and their lists), the parameters of
an environment template (each job sets them), task parameters whose range holds such values, and the
job's name where a job sets it. A value of another type (INT, FLOAT, BOOL, a range) carries no text of
its own, and neither does what a function makes of text when its result is not text (`len`, a
comparison); the runtime's own values (`Session.*`, `Task.File.*`, `Env.File.*`) are trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from openjd_lint.expr import ast
from openjd_lint.expr import types as T
from openjd_lint.expr.let import parse_let_binding
from openjd_lint.expr.library import LIBRARY
from openjd_lint.model.fields import LET, RANGE, RANGE_ITEM, Field, format_string_fields
from openjd_lint.model.parts import is_literal, items, parameter_definitions, scalar, task_parameter_definitions, text
from openjd_lint.model.symbols import expr_enabled, let_name
from openjd_lint.shell.hooks import QUOTING_FUNCTIONS, carries_text, element_of

TEXT_PARAMETER_TYPES = frozenset({"STRING", "PATH", "LIST[STRING]", "LIST[PATH]"})
# Definitions followed through other definitions (a `let` naming a task parameter whose range names a
# `let` ...) deeper than this are not followed; `let`s are worked out in document order, so a valid
# template never comes close.
_MAX_DEPTH = 8


@dataclass(frozen=True)
class Origin:
    """A value the template does not fix. `values` is every value it can take when the template lists
    them (`allowedValues`, a literal task-parameter range), else None; `declared` the values the template
    itself supplies (a default, allowed values, range items); `submitted` is true when whoever submits
    the job chooses it."""

    symbol: str
    description: str
    definition: tuple
    values: Optional[tuple]
    declared: tuple
    submitted: bool


@dataclass(frozen=True)
class Reach:
    """An origin whose text reaches the interpolation, raw (`quoting` None) or through a `repr_*` call."""

    origin: Origin
    quoting: Optional[str] = None


def reaching(ctx, field: Field, expr: Optional[ast.Expr]) -> list:
    """The origins whose text reaches the value of `expr` (an interpolation of `field`), in the order the
    expression names them, each once."""
    if expr is None:
        return []
    walker = ctx.cache.get("shell.provenance")
    if walker is None:
        walker = ctx.cache["shell.provenance"] = _Walk(ctx)
    found = walker.walk(expr, field, {}, None, 0)
    unique: dict = {}
    for reach in found:
        unique.setdefault((reach.origin.symbol, reach.quoting), reach)
    return list(unique.values())


class _Walk:
    """One per template: what a `let` item, a parameter or a task parameter carries is worked out once."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.memo: dict = {}
        self.let_items: dict = {}
        self.lets_prepared = False

    def remembered(self, key, compute):
        if key not in self.memo:
            self.memo[key] = None  # a reference back to itself (a broken template) finds nothing
            self.memo[key] = compute()
        return self.memo[key]

    def walk(self, expr, field: Field, scope: dict, quoting: Optional[str], depth: int) -> list:
        if depth > _MAX_DEPTH:
            return []
        if isinstance(expr, ast.Name):
            return self.name(expr.parts, field, scope, quoting, depth)
        if isinstance(expr, ast.Call):
            if expr.function in QUOTING_FUNCTIONS:
                quoting = quoting or expr.function
            elif not _returns_text(expr.function):
                return []
            parts = ([expr.receiver] if expr.receiver is not None else []) + list(expr.args)
            return self.all(parts, field, scope, quoting, depth)
        if isinstance(expr, ast.ListComp):
            inner = dict(scope)
            inner[expr.variable] = self.walk(expr.iterable, field, scope, None, depth)
            return self.walk(expr.element, field, inner, quoting, depth)
        if isinstance(expr, ast.Conditional):
            return self.all([expr.body, expr.orelse], field, scope, quoting, depth)
        if isinstance(expr, ast.Binary):
            return self.all([expr.left, expr.right], field, scope, quoting, depth)
        if isinstance(expr, (ast.Index, ast.Slice, ast.Attribute)):
            return self.walk(expr.value, field, scope, quoting, depth)
        if isinstance(expr, ast.ListDisplay):
            return self.all(expr.items, field, scope, quoting, depth)
        return []  # literals, comparisons, `not` and signs carry no parameter text

    def all(self, exprs, field: Field, scope: dict, quoting: Optional[str], depth: int) -> list:
        found: list = []
        for expr in exprs:
            found.extend(self.walk(expr, field, scope, quoting, depth))
        return found

    def name(self, parts: tuple, field: Field, scope: dict, quoting: Optional[str], depth: int) -> list:
        if parts[0] in scope:
            return [replace(r, quoting=r.quoting or quoting) for r in scope[parts[0]]]
        if len(parts) >= 2 and parts[0] in ("Param", "RawParam"):
            symbol = f"{parts[0]}.{parts[1]}"
            origin = self.remembered(symbol, lambda: _job_parameter(self.ctx, parts[1], symbol))
        elif len(parts) >= 3 and parts[:2] in (("Task", "Param"), ("Task", "RawParam")):
            symbol = ".".join(parts[:3])
            origin = self.remembered((field.step, field.environment, symbol),
                                     lambda: self.task_parameter(field, parts[2], symbol, depth))
        elif parts[:2] == ("Job", "Name") and expr_enabled(self.ctx):
            origin = self.remembered("Job.Name", lambda: self.job_name(depth))
        else:
            self.prepare_lets()
            item = self.let_item(field, parts[0])
            if item is None:
                return []
            path, let_field, expr = item
            carried = self.remembered(path, lambda: self.walk(expr, let_field, {}, None, depth + 1)) or []
            return [replace(r, quoting=r.quoting or quoting) for r in carried]
        return [Reach(origin, quoting)] if origin is not None else []

    def prepare_lets(self) -> None:
        """Work out every `let` item in document order: an item only names earlier ones (or outer
        blocks, which come first), so each is found in the memo and chains cost no recursion."""
        if self.lets_prepared:
            return
        self.lets_prepared = True
        for field in format_string_fields(self.ctx):
            if field.is_let and field.path not in self.let_items:
                parsed = self.let_items[field.path] = _parsed_let(field)
                if parsed[2] is not None:
                    self.remembered(field.path, lambda: self.walk(parsed[2], field, {}, None, 1))

    def let_item(self, field: Field, name: str) -> Optional[tuple]:
        """(path, field, expression) of the `let` item binding `name` that `field` sees."""
        blocks = [(block, None) for block in field.lets]
        if field.let_block is not None:
            blocks.append((field.let_block, field.let_index))
        for block, before in reversed(blocks):
            for item in block.items:
                if before is not None and item.index >= before:
                    break
                parsed = self.let_items.get(item.path)
                if parsed is not None and parsed[0] == name and parsed[2] is not None:
                    return item.path, parsed[1], parsed[2]
        return None

    def task_parameter(self, field: Field, name: str, symbol: str, depth: int) -> Optional[Origin]:
        if field.step is None or field.environment is not None:
            return None
        steps = self.ctx.root.get("steps")
        step = steps.items[field.step] if field.step < len(getattr(steps, "items", ())) else None
        for path, definition in task_parameter_definitions(step, ("steps", field.step)) if step else ():
            if text(definition, "name") != name:
                continue
            if (text(definition, "type") or "").upper() not in ("STRING", "PATH"):
                return None
            literals, inner = [], []
            for range_field in _range_fields(self.ctx, path):
                for hole in element_of(self.ctx, range_field).holes:
                    inner.extend(r for r in self.walk(hole.interpolation.expr, range_field, {}, None, depth + 1)
                                 if r.quoting is None)
            for _, item in items(definition.get("range")):
                value = getattr(item, "value", None)
                if value is not None and is_literal(value):
                    literals.append(str(value))
            if inner:
                sources = ", ".join(f"`{r.origin.symbol}`" for r in inner)
                return Origin(symbol, f"task parameter `{name}`, whose range holds {sources}", path, None,
                              tuple(literals), any(r.origin.submitted for r in inner))
            if not literals:
                return None
            return Origin(symbol, f"task parameter `{name}`", path, tuple(literals), tuple(literals), False)
        return None

    def job_name(self, depth: int) -> Optional[Origin]:
        if not self.ctx.is_job:
            return Origin("Job.Name", "the job's name", (), None, (), True)
        name_field = next((f for f in format_string_fields(self.ctx) if f.path == ("name",)), None)
        if name_field is None:
            return None
        inner = [r for hole in element_of(self.ctx, name_field).holes
                 for r in self.walk(hole.interpolation.expr, name_field, {}, None, depth + 1) if r.quoting is None]
        if not inner:
            return None
        sources = ", ".join(f"`{r.origin.symbol}`" for r in inner)
        return Origin("Job.Name", f"the job's name, which holds {sources}", ("name",), None, (),
                      any(r.origin.submitted for r in inner))


def _job_parameter(ctx, name: str, symbol: str) -> Optional[Origin]:
    for path, definition in parameter_definitions(ctx):
        if text(definition, "name") != name:
            continue
        kind = (text(definition, "type") or "").upper()
        if kind not in TEXT_PARAMETER_TYPES:
            return None
        allowed = [getattr(item, "value", None) for _, item in items(definition.get("allowedValues"))]
        values = tuple(str(v) for v in allowed if v is not None) if allowed and not kind.startswith("LIST") else None
        default = scalar(definition, "default")
        declared = (values or ()) + ((str(default),) if default is not None and not kind.startswith("LIST") else ())
        if ctx.is_job:
            description = f"a {kind} job parameter"
        else:
            description = f"a {kind} parameter of this environment"
        return Origin(symbol, description, path, values, declared, True)
    return None


def _range_fields(ctx, definition_path: tuple) -> list:
    return [f for f in format_string_fields(ctx)
            if f.role in (RANGE, RANGE_ITEM) and f.path[:len(definition_path)] == definition_path]


def _parsed_let(field: Field) -> tuple:
    """(name, field, expression) of a `let` item; no expression when it does not parse."""
    binding = parse_let_binding(field.value)[0]
    return let_name(field.value), field, (binding.expr if binding is not None else None)


def _returns_text(function: str) -> bool:
    """Some overload of the library function can return text (an unknown function counts as one)."""
    overloads = LIBRARY.get(function)
    if not overloads:
        return True
    return any(not isinstance(o.result, T.Type) or carries_text(o.result) for o in overloads)
