"""The X family: what is wrong inside format strings and `let` bindings.

One analysis pass per template (`analyse`) parses every distinct string once, builds each field's
symbol table (`openjd_lint.model.symbols`), type-checks the expressions in document order (so
`let` types flow to the fields that use them) and files every finding under its rule; each rule's
`check` only picks its own findings from that pass.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Optional

from openjd_lint.context import per_template
from openjd_lint.expr import ast
from openjd_lint.expr.check import check_expression
from openjd_lint.expr.format_string import BRACES as BRACES_ERROR, EMPTY as EMPTY_ERROR, NEEDS_EXPR, parse_format_string
from openjd_lint.expr.let import parse_let_binding
from openjd_lint.expr.types import ANY, parse_type
from openjd_lint.expr.evaluate import CALLABLE_NAMES, FAMILIAR_FUNCTIONS
from openjd_lint.findings import Fix, Severity
from openjd_lint.fixes import one_close_match, replace_in_scalar
from openjd_lint.model import wrap_names
from openjd_lint.model.fields import TEMPLATE, Field, format_string_fields, let_blocks
from openjd_lint.model.symbols import expr_enabled, symbol_definitions, visible_symbols
from openjd_lint.rule_api import Rule, share_of



_picks = share_of(lambda ctx: analyse(ctx))  # analyse is defined below the rules


_GOOD = """\
specificationVersion: jobtemplate-2023-09
extensions: [EXPR]
name: Render
parameterDefinitions:
- name: Frames
  type: INT
  default: 10
steps:
- name: Frame
  script:
    actions:
      onRun:
        command: render
        args: ["--frames", "{{Param.Frames}}"]
