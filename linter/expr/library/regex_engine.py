r"""Linear-time matching of the regular expressions the EXPR library accepts.

Python's `re` backtracks: `(a+)+$` against a line of `a`s ending in `!` takes time that doubles with
every `a`. RE2 (google-re2) is an automaton engine whose matching time is linear in the text, like
Rust's `regex`, the other engine the spec's syntax subset is shared with. The pattern is parsed by
Python's own `re` parser, so escapes, verbose mode and quantifier spellings mean exactly what they mean
for `re`, and the parse tree is written out in RE2 syntax with every character explicit:

* `\d`, `\w`, `\s` and their negations become the very character sets Python's `re` matches (RE2's
  are ASCII-only), computed once from the running Python;
* flags (`i`, `m`, `s`) are resolved per atom, so scoped flags need no RE2 counterpart;
* lone surrogates, which have no UTF-8 form, are moved to a private-use block (U+10F000...) in both the
  pattern and the text; a match is reported as offsets, so results are sliced from the original text.

Where RE2 itself differs from Python, the result follows RE2: `$` matches only at the end of the text,
not before a final newline (as in Rust and the reference implementation); `\b` and `\B` judge word
characters by ASCII (Python and Rust by Unicode), and `\B` matches the empty text; after an empty match
the next match starts one character later, even where Python would prefer a non-empty match there.
"""

from __future__ import annotations

import array
import functools
import re
import sys
from typing import Iterator, Optional

from openjd_lint.expr.values import EvalError

if sys.version_info >= (3, 11):
    from re import _constants as C, _parser as sre_parse
else:  # pragma: no cover - Python 3.9 and 3.10
    import sre_constants as C
    import sre_parse

_SURROGATES = range(0xD800, 0xE000)
_SURROGATE_SHIFT = 0x10F000 - 0xD800
_SURROGATE_MAP = {code: code + _SURROGATE_SHIFT for code in _SURROGATES}
_MAX_PROGRAM_MEMORY = 4 << 20  # RE2 refuses larger patterns ("pattern too large") instead of using more
_CATEGORIES = {
    C.CATEGORY_DIGIT: (r"\d", False), C.CATEGORY_NOT_DIGIT: (r"\d", True),
    C.CATEGORY_WORD: (r"\w", False), C.CATEGORY_NOT_WORD: (r"\w", True),
    C.CATEGORY_SPACE: (r"\s", False), C.CATEGORY_NOT_SPACE: (r"\s", True),
}  # fmt: skip
_UNSUPPORTED_FLAGS = ((re.ASCII, "ASCII-only matching (?a)"), (re.LOCALE, "locale-dependent matching (?L)"))
_POSSESSIVE = getattr(C, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)
_LOOKAROUND = {C.ASSERT: "lookahead or lookbehind", C.ASSERT_NOT: "negative lookahead or lookbehind",
               C.GROUPREF: "backreference", C.GROUPREF_EXISTS: "conditional group"}  # fmt: skip


class Pattern:
    """A compiled pattern: `groups` capturing groups; matches are lists of (start, end) spans, group 0
    first, (-1, -1) for a group that took no part."""

    def __init__(self, compiled, groups: int):
        self._compiled = compiled
        self.groups = groups

    def steps(self, text: str) -> int:
        """The linter's work estimate for one pass over `text`: the engine's time is linear in the text
        and, at worst (no DFA), in the size of the compiled program; one step per 100 of both."""
        return len(text) * self._compiled.programsize // 100

    def match(self, text: str) -> Optional[list]:
        return self._spans(self._compiled.match(_matchable(text)))

    def search(self, text: str) -> Optional[list]:
        return self._spans(self._compiled.search(_matchable(text)))

    def finditer(self, text: str) -> Iterator[list]:
        previous = None
        for m in self._compiled.finditer(_matchable(text)):
            span = m.span()
            if span[0] == span[1] and span == previous:
                continue  # google-re2 finds an empty match again when it was found from an earlier position
            previous = span
            yield self._spans(m)

    def _spans(self, m) -> Optional[list]:
        return None if m is None else [m.span(group) for group in range(self.groups + 1)]


def compile_checked(pattern: str) -> Pattern:
    """`pattern` (already accepted by Python's `re` and the spec's syntax checks) compiled for RE2."""
    try:
        parsed = sre_parse.parse(pattern)
    except RecursionError:
        raise EvalError(f"Invalid regex pattern {pattern!r}: nested too deeply") from None
    import re2  # only a template that evaluates a regex function needs the engine

    options = re2.Options()
    options.max_mem = _MAX_PROGRAM_MEMORY
    options.log_errors = False
    try:
        compiled = re2.compile(_Writer().pattern(parsed, parsed.state.flags), options)
    except RecursionError:
        raise EvalError(f"Invalid regex pattern {pattern!r}: nested too deeply") from None
    except re2.error as error:
        message = error.args[0].decode("utf-8", "replace") if error.args and isinstance(error.args[0], bytes) else error
        raise EvalError(f"Invalid regex pattern {pattern!r}: {message}") from None
    return Pattern(compiled, parsed.state.groups - 1)


