"""Regular-expression functions (functions.md §6). Patterns are limited to the syntax that
Python `re` and Rust `regex` share, so a template behaves the same under either engine; they are
checked against that subset and by Python's `re`, then matched in linear time (`regex_engine`)."""

from __future__ import annotations

import functools
import re
import warnings

from openjd_lint.expr import types as T
from openjd_lint.expr.library.regex_engine import Pattern, compile_checked
from openjd_lint.expr.library.registry import define
from openjd_lint.expr.values import EvalError, ListValue, memory_size

STRING_LIST = T.ListOf(T.STRING)
_RUST_META = set("\\.+*?()|[]{}^$#&-~")
_UNSUPPORTED_ESCAPES = {
    "Z": r"\Z", "z": r"\z", "p": r"Unicode property class \p{...}", "P": r"Unicode property class \P{...}",
    "N": r"named character \N{...}", "g": r"\g<...> reference", "G": r"\G",
}  # fmt: skip
_UNSUPPORTED_GROUPS = (
    ("(?=", "lookahead"), ("(?!", "negative lookahead"), ("(?<=", "lookbehind"), ("(?<!", "negative lookbehind"),
    ("(?P=", "named backreference (?P=name)"), ("(?(", "conditional group"), ("(?#", "comment group"),
    ("(?>", "atomic group"),
)  # fmt: skip
_MATCH_STEPS = 16  # the engine and the offsets of one match take about as long as an expression node
_GROUP_REFERENCE = re.compile(r"\\[0-9]|\\g<|\$[0-9]|\$\{")


def _unsupported(feature: str) -> EvalError:
    return EvalError(f"Unsupported regex feature: {feature}")


def _scan(pattern: str) -> None:
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt.isdigit() and not in_class and nxt != "0":
                raise _unsupported(f"backreference \\{nxt}")
            if nxt in _UNSUPPORTED_ESCAPES:
                raise _unsupported(_UNSUPPORTED_ESCAPES[nxt])
            if nxt in "xuU" and pattern[i + 2 : i + 3] == "{":
                raise _unsupported(f"\\{nxt}{{...}} escape")
            i += 2
            continue
        if in_class:
            if pattern.startswith("[:", i):
                raise _unsupported("POSIX character class [[:...:]]")
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1
            continue
        elif ch == "(":
            for prefix, feature in _UNSUPPORTED_GROUPS:
                if pattern.startswith(prefix, i):
                    raise _unsupported(feature)
        i += 1


def compile_pattern(pattern: str) -> Pattern:
    """The compiled pattern, or EvalError when it is empty, invalid or outside the shared subset."""
    compiled = _compiled(pattern)
    if isinstance(compiled, EvalError):
        raise EvalError(compiled.message)
    return compiled


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str):
    """compile_pattern's result, a refusal included: a comprehension may check one pattern per item."""
    try:
        return _compile(pattern)
    except EvalError as error:
        return error


def _compile(pattern: str) -> Pattern:
    if pattern == "":
        raise EvalError("Empty regex pattern is not allowed")
    _scan(pattern)
    try:
        with warnings.catch_warnings():
            # Python warns where Rust reads a class differently: `[[` nests, `&&` `--` `~~` are set operations
            warnings.simplefilter("error", FutureWarning)
            re.compile(pattern)
    except FutureWarning as warning:
        raise _unsupported(f"character class set syntax ({str(warning).split(' at position')[0].lower()})") from None
    except re.error as error:
        raise EvalError(f"Invalid regex pattern {pattern!r}: {error}") from None
    except RecursionError:
        raise EvalError(f"Invalid regex pattern {pattern!r}: nested too deeply") from None
    return compile_checked(pattern)


def _check_replacement(replacement: str) -> None:
    if _GROUP_REFERENCE.search(replacement):
        raise EvalError("Group references in replacement strings are not supported")


def _validate(args: list) -> None:
    if len(args) > 1 and isinstance(args[1], str):
        compile_pattern(args[1])
    if len(args) > 2 and isinstance(args[2], str):
        _check_replacement(args[2])


def _text(text: str, span: tuple) -> str:
    return text[span[0] : span[1]] if span[0] >= 0 else ""


def _matches(call, compiled: Pattern, text: str):
    """Every match of `compiled` in `text`, each charged as it is found (an operation, and the time
    one match takes the engine)."""
    call.budget.charge_text(len(text))
    call.budget.work(compiled.steps(text))
    for spans in compiled.finditer(text):
        call.budget.charge(1)
        call.budget.work(_MATCH_STEPS)
        yield spans


def _groups(text: str, spans: list) -> ListValue:
    return ListValue(tuple(_text(text, span) for span in spans), STRING_LIST)


@define("re_match(string, string) -> list[string]?", validate=_validate)
def _re_match(call, text, pattern):
    compiled = compile_pattern(pattern)
    call.budget.charge_text(len(text))
    call.budget.work(compiled.steps(text))
    spans = compiled.match(text)
    return _groups(text, spans) if spans else None


@define("re_search(string, string) -> list[string]?", validate=_validate)
def _re_search(call, text, pattern):
    compiled = compile_pattern(pattern)
    call.budget.charge_text(len(text))
    call.budget.work(compiled.steps(text))
    spans = compiled.search(text)
    return _groups(text, spans) if spans else None


@define("re_findall(string, string) -> list[string] | list[list[string]]", validate=_validate)
def _re_findall(call, text, pattern):
    compiled = compile_pattern(pattern)
    items = []
    size = 32
    for spans in _matches(call, compiled, text):
        if compiled.groups == 0:
            item = _text(text, spans[0])
        elif compiled.groups == 1:
            item = _text(text, spans[1])
        else:
            item = ListValue(tuple(_text(text, span) for span in spans[1:]), STRING_LIST)
        added = 8 + memory_size(item)
        size += added
        call.budget.allocate(added, total=size)
        items.append(item)
    return ListValue(tuple(items), STRING_LIST if compiled.groups < 2 else T.ListOf(STRING_LIST))


@define("re_sub(string, string, string) -> string", validate=_validate)
def _re_sub(call, text, pattern, replacement):
    compiled = compile_pattern(pattern)
    _check_replacement(replacement)
    pieces = []
    position = 0
    size = len(text)
    for spans in _matches(call, compiled, text):
        start, end = spans[0]
        size += len(replacement) - (end - start)
        call.budget.allocate(len(replacement), total=size)
        pieces += (text[position:start], replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


@define("re_escape(string) -> string")
def _re_escape(call, text):
    call.budget.charge_text(len(text))
    return "".join("\\" + ch if ch in _RUST_META else ch for ch in text)


@define("re_split(string, string) -> list[string]", "re_split(string, string, int) -> list[string]", validate=_validate)
def _re_split(call, text, pattern, maxsplit=0):
    compiled = compile_pattern(pattern)
    pieces = []
    position = 0
    size = 32 + memory_size(text)
    for spans in _matches(call, compiled, text):
        if 0 < maxsplit <= len(pieces):
            break
        start, end = spans[0]
        size += 40  # one more item: its text is counted with the whole
        call.budget.allocate(40, total=size)
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return ListValue(tuple(pieces), STRING_LIST)