"""
_ARG = '"{{Param.Frames}}"'
_GOOD_BASE = _GOOD.replace("extensions: [EXPR]\n", "")
_GOOD_PATH = _GOOD.replace("name: Render\n", 'name: "Render {{RawParam.Out}}"\n').replace(
    "parameterDefinitions:\n", "parameterDefinitions:\n- name: Out\n  type: PATH\n")
_GOOD_FB1 = _GOOD.replace("[EXPR]", "[EXPR, FEATURE_BUNDLE_1]").replace(
    "        command: render\n", '        command: render\n        timeout: "{{Param.Frames * 60}}"\n')
_GOOD_LET = _GOOD.replace("- name: Frame\n", "- name: Frame\n  let:\n  - first = 1\n  - last = Param.Frames\n").replace(
    _ARG, '"{{first}}-{{last}}"')

BRACES = Rule(
    "X001", "format-string-braces", Severity.ERROR,
    "A format string has unbalanced `{{` / `}}` or an empty interpolation.",
    "Format strings are scanned left to right: every `{{` needs a later `}}`, a `}}` needs an earlier `{{`, and "
    "the text between them must not be empty. There is no escape for a literal `{{` or `}}`; with EXPR write "
    "`{{ '{{' }}` instead.",
    bad=_GOOD.replace(_ARG, '"{{Param.Frames"'),
    good=_GOOD,
    check=_picks("X001"),
)

SYNTAX = Rule(
    "X002", "expression-syntax", Severity.ERROR,
    "An interpolation or `let` expression does not parse.",
    "The expression language is a subset of Python expressions (format-strings.md §B). Constructs it rejects "
    "on purpose (bitwise operators, `is`, lambdas, dict literals, f-strings, keyword arguments ...) are named "
    "in the message.",
    bad=_GOOD.replace(_ARG, '"{{Param.Frames +}}"'),
    good=_GOOD,
    check=_picks("X002"),
)

REQUIRES_EXPR = Rule(
    "X003", "requires-expr", Severity.ERROR,
    "A format string uses the expression language, but the template does not declare EXPR.",
    "Without the EXPR extension an interpolation may only hold a plain symbol name such as `{{Param.Frames}}`: "
    "operators, literals, calls, property access and the symbols `Job.Name`, `Step.Name` and `let` names need "
    "`extensions: [EXPR]`.",
    bad=_GOOD_BASE.replace(_ARG, '"{{Param.Frames + 1}}"'),
    good=_GOOD_BASE,
    check=_picks("X003"),
)

UNDEFINED_NAME = Rule(
    "X004", "undefined-name", Severity.ERROR,
    "An interpolation references a name that the template never defines.",
    "Symbols are `Param.<name>`, `RawParam.<name>`, `Task.Param.<name>`, `Task.File.<name>`, `Env.File.<name>`, "
    "`Session.*`, `Job.Name`, `Step.Name`, `let` names and, in wrap hooks, `Wrapped*`. The finding suggests the "
    "closest defined name.",
    bad=_GOOD.replace(_ARG, '"{{Param.Frame}}"'),
    good=_GOOD,
    check=_picks("X004"),
)

OUT_OF_SCOPE = Rule(
    "X005", "name-not-visible", Severity.ERROR,
    "A name is defined, but not visible in this field.",
    "Fields resolved when the job is created (job name, host requirements, ranges, timeouts) cannot see values "
    "that only exist on the worker (`Session.*`, `Param.<PATH>`, embedded files, script `let`s); task "
    "parameters exist only in their step's script; `Job.Name` is not available in the job name itself. The "
    "message says where the name is visible.",
    bad=_GOOD_PATH.replace("RawParam.Out", "Param.Out"),
    good=_GOOD_PATH,
    check=_picks("X005"),
)

TYPE_ERROR = Rule(
    "X006", "expression-type", Severity.ERROR,
    "An expression applies an operator, function or property to values of the wrong type.",
    "Expressions are type-checked with every parameter bound to its declared type: `Param.Frames + 'x'` adds "
    "an int to a string, `Param.Out.upper()` calls a string method on a path, a condition must be a bool.",
    bad=_GOOD.replace(_ARG, "\"{{Param.Frames + 'x'}}\""),
    good=_GOOD,
    check=_picks("X006"),
)

CONSTANT_ERROR = Rule(
    "X007", "constant-expression-error", Severity.ERROR,
    "A part of an expression that does not depend on any input always fails.",
    "Division by zero, integer overflow, `fail()`, `null` in a list, `min([])`, an invalid regular expression "
    "or range expression literal: the linter evaluates constant sub-expressions and reports the failure that "
    "every job would hit.",
    bad=_GOOD.replace(_ARG, '"{{Param.Frames + 1 // 0}}"'),
    good=_GOOD,
    check=_picks("X007"),
)

HOST_ONLY = Rule(
    "X008", "host-only-function", Severity.ERROR,
    "A function that only works on the worker is used in a field resolved when the job is created.",
    "`apply_path_mapping` needs the session's path-mapping rules, which exist only while a task runs. The job "
    "name, host requirements, parameter ranges, step `let`s and timeouts are resolved before that.",
    bad=_GOOD.replace("name: Render\n", "name: \"{{apply_path_mapping('/mnt/render')}}\"\n"),
    good=_GOOD.replace(_ARG, "\"{{apply_path_mapping('/mnt/render')}}\""),
    check=_picks("X008"),
)

FIELD_TYPE = Rule(
    "X009", "field-type-mismatch", Severity.ERROR,
    "A whole-field expression can never produce a value the field accepts.",
    "When a format string is exactly one `{{expr}}`, its typed value fills the field: a `timeout` needs an "
    "int (or null to omit it), a `command` a string, an `args` item a string, a list of strings or null. "
    "A result such as `'soon'` in a timeout or `null` in a command fails every job.",
    bad=_GOOD_FB1.replace("{{Param.Frames * 60}}", "{{'soon'}}"),
    good=_GOOD_FB1,
    check=_picks("X009"),
)

LET_SYNTAX = Rule(
    "X010", "let-syntax", Severity.ERROR,
    "A `let` item is not of the form `name = expression`.",
    "The name starts with a lower-case letter or `_` and holds only ASCII letters, digits and `_` (at most 512 "
    "characters); no type annotation is allowed; the expression follows the first `=`.",
    bad=_GOOD_LET.replace("- first = 1", "- 'first: int = 1'"),
    good=_GOOD_LET,
    check=_picks("X010"),
)

LET_DUPLICATE = Rule(
    "X011", "let-duplicate", Severity.ERROR,
    "A `let` block binds the same name twice.",
    "Each name in one `let` list must be unique; rename one of them.",
    bad=_GOOD_LET.replace("last = Param.Frames", "first = Param.Frames"),
    good=_GOOD_LET,
    check=_picks("X011"),
)

LET_SHADOWING = Rule(
    "X012", "let-shadowing", Severity.ERROR,
    "A `let` name hides a name that is already visible (an outer `let`).",
    "A script-level or environment-level `let` may not reuse a name bound by the enclosing step's `let`.",
    bad=_GOOD_LET.replace("  script:\n", "  script:\n    let:\n    - first = 2\n"),
    good=_GOOD_LET,
    check=_picks("X012"),
)

LET_ORDER = Rule(
    "X013", "let-reference-order", Severity.ERROR,
    "A `let` binding references itself or a binding that comes after it.",
    "Bindings are evaluated in order, each seeing only the ones before it; reorder the list.",
    bad=_GOOD_LET.replace("first = 1\n  - last = Param.Frames", "first = last - 9\n  - last = Param.Frames"),
    good=_GOOD_LET,
    check=_picks("X013"),
)

COMPREHENSION_SHADOWING = Rule(
    "X014", "comprehension-shadowing", Severity.ERROR,
    "A list comprehension's loop variable hides a visible name.",
    "The variable of `[... for v in ...]` may not reuse a `let` name or an enclosing comprehension's variable.",
    bad=_GOOD_LET.replace('"{{first}}-{{last}}"', '"{{[first * 2 for first in [1, 2]]}}"'),
    good=_GOOD_LET.replace('"{{first}}-{{last}}"', '"{{[n * 2 for n in [first, last]]}}"'),
    check=_picks("X014"),
)

PADDED_WHOLE_FIELD = Rule(
    "X015", "padded-whole-field", Severity.WARNING,
    "Whitespace around a lone `{{expr}}` in a typed field makes its meaning implementation-defined.",
    "A format string that is exactly `{{expr}}` passes the typed value to the field (an int timeout, a list "
    "spliced into `args`, null to omit the item). With whitespace around it the Rust implementation treats the "
    "value as text while the Python model strips the whitespace first, so schedulers disagree.",
    bad=_GOOD.replace(_ARG, '" {{Param.Frames}}"'),
    good=_GOOD,
    check=_picks("X015"),
)

TOO_COSTLY = Rule(
    "X016", "expression-too-costly", Severity.WARNING,
    "An expression needs more work to evaluate than the linter spends on a file, so it is not checked.",
    "The linter evaluates constant sub-expressions to find the errors every job would hit, within about a "
    "second and a few hundred megabytes per file, whatever the template (the spec's own limits, 10 million "
    "operations and 100 MB, are reported by X007). An expression that iterates or builds millions of values "
    "from constants is left unchecked; it also costs the scheduler that time when the job is created.",
    bad=_GOOD.replace(_ARG, '"{{len(sorted(range(2000000)))}}"'),
    good=_GOOD.replace(_ARG, '"{{len(sorted(range(Param.Frames)))}}"'),
    check=_picks("X016"),
)

RULES = [BRACES, SYNTAX, REQUIRES_EXPR, UNDEFINED_NAME, OUT_OF_SCOPE, TYPE_ERROR, CONSTANT_ERROR, HOST_ONLY,
         FIELD_TYPE, LET_SYNTAX, LET_DUPLICATE, LET_SHADOWING, LET_ORDER, COMPREHENSION_SHADOWING, PADDED_WHOLE_FIELD,
         TOO_COSTLY]


def analyse(ctx) -> list:
    """Every X-family finding of the template (computed once per template)."""
    return _analysis(ctx).findings


def let_types(ctx) -> dict:
    """`let` item path -> (name, Type) of every binding later fields see: what the X rules type each
    binding as (a malformed or repeated name binds nothing, a right-hand side with errors is `any`).
    The language server's hover and completion read the same, so they cannot disagree with the rules."""
    return _analysis(ctx).let_bindings