class _Writer:
    """Writes a parse tree of Python's `re` as an RE2 pattern with the same meaning."""

    def pattern(self, items, flags: int) -> str:
        for flag, feature in _UNSUPPORTED_FLAGS:
            if flags & flag:
                raise EvalError(f"Unsupported regex feature: {feature}")
        return "".join(self.item(op, av, flags) for op, av in items)

    def item(self, op, av, flags: int) -> str:
        ignore_case = bool(flags & re.IGNORECASE)
        if op is C.LITERAL:
            return _case(_char(av), ignore_case)
        if op is C.NOT_LITERAL:
            return _case(f"[^{_char(av)}]", ignore_case)
        if op is C.ANY:
            return "(?s:.)" if flags & re.DOTALL else r"[^\n]"
        if op is C.IN:
            return self.char_class(av, ignore_case)
        if op is C.AT:
            return self.anchor(av, flags)
        if op is C.BRANCH:
            return "(?:" + "|".join(self.pattern(branch, flags) for branch in av[1]) + ")"
        if op is C.SUBPATTERN:
            group, add_flags, del_flags, items = av
            body = self.pattern(items, (flags | add_flags) & ~del_flags)
            return f"(?:{body})" if group is None else f"({body})"
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, items = av
            return f"(?:{self.pattern(items, flags)}){_quantifier(low, high)}" + ("?" if op is C.MIN_REPEAT else "")
        if op is _POSSESSIVE:
            raise EvalError("Unsupported regex feature: possessive quantifier")
        if op is _ATOMIC:
            raise EvalError("Unsupported regex feature: atomic group")
        raise EvalError(f"Unsupported regex feature: {_LOOKAROUND.get(op, str(op).lower())}")

    def char_class(self, items, ignore_case: bool) -> str:
        negated = bool(items) and items[0][0] is C.NEGATE
        parts = []
        for op, av in items[1:] if negated else items:
            if op is C.LITERAL:
                parts.append(_char(av))
            elif op is C.RANGE:
                parts.append(_ranges([av]))
            elif op is C.CATEGORY:
                parts.append(_category(av))
            else:  # pragma: no cover - the parser puts nothing else in a class
                raise EvalError(f"Unsupported regex feature: {str(op).lower()} in a character class")
        body = ("^" if negated else "") + "".join(parts)
        # Python's categories do not change with case; RE2 would widen them by case folding.
        only_categories = all(op is C.CATEGORY for op, _ in items if op is not C.NEGATE)
        return _case(f"[{body}]", ignore_case and not only_categories)

    def anchor(self, at, flags: int) -> str:
        multiline = bool(flags & re.MULTILINE)
        if at is C.AT_BEGINNING:
            return "(?m:^)" if multiline else r"\A"
        if at is C.AT_END:
            return "(?m:$)" if multiline else r"\z"
        if at is C.AT_BEGINNING_STRING:
            return r"\A"
        if at is C.AT_BOUNDARY:
            return r"\b"
        if at is C.AT_NON_BOUNDARY:
            return r"\B"
        raise EvalError(r"Unsupported regex feature: \Z")


def _case(atom: str, ignore_case: bool) -> str:
    return f"(?i:{atom})" if ignore_case else atom


def _quantifier(low: int, high: int) -> str:
    unbounded = high == C.MAXREPEAT
    if low == 0 and unbounded:
        return "*"
    if low == 1 and unbounded:
        return "+"
    if (low, high) == (0, 1):
        return "?"
    if unbounded:
        return f"{{{low},}}"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"


def _char(code: int) -> str:
    return f"\\x{{{code + _SURROGATE_SHIFT if code in _SURROGATES else code:X}}}"


def _ranges(ranges) -> str:
    """Character ranges in RE2 class syntax; a range across the surrogates is split, as `_char` moves them."""
    out = []
    for low, high in ranges:
        for start, end in ((low, min(high, 0xD7FF)), (max(low, 0xD800), min(high, 0xDFFF)), (max(low, 0xE000), high)):
            if start < end:
                out.append(f"{_char(start)}-{_char(end)}")
            elif start == end:
                out.append(_char(start))
    return "".join(out)


@functools.lru_cache(maxsize=None)
def _category(code) -> str:
    shorthand, negated = _CATEGORIES[code]
    return _ranges(_complement(_python_set(shorthand)) if negated else _python_set(shorthand))


@functools.lru_cache(maxsize=None)
def _python_set(shorthand: str) -> tuple:
    """The code point ranges that `shorthand` matches in Python's `re` (Unicode str patterns)."""
    every = array.array("I", range(sys.maxunicode + 1)).tobytes().decode(_UTF32, "surrogatepass")
    return tuple((m.start(), m.end() - 1) for m in re.finditer(shorthand + "+", every))


_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def _complement(ranges: tuple) -> list:
    out = []
    start = 0
    for low, high in ranges:
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= sys.maxunicode:
        out.append((start, sys.maxunicode))
    return out


def _matchable(text: str) -> str:
    """`text` with lone surrogates moved where the pattern expects them (same length, same offsets)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.translate(_SURROGATE_MAP)
    return text
