"""Regular-expression functions (functions.md §6). Patterns are limited to the syntax that
Python `re` and Rust `regex` share, so a template behaves the same under either engine."""

from __future__ import annotations

import functools
import re

from openjd_lint.expr import types as T
from openjd_lint.expr.library.registry import define
from openjd_lint.expr.values import EvalError, ListValue

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


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern:
    """The compiled pattern, or EvalError when it is empty, invalid or outside the shared subset."""
    if pattern == "":
        raise EvalError("Empty regex pattern is not allowed")
    _scan(pattern)
    try:
        return re.compile(pattern)
    except re.error as error:
        raise EvalError(f"Invalid regex pattern {pattern!r}: {error}") from None


def _check_replacement(replacement: str) -> None:
    if _GROUP_REFERENCE.search(replacement):
        raise EvalError("Group references in replacement strings are not supported")


def _validate(args: list) -> None:
    if len(args) > 1 and isinstance(args[1], str):
        compile_pattern(args[1])
    if len(args) > 2 and isinstance(args[2], str):
        _check_replacement(args[2])


def _groups(match: re.Match) -> ListValue:
    return ListValue(tuple(g or "" for g in (match.group(0), *match.groups())), STRING_LIST)


@define("re_match(string, string) -> list[string]?", validate=_validate)
def _re_match(call, text, pattern):
    call.budget.charge_text(len(text))
    m = compile_pattern(pattern).match(text)
    return _groups(m) if m else None


@define("re_search(string, string) -> list[string]?", validate=_validate)
def _re_search(call, text, pattern):
    call.budget.charge_text(len(text))
    m = compile_pattern(pattern).search(text)
    return _groups(m) if m else None


@define("re_findall(string, string) -> list[string] | list[list[string]]", validate=_validate)
def _re_findall(call, text, pattern):
    compiled = compile_pattern(pattern)
    call.budget.charge_text(len(text))
    matches = list(compiled.finditer(text))
    call.budget.charge(len(matches))
    if compiled.groups == 0:
        return ListValue(tuple(m.group(0) for m in matches), STRING_LIST)
    if compiled.groups == 1:
        return ListValue(tuple(m.group(1) or "" for m in matches), STRING_LIST)
    rows = tuple(ListValue(tuple(g or "" for g in m.groups()), STRING_LIST) for m in matches)
    return ListValue(rows, T.ListOf(STRING_LIST))


@define("re_sub(string, string, string) -> string", validate=_validate)
def _re_sub(call, text, pattern, replacement):
    compiled = compile_pattern(pattern)
    _check_replacement(replacement)
    call.budget.charge_text(len(text))
    count = sum(1 for _ in compiled.finditer(text))
    call.budget.allocate(len(text) + count * len(replacement))
    return compiled.sub(lambda m: replacement, text)


@define("re_escape(string) -> string")
def _re_escape(call, text):
    call.budget.charge_text(len(text))
    return "".join("\\" + ch if ch in _RUST_META else ch for ch in text)


@define("re_split(string, string) -> list[string]", "re_split(string, string, int) -> list[string]", validate=_validate)
def _re_split(call, text, pattern, maxsplit=0):
    compiled = compile_pattern(pattern)
    call.budget.charge_text(len(text))
    pieces = []
    position = 0
    for m in compiled.finditer(text):
        if 0 < maxsplit <= len(pieces):
            break
        pieces.append(text[position : m.start()])
        position = m.end()
    pieces.append(text[position:])
    call.budget.charge(len(pieces))
    return ListValue(tuple(pieces), STRING_LIST)