@per_template
def _analysis(ctx) -> "_Analysis":
    return _Analysis(ctx).run()


@lru_cache(maxsize=8192)
def _parsed_format_string(value: str, expr: bool) -> tuple:
    return parse_format_string(value, expr)


@lru_cache(maxsize=8192)
def _parsed_let(text: str) -> tuple:
    return parse_let_binding(text)


class _Analysis:
    def __init__(self, ctx):
        self.ctx = ctx
        self.expr = expr_enabled(ctx)
        self.let_bindings: dict = {}  # let item path -> (name, Type)
        self.findings: list = []

    def run(self) -> "_Analysis":
        for field in format_string_fields(self.ctx):
            if not field.is_let:
                self._format_string(field)
            elif self.expr:
                self._let(field)
        return self

    def report(self, rule: Rule, message: str, field: Field, start: int, end: int, hint: Optional[str] = None,
               fix: Optional[Fix] = None):
        self.findings.append(rule.finding(message, field.path, chars=(start, end), hint=hint, fix=fix))

    def _too_costly(self, field: Field, error) -> None:
        """Once per file: after the allowance has run out, later costly expressions fail the same way."""
        if not any(finding.rule == TOO_COSTLY.id for finding in self.findings):
            self.report(TOO_COSTLY, error.message, field, error.start, error.end)

    # --- format strings ---------------------------------------------------------------------

    def _format_string(self, field: Field) -> None:
        value = field.value
        if "{{" not in value and "}}" not in value:
            return
        parsed, errors = _parsed_format_string(value, self.expr)
        for error in errors:
            self._syntax_error(field, error)
        whole = parsed.whole_field
        if self.expr and field.target not in (None, "string"):
            self._padding(field, parsed)
        symbols = None
        for interpolation in parsed.interpolations:
            if interpolation.expr is None:
                continue
            if symbols is None:
                symbols = visible_symbols(self.ctx, field, self.let_bindings)
            if not self.expr:
                self._base_reference(field, interpolation.expr, symbols)
                continue
            result = self._expression(field, interpolation.expr, symbols)
            if interpolation is whole and field.target is not None and result is not None:
                self._field_fit(field, interpolation.expr, symbols)

    def _padding(self, field: Field, parsed) -> None:
        texts = [part for part in parsed.parts if isinstance(part, str)]
        lone = [part for part in parsed.parts if not isinstance(part, str)]
        if len(lone) == 1 and texts and all(not text.strip() for text in texts):
            self.report(PADDED_WHOLE_FIELD, "whitespace around this interpolation decides whether the field gets "
                                            "its typed value or text", field, lone[0].start, lone[0].end,
                        hint="remove the whitespace around `{{...}}`")

    def _field_fit(self, field: Field, expr, symbols: dict) -> None:
        """A whole-field value must fit the field (checked only once the expression itself is sound)."""
        fitted = check_expression(expr, symbols, host_scope=field.scope != TEMPLATE, target=_type(field.target))
        for error in fitted.errors:
            if error.kind == "work":
                self._too_costly(field, error)
            else:
                self.report(FIELD_TYPE, f"{error.message}: this field needs {field.target}", field, error.start, error.end)

    def _syntax_error(self, field: Field, error) -> None:
        if error.kind in (BRACES_ERROR, EMPTY_ERROR):
            self.report(BRACES, error.message, field, error.start, error.end)
        elif error.kind == NEEDS_EXPR:
            self.report(REQUIRES_EXPR, error.message, field, error.start, error.end,
                        hint="add EXPR to the template's `extensions`")
        else:
            self.report(SYNTAX, error.message, field, error.start, error.end)

    def _base_reference(self, field: Field, expr, symbols: dict) -> None:
        """Without EXPR an interpolation is a plain name that must be exactly a visible symbol."""
        if not isinstance(expr, ast.Name) or expr.dotted in symbols:
            return
        parts = expr.parts
        visible_prefix = next((".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)
                               if ".".join(parts[:n]) in symbols), None)
        if visible_prefix is not None:
            self.report(REQUIRES_EXPR, f"`{expr.dotted}` accesses a property of `{visible_prefix}`, which needs EXPR",
                        field, expr.start, expr.end, hint="add EXPR to the template's `extensions`")
        elif expr.dotted in ("Job.Name", "Step.Name"):
            self.report(REQUIRES_EXPR, f"`{expr.dotted}` exists only with EXPR", field, expr.start, expr.end,
                        hint="add EXPR to the template's `extensions`")
        else:
            self._unknown_name(field, expr.dotted, expr.start, expr.end, symbols)

    def _expression(self, field: Field, expr, symbols: dict, own_let: Optional[tuple] = None):
        """Check one expression; returns its type (None when it has errors)."""
        result = check_expression(expr, symbols, host_scope=field.scope != TEMPLATE)
        names = None
        for error in result.errors:
            span = (error.start, error.end)
            if error.kind == "type" and span in _comprehension_variables(expr):
                self.report(COMPREHENSION_SHADOWING, error.message, field, *span, hint="choose another variable name")
            elif error.kind == "unknown-name":
                names = _names_by_span(expr) if names is None else names
                name = names.get((error.start, error.end))
                if name is None:  # an unknown function
                    self.report(UNDEFINED_NAME, error.message, field, error.start, error.end,
                                fix=_function_fix(self.ctx.source, field, error.start, error.end))
                elif own_let is None or not self._let_order(field, name, error, own_let):
                    self._unknown_name(field, name, error.start, error.end, symbols)
            elif error.kind == "scope":
                self.report(HOST_ONLY, error.message, field, error.start, error.end,
                            hint="map paths in a field resolved on the worker: a command, args, embedded file, "
                                 "environment variable or script-level `let`")
            elif error.kind == "constant":
                self.report(CONSTANT_ERROR, error.message, field, error.start, error.end)
            elif error.kind == "work":
                self._too_costly(field, error)
            else:
                self.report(TYPE_ERROR, error.message, field, error.start, error.end)
        return None if result.errors else result.type

    def _unknown_name(self, field: Field, name: str, start: int, end: int, symbols: dict) -> None:
        definitions = symbol_definitions(self.ctx)
        parts = name.split(".")
        defined = next((".".join(parts[:n]) for n in range(len(parts), 0, -1)
                        if ".".join(parts[:n]) in definitions), None)
        if defined is not None:
            self.report(OUT_OF_SCOPE, f"`{defined}` is not visible here; it is visible {definitions[defined]}",
                        field, start, end, hint=_scope_hint(defined, symbols))
            return
        hint = self._name_hint(name, symbols)
        namespace = name.split(".")[0] + "."
        obvious = one_close_match(name, [s for s in symbols if s.startswith(namespace)] or symbols)
        fix = _rename(self.ctx.source, field, start, end, obvious) if obvious and hint == f"did you mean `{obvious}`?" else None
        self.report(UNDEFINED_NAME, f"`{name}` is not defined", field, start, end, hint=hint, fix=fix)

    def _name_hint(self, name: str, symbols: dict) -> Optional[str]:
        spelling = wrap_names.name_hint(self.ctx.extensions, name)
        if spelling is not None:
            return spelling
        if not self.expr and name in self._let_names():
            return "`let` bindings need EXPR in the template's `extensions`"
        suggestion = _closest(name, symbols)
        if suggestion is not None:
            return f"did you mean `{suggestion}`?"
        if name.startswith(("WrappedAction.", "WrappedEnv.", "WrappedStep.")):
            return "`Wrapped*` names exist only in the wrap hooks of an environment that declares WRAP_ACTIONS"
        if name == "Step.Name":
            return "`Step.Name` exists only inside a step of a job template"
        return None

    # --- let bindings -----------------------------------------------------------------------

    def _let(self, field: Field) -> None:
        binding, errors = _parsed_let(field.value)
        equals = field.value.find("=")
        for error in errors:
            rule = SYNTAX if equals != -1 and error.start > equals else LET_SYNTAX
            self.report(rule, error.message, field, error.start, error.end)
        if binding is None:
            return
        well_named = not any(error.start < equals for error in errors)
        block = field.let_block
        symbols = visible_symbols(self.ctx, field, self.let_bindings)
        chars = (binding.name_start, binding.name_end)
        duplicate = well_named and any(
            _let_name_of(item) == binding.name for item in block.items if item.index < field.let_index)
        if duplicate:
            self.report(LET_DUPLICATE, f"`{binding.name}` is already bound earlier in this `let` block", field, *chars)
        elif well_named and binding.name in symbols:
            self.report(LET_SHADOWING, f"`{binding.name}` hides a name that is already visible here", field, *chars,
                        hint="choose another name")
        if binding.expr is None:
            return
        result = self._expression(field, binding.expr, symbols, own_let=(binding.name, block, field.let_index))
        if well_named and not duplicate:
            self.let_bindings[field.path] = (binding.name, result if result is not None else ANY)

    def _let_order(self, field: Field, name: str, error, own_let: tuple) -> bool:
        own_name, block, index = own_let
        if name == own_name:
            self.report(LET_ORDER, f"the binding of `{own_name}` cannot reference itself", field,
                        error.start, error.end)
            return True
        if any(_let_name_of(item) == name for item in block.items if item.index > index):
            self.report(LET_ORDER, f"`{name}` is bound later in this `let` block", field, error.start, error.end,
                        hint="move its binding above this one")
            return True
        return False

    def _let_names(self) -> set:
        return {_let_name_of(item) for block in let_blocks(self.ctx) for item in block.items}


