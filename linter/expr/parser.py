"""Parse one EXPR expression (format-strings.md §B) into the AST of `openjd_lint.expr.ast`.

`parse_expression` returns the tree or raises `ExprSyntaxError` with the exact offending columns;
no other exception escapes, whatever the input. Plain references and plain calls (most of what real
templates write) are parsed by two fast paths, so a run that meets nothing else never imports Lark.
The Lark parser is built once per process (its tables cached on disk by Lark) and drives the
`_Builder` callbacks directly while it parses, so no intermediate parse tree exists and nesting depth
costs no Python recursion.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path
from typing import Optional

from openjd_lint.expr.ast import (
    Attribute, Binary, Call, Compare, Conditional, Expr, Index, ListComp, ListDisplay, Literal, Name,
    Slice, Unary,
)
from openjd_lint.load.numerals import abbreviated, to_int

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# Deeper trees would exhaust the recursion of every later stage (types, evaluation).
MAX_EXPR_DEPTH = 100

LOOP_VARIABLE = re.compile(r"[a-z_][A-Za-z0-9_]*")

_GRAMMAR = Path(__file__).with_name("grammar.lark")

RESERVED_WORDS = frozenset((
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
    "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
    "or", "pass", "raise", "return", "try", "while", "with", "yield",
))
_CONSTANTS = {"True": True, "true": True, "False": False, "false": False, "None": None, "null": None}

_DIGITS = r"[0-9](?:_?[0-9])*"
_EXPONENT = rf"[eE][+-]?{_DIGITS}"
_FLOAT = re.compile(rf"(?:(?:{_DIGITS})?\.{_DIGITS}|{_DIGITS}\.)(?:{_EXPONENT})?|{_DIGITS}{_EXPONENT}")
_DECIMAL = re.compile(r"[1-9](?:_?[0-9])*|0(?:_?0)*")
_PREFIXED = {
    "x": (re.compile(r"0[xX](?:_?[0-9a-fA-F])+"), 16, "hexadecimal"),
    "o": (re.compile(r"0[oO](?:_?[0-7])+"), 8, "octal"),
    "b": (re.compile(r"0[bB](?:_?[01])+"), 2, "binary"),
}
_STRING_ESCAPE = re.compile(r"\\(N\{[^}\n]*\}?|x[0-9a-fA-F]{0,2}|u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|[0-7]{1,3}|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {
    "\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "a": "\a", "b": "\b", "f": "\f",
    "v": "\v", "\n": "", "\r\n": "", "\r": "",
}
_BITWISE = {"&": "Bitwise AND (&)", "|": "Bitwise OR (|)", "^": "Bitwise XOR (^)", "<<": "Left shift (<<)",
            ">>": "Right shift (>>)"}
_DOTTED_NAME = re.compile(r"\s*([^\W\d]\w*(?:\.[^\W\d]\w*)*)\s*")
_DUNDER = re.compile(r"__\w+__")
_LINE_END = re.compile(r"[\r\n]|$")
# Where an unterminated string starts: prefix letters and a triple quote belong to it.
_UNTERMINATED_OPENING = re.compile(r"""(?<![\w'"])[rRbBfFuU]{0,2}(?:('{3}|"{3})|['"])$""")
_TOKEN_NAMES = {"$END": "the end of the expression"}


class ExprSyntaxError(Exception):
    """A syntax error at character offsets [start, end) of the decoded format-string value."""

    def __init__(self, message: str, start: int, end: int):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = max(end, start)

    def __repr__(self) -> str:
        return f"ExprSyntaxError({self.message!r}, {self.start}, {self.end})"


def parse_expression(text: str, offset: int = 0) -> Expr:
    """Parse `text`; node offsets are relative to its start plus `offset`."""
    if not text.strip():
        raise ExprSyntaxError("Empty expression", offset, offset + len(text))
    simple = _dotted_reference(text, offset) or _plain_calls(text, offset)
    if simple is not None:
        return simple
    return _parse_with_lark(text, offset)


def _parse_with_lark(text: str, offset: int) -> Expr:
    with _LOCK:
        builder = _BUILDER
        builder.begin(text, offset)
        try:
            tree = _parser().parse(text)
        except ExprSyntaxError:
            raise
        except RecursionError:
            raise ExprSyntaxError(f"the expression is nested more than {MAX_EXPR_DEPTH} levels deep",
                                  offset, offset + len(text)) from None
        except Exception as error:  # Lark's UnexpectedInput family and anything unforeseen
            raise _describe_lark_error(error, text, offset) from None
        finally:
            pending, builder.text = builder.pending_int64_min, ""
        if pending:
            raise _int_out_of_range(pending[0])
        return tree


def _dotted_reference(text: str, offset: int) -> Optional[Name]:
    """Fast path for the common case, a plain `Param.Name` value reference (no Lark)."""
    match = _DOTTED_NAME.fullmatch(text)
    if match is None:
        return None
    parts = tuple(match.group(1).split("."))
    if parts[0] in _CONSTANTS or parts[0] in RESERVED_WORDS:
        return None
    return Name(offset + match.start(1), offset + match.end(1), parts)


_CALL_OPENING = re.compile(r"\s*([^\W\d]\w*)\s*\(")
_CALL_CLOSING = re.compile(r"\s*\)")
_MAX_PLAIN_CALLS = 8


def _plain_calls(text: str, offset: int) -> Optional[Call]:
    """Fast path for the next most common case, calls of plain function names around one value
    reference or none: `repr_sh(Param.Name)`, `repr_sh(path(Param.Scene))`, `f()`. Anything else, or
    anything Lark would reject, goes to Lark, which builds the same tree for these."""
    functions = []
    position = 0
    while len(functions) <= _MAX_PLAIN_CALLS:
        opening = _CALL_OPENING.match(text, position)
        if opening is None:
            break
        function = opening.group(1)
        if function in _CONSTANTS or function in RESERVED_WORDS or _DUNDER.fullmatch(function):
            return None
        functions.append(opening.span(1))
        position = opening.end()
    if not functions or len(functions) > _MAX_PLAIN_CALLS:
        return None
    argument: Optional[Expr] = None
    reference = _DOTTED_NAME.match(text, position)
    if reference is not None:
        parts = tuple(reference.group(1).split("."))
        if parts[0] in _CONSTANTS or parts[0] in RESERVED_WORDS:
            return None
        argument = Name(offset + reference.start(1), offset + reference.end(1), parts)
        position = reference.end()
    for start, end in reversed(functions):
        closing = _CALL_CLOSING.match(text, position)
        if closing is None:
            return None
        position = closing.end()
        args = () if argument is None else (argument,)
        argument = Call(offset + start, offset + position, text[start:end], offset + start, offset + end, args)
    if text[position:].strip():
        return None
    return argument


_LOCK = threading.Lock()
_LARK = None


def _parser():
    global _LARK
    if _LARK is None:
        from lark import Lark

        _LARK = Lark(_GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                     keep_all_tokens=True, maybe_placeholders=True, transformer=_BUILDER, cache=True,
                     lexer_callbacks=_BUILDER.lexer_callbacks())
    return _LARK


def _describe_lark_error(error: Exception, text: str, offset: int) -> ExprSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream
        char = text[position]
        if char in "'\"":
            opening = _UNTERMINATED_OPENING.search(text, 0, position + 1)
            start = opening.start() if opening else position
            end = len(text) if opening and opening.group(1) else _LINE_END.search(text, position).start()
            return ExprSyntaxError("unterminated string literal", offset + start, offset + end)
        if char == "\\":
            message = "a backslash is only allowed inside a string literal (expressions may span lines without it)"
        elif char == ";":
            message = "statements are not supported: an interpolation holds a single expression"
        else:
            message = f"invalid character {char!r}"
        return ExprSyntaxError(message, offset + position, offset + position + 1)
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            last = re.search(r"(\w+|\S)\s*$", text)
            start, end = (last.start(1), last.end(1)) if last else (0, len(text))
            return ExprSyntaxError(f"the expression is incomplete after {text[start:end]!r}",
                                   offset + start, offset + end)
        start, end = token.start_pos, token.end_pos
        if token.type == "EQUAL":
            message = "assignment is not supported; use '==' to compare"
        elif token.type in ("NAME", "NUMBER", "STRING") and _expects_operator(error.expected):
            message = f"unexpected {_describe_token(token)}: an operator or ',' is missing before it"
        else:
            message = f"unexpected {_describe_token(token)}"
        return ExprSyntaxError(message, offset + start, offset + end)
    return ExprSyntaxError(f"invalid expression ({type(error).__name__})", offset, offset + len(text))


def _expects_operator(expected) -> bool:
    return bool(expected) and "NAME" not in expected and "NUMBER" not in expected


def _describe_token(token) -> str:
    if token.type == "NAME":
        return f"name {str(token)!r}"
    if token.type == "NUMBER":
        return f"number {str(token)!r}"
    if token.type == "STRING":
        return "string literal"
    return _TOKEN_NAMES.get(token.type, repr(str(token)))


def _int_out_of_range(literal: Literal) -> ExprSyntaxError:
    return ExprSyntaxError(f"integer literal {abbreviated(literal.text)} is outside the int64 range "
                           f"({INT64_MIN} .. {INT64_MAX})", literal.start, literal.end)


class _SliceParts(tuple):
    """(lower, upper, step) of a subscript slice, before it is attached to its value."""


class _Builder:
    """Lark callbacks: one per grammar rule alias; each builds an AST node or rejects the construct."""

    def __init__(self):
        self.text = ""
        self.offset = 0
        self.depth: dict = {}
        self.part_spans: dict = {}
        self.pending_int64_min: list = []
        self.literals: dict = {}

    def lexer_callbacks(self) -> dict:
        """Literal tokens are checked as soon as they are lexed: a malformed literal must be reported
        as such even when the token after it is what stops the parser."""
        return {"NUMBER": self._lex_number, "STRING": self._lex_string}

    def _lex_number(self, token):
        start, end = self._start(token), self._end(token)
        self.literals[token.start_pos] = _number_literal(str(token), start, end, self.pending_int64_min)
        return token

    def _lex_string(self, token):
        self.literals[token.start_pos] = _decode_string(str(token), self._start(token))
        return token

    def begin(self, text: str, offset: int) -> None:
        self.text = text
        self.offset = offset
        self.depth = {}
        self.part_spans = {}
        self.pending_int64_min = []
        self.literals = {}

    # -- helpers -----------------------------------------------------------------------------

    def _start(self, token) -> int:
        return self.offset + token.start_pos

    def _end(self, token) -> int:
        return self.offset + token.end_pos

    def _error(self, message: str, start: int, end: int):
        raise ExprSyntaxError(message, start, end)

    def _made(self, node, *children):
        depth = 1 + max((self.depth.get(id(child), 1) for child in children if child is not None), default=0)
        if depth > MAX_EXPR_DEPTH:
            self._error(f"the expression is nested more than {MAX_EXPR_DEPTH} levels deep", node.start, node.end)
        self.depth[id(node)] = depth
        return node

    def _span(self, children) -> tuple:
        first, last = children[0], children[-1]
        start = first.start if isinstance(first, Expr) else self._start(first)
        end = last.end if isinstance(last, Expr) else self._end(last)
        return start, end

    # -- atoms -------------------------------------------------------------------------------

    def name(self, children):
        token = children[0]
        start, end = self._start(token), self._end(token)
        word = str(token)
        if word in _CONSTANTS:
            return self._made(Literal(start, end, _CONSTANTS[word], word))
        if word in RESERVED_WORDS:
            self._error(f"'{word}' is a keyword and cannot be used as a name here", start, end)
        node = Name(start, end, (word,))
        self.part_spans[id(node)] = ((start, end),)
        return self._made(node)

    def number(self, children):
        return self._made(self.literals[children[0].start_pos])

    def string(self, children):
        pieces = [self.literals[token.start_pos] for token in children]
        start, end = self._start(children[0]), self._end(children[-1])
        return self._made(Literal(start, end, "".join(pieces), self.text[start - self.offset:end - self.offset]))

    def parenthesized(self, children):
        inner = children[1]
        self.depth[id(inner)] = self.depth.get(id(inner), 1) + 1
        if self.depth[id(inner)] > MAX_EXPR_DEPTH:
            self._error(f"the expression is nested more than {MAX_EXPR_DEPTH} levels deep", *self._span(children))
        return inner

    def list_display(self, children):
        items = tuple(children[1] or ())
        start, end = self._span(children)
        return self._made(ListDisplay(start, end, items), *items)

    def list_items(self, children):
        return [child for child in children if isinstance(child, Expr)]

    def list_comprehension(self, children):
        element, (variable, iterable), clauses = children[1], children[2], children[3:-1]
        start, end = self._span(children)
        condition = None
        for clause in clauses:
            if isinstance(clause, tuple):
                self._error("Multiple 'for' clauses in list comprehensions are not supported", start, end)
            if condition is not None:
                self._error("Multiple 'if' clauses in a list comprehension are not supported; combine them with 'and'",
                            start, end)
            condition = clause
        node = ListComp(start, end, element, str(variable), self._start(variable), self._end(variable), iterable,
                        condition)
        return self._made(node, element, iterable, condition)

    def comp_for(self, children):
        targets, iterable = children[1], children[3]
        if len(targets) > 1:
            self._error("a comprehension takes a single loop variable", self._start(targets[0]),
                        self._end(targets[-1]))
        variable = targets[0]
        word = str(variable)
        if word in RESERVED_WORDS or word in _CONSTANTS:
            self._error(f"'{word}' is a keyword and cannot be a loop variable", self._start(variable),
                        self._end(variable))
        if not LOOP_VARIABLE.fullmatch(word):
            self._error(f"Loop variable '{word}' must match [a-z_][A-Za-z0-9_]* (start with a lowercase "
                        "letter or underscore)", self._start(variable), self._end(variable))
        return (variable, iterable)

    def comp_target(self, children):
        return [child for child in children if getattr(child, "type", None) == "NAME"]

    def comp_if(self, children):
        return children[1]

    # -- postfix -----------------------------------------------------------------------------

    def getattr(self, children):
        value, dot, name_token = children
        name, name_start, end = str(name_token), self._start(name_token), self._end(name_token)
        between = self.text[value.end - self.offset:dot.start_pos]
        if isinstance(value, Name) and not between.strip():
            node = Name(value.start, end, value.parts + (name,))
            self.part_spans[id(node)] = self.part_spans[id(value)] + ((name_start, end),)
            return self._made(node, value)
        return self._made(Attribute(value.start, end, value, name, name_start), value)

    def call(self, children):
        callee, arguments, closing = children[0], children[2] or [], children[3]
        start, end = callee.start, self._end(closing)
        args = tuple(arguments)
        receiver: Optional[Expr] = None
        if isinstance(callee, Name):
            spans = self.part_spans[id(callee)]
            function, (function_start, function_end) = callee.parts[-1], spans[-1]
            if len(callee.parts) > 1:
                receiver = Name(callee.start, spans[-2][1], callee.parts[:-1])
                self.part_spans[id(receiver)] = spans[:-1]
                self._made(receiver)
        elif isinstance(callee, Attribute):
            function, function_start = callee.name, callee.name_start
            function_end, receiver = callee.end, callee.value
        else:
            self._error("only a function name or a method can be called", callee.start, callee.end)
        if _DUNDER.fullmatch(function):
            self._error(f"Cannot call '{function}' directly", function_start, function_end)
        node = Call(start, end, function, function_start, function_end, args, receiver)
        return self._made(node, receiver, *args)

    def arguments(self, children):
        return [child for child in children if isinstance(child, Expr)]

    def keyword_argument(self, children):
        self._error("Keyword arguments are not supported", *self._span(children))

    def star_argument(self, children):
        message = "Keyword arguments are not supported" if str(children[0]) == "**" \
            else "Star expressions are not supported"
        self._error(message, *self._span(children))

    def index(self, children):
        value, opening, item, closing = children
        start, end = value.start, self._end(closing)
        if item is None:
            self._error("expected an index or a slice expression", self._start(opening), end)
        if isinstance(item, _SliceParts):
            return self._made(Slice(start, end, value, *item), value, *item)
        return self._made(Index(start, end, value, item), value, item)

    def slice(self, children):
        lower, upper = children[0], children[2]
        step = children[4] if len(children) > 4 else None
        return _SliceParts((lower, upper, step))

    def subscript_tuple(self, children):
        self._error("Tuple literals are not supported; use a list instead", *self._bounds(children))

    def _bounds(self, children) -> tuple:
        located = [c for c in children if isinstance(c, Expr) or hasattr(c, "start_pos")]
        if not located:
            return self.offset, self.offset + len(self.text)
        return self._span(located)

    # -- operators ---------------------------------------------------------------------------

    def binary(self, children):
        left, op, right = children
        node = Binary(left.start, right.end, str(op), left, right, self._start(op))
        return self._made(node, left, right)

    or_op = binary
    and_op = binary

    def unary(self, children):
        op, operand = children
        start = self._start(op)
        if str(op) == "-" and self.pending_int64_min and self.pending_int64_min[-1] is operand:
            self.pending_int64_min.pop()
            return self._made(Literal(start, operand.end, INT64_MIN, self.text[start - self.offset:operand.end - self.offset]))
        return self._made(Unary(start, operand.end, str(op), operand), operand)

    def not_op(self, children):
        op, operand = children
        return self._made(Unary(self._start(op), operand.end, "not", operand), operand)

    def compare(self, children):
        operands = tuple(children[0::2])
        ops = []
        for op, op_start, op_end in children[1::2]:
            if op.startswith("is"):
                replacement = "!=" if op == "is not" else "=="
                self._error(f"'{op}' operator is not supported; use '{replacement}'", op_start, op_end)
            ops.append(op)
        node = Compare(operands[0].start, operands[-1].end, operands, tuple(ops))
        return self._made(node, *operands)

    def comp_op(self, children):
        return (" ".join(str(token) for token in children), self._start(children[0]), self._end(children[-1]))

    def conditional(self, children):
        body, condition, orelse = children[0], children[2], children[4]
        node = Conditional(body.start, orelse.end, body, condition, orelse)
        return self._made(node, body, condition, orelse)

    def conditional_without_else(self, children):
        self._error("expected 'else' after 'if' expression", *self._span(children))

    # -- rejected constructs (§B.4) ----------------------------------------------------------

    def bitwise(self, children):
        op = children[1]
        self._error(f"{_BITWISE[str(op)]} is not supported", self._start(op), self._end(op))

    def invert(self, children):
        self._error("Bitwise NOT (~) is not supported", *self._span(children))

    def matmul(self, children):
        op = children[1]
        self._error("Matrix multiply (@) is not supported", self._start(op), self._end(op))

    def walrus(self, children):
        self._error("Walrus operator (:=) is not supported", *self._span(children))

    def lambda_expr(self, children):
        self._error("Lambda expressions are not supported", *self._bounds(children))

    def lambda_params(self, children):
        return children[0]

    def yield_expr(self, children):
        self._error("Yield expressions are not supported", *self._bounds(children))

    def await_expr(self, children):
        self._error("Await expressions are not supported", *self._span(children))

    def tuple_display(self, children):
        self._error("Tuple literals are not supported; use a list instead", *self._bounds(children))

    def generator(self, children):
        self._error("Generator expressions are not supported; use a list comprehension", *self._bounds(children))

    def dict_display(self, children):
        self._error("Dict literals are not supported", *self._bounds(children))

    def set_display(self, children):
        self._error("Set literals are not supported", *self._bounds(children))

    def dict_item(self, children):
        return children[-1]

    set_item = dict_item

    def ellipsis(self, children):
        self._error("Ellipsis (...) is not supported", *self._span(children))


_BUILDER = _Builder()


def _number_literal(text: str, start: int, end: int, pending_int64_min: list) -> Literal:
    def fail(message: str):
        raise ExprSyntaxError(message, start, end)

    prefix = text[1:2].lower() if text[:1] == "0" else ""
    if prefix in _PREFIXED:
        pattern, base, kind = _PREFIXED[prefix]
        if not pattern.fullmatch(text):
            fail(f"invalid {kind} literal {text!r}")
        value = int(text[2:].replace("_", ""), base)
    elif _DECIMAL.fullmatch(text):
        value = to_int(text)
    elif _FLOAT.fullmatch(text):
        number = float(text.replace("_", ""))
        if number == float("inf"):
            fail(f"float literal {text} is too large (infinity is not a value)")
        return Literal(start, end, number, text)
    elif text[-1:] in "jJ" and (_FLOAT.fullmatch(text[:-1]) or re.fullmatch(r"[0-9](?:_?[0-9])*", text[:-1])):
        fail("Complex literals are not supported")
    elif re.fullmatch(r"0[0-9_]*", text):
        fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
    elif re.match(r"[0-9_]+\.[A-Za-z_]", text):
        fail(f"invalid decimal literal {text!r}: a method or property of a number needs parentheses, "
             f"e.g. ({text.split('.')[0]}).{text.split('.')[1]}")
    else:
        fail(f"invalid number literal {text!r}")
    literal = Literal(start, end, value, text)
    if value > INT64_MAX:
        if value != -INT64_MIN:
            raise _int_out_of_range(literal)
        pending_int64_min.append(literal)  # valid only as the operand of a unary minus
    return literal


def _decode_string(token: str, start: int) -> str:
    """The value of one string token (with optional prefix letters), or ExprSyntaxError."""
    quote_at = next(i for i, char in enumerate(token) if char in "'\"")
    prefix = token[:quote_at].lower()
    whole = (start, start + len(token))
    if "f" in prefix:
        raise ExprSyntaxError("f-strings are not supported; use string concatenation", *whole)
    if "b" in prefix:
        raise ExprSyntaxError("Byte strings (b'...') are not supported; use '...' or \"...\"", *whole)
    if "u" in prefix:
        raise ExprSyntaxError("the u'...' string prefix is not supported; use '...' or \"...\"", *whole)
    if prefix not in ("", "r"):
        raise ExprSyntaxError(f"invalid string prefix {token[:quote_at]!r}", *whole)
    quote_length = 3 if token[quote_at:quote_at + 3] in ("'''", '"""') and len(token) - quote_at >= 6 else 1
    body_start = quote_at + quote_length
    body = token[body_start:len(token) - quote_length]
    if prefix == "r":
        return body
    return _unescape(body, start + body_start)