def _comprehension_variables(expr) -> set:
    """(start, end) of every comprehension variable in `expr`."""
    spans, stack = set(), [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ListComp):
            spans.add((node.variable_start, node.variable_end))
        stack.extend(_children(node))
    return spans


def _names_by_span(expr) -> dict:
    """(start, end) -> dotted text of every name reference in `expr`."""
    names, stack = {}, [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            names[(node.start, node.end)] = node.dotted
        stack.extend(_children(node))
    return names


def _children(expr) -> Iterator:
    for name in getattr(expr, "__dataclass_fields__", ()):
        value = getattr(expr, name)
        if isinstance(value, ast.Expr):
            yield value
        elif isinstance(value, tuple):
            yield from (item for item in value if isinstance(item, ast.Expr))


def _let_name_of(item) -> Optional[str]:
    binding, _ = _parsed_let(item.node.value)
    return binding.name if binding is not None else None


def _scope_hint(name: str, symbols: dict) -> Optional[str]:
    if name.startswith("Param.") and f"Raw{name}" in symbols:
        return f"use `Raw{name}` for the unmapped path"
    return None


def _function_fix(source, field: Field, start: int, end: int) -> Optional[Fix]:
    """Call the function an unknown one obviously means: a familiar name from another language
    (`length` -> `len`) or the only library function spelled closely (`uper` -> `upper`)."""
    name = field.value[start:end]
    intended = FAMILIAR_FUNCTIONS.get(name.lower()) or one_close_match(name, CALLABLE_NAMES)
    return _rename(source, field, start, end, intended) if intended else None


def _rename(source, field: Field, start: int, end: int, name: str) -> Optional[Fix]:
    """A safe fix that writes `name` over characters [start, end) of the field: the name was undefined,
    so no working template changes meaning."""
    edit = replace_in_scalar(source, field.node, start, end, name)
    return Fix(f"use `{name}`", (edit,), safe=True) if edit else None


def _closest(name: str, symbols: dict) -> Optional[str]:
    best, best_distance = None, 5
    for candidate in sorted(symbols):
        distance = _edit_distance(name, candidate, best_distance)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def _edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) >= limit:
            return limit
        previous = current
    return previous[-1]


@lru_cache(maxsize=None)
def _type(text: str):
    return parse_type(text)