def _unescape(body: str, body_offset: int) -> str:
    if "\\" not in body:
        return body
    pieces, position = [], 0
    for match in _STRING_ESCAPE.finditer(body):
        pieces.append(body[position:match.start()])
        pieces.append(_escape_value(match.group(1), body_offset + match.start(), body_offset + match.end()))
        position = match.end()
    pieces.append(body[position:])
    return "".join(pieces)


def _escape_value(escape: str, start: int, end: int) -> str:
    kind = escape[0]
    if escape in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[escape]
    widths = {"x": 2, "u": 4, "U": 8}
    if kind in widths:
        if len(escape) != widths[kind] + 1:
            raise ExprSyntaxError(f"truncated \\{kind} escape: it takes exactly {widths[kind]} hex digits",
                                  start, end)
        code = int(escape[1:], 16)
        if code > 0x10FFFF:
            raise ExprSyntaxError(f"\\{escape} is not a Unicode code point", start, end)
        return chr(code)
    if kind == "N":
        if not escape.endswith("}") or len(escape) < 4:
            raise ExprSyntaxError("malformed \\N{...} escape", start, end)
        try:
            return unicodedata.lookup(escape[2:-1])
        except KeyError:
            raise ExprSyntaxError(f"unknown Unicode character name {escape[2:-1]!r}", start, end) from None
    if kind in "01234567":
        return chr(int(escape, 8))
    return "\\" + escape  # Python keeps unknown escapes as written
