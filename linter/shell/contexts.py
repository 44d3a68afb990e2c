"""Where an interpolation lands in source text an interpreter parses, and which values stay inside it.

`places(interpreter, text, holes)` maps each hole (a `(start, end)` range of `text`, as in
`openjd_lint.shell.words`) to a `Place`: the lexical context (shell quoting from the word scanner;
string literals, comments and code for Python, Node.js, PowerShell and cmd.exe), whether a value
with given text stays inside that context (`Place.keeps`), and, for quoted contexts, whether the
hole starts right after the opening quote or ends right before the closing one (what a fix that
replaces the quotes needs). A hole in a comment or in a quoted here-document has no place: the
interpreter never reads its text as code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Optional, Sequence

from openjd_lint.shell import words
from openjd_lint.shell.interpreters import CMD, JS, PWSH, PY, SH


@dataclass(frozen=True)
class Place:
    """`context` is a phrase ("inside single quotes"); `how` says how a value breaks out of it.
    A value stays in the place when it matches `allowed` (code and unquoted contexts) or holds none of
    `breakers` (quoted contexts). `quote` is the literal's opening quote (with `prefix`, a Python
    string prefix), None for code."""

    context: str
    how: str
    allowed: Optional[re.Pattern] = None
    breakers: str = ""
    quote: Optional[str] = None
    prefix: str = ""
    at_open: bool = False
    at_close: bool = False

    def keeps(self, value: str) -> bool:
        if self.allowed is not None:
            return bool(self.allowed.fullmatch(value))
        return not any(ch in self.breakers for ch in value)

    @property
    def closing(self) -> str:
        """The characters that end the context, for a message (`'`)."""
        return self.quote or ""


_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]*")
_NAME = re.compile(r"[A-Za-z0-9_.]*")
_PWSH_WORD = re.compile(r"[A-Za-z0-9_.:/\\=+-]*")
_CMD_WORD = re.compile(r"[A-Za-z0-9_.:/\\=+,-]*")

_SH = {
    words.UNQUOTED: Place("unquoted", "a space splits it into several words, and `;`, `|`, `&&` or `$(...)` in it "
                          "run commands of the submitter's choosing", allowed=_WORD),
    words.SINGLE: Place("inside single quotes", "a `'` in it ends the quotes and what follows runs as shell code",
                        breakers="'", quote="'"),
    words.DOUBLE: Place("inside double quotes", "`$(...)` or a backquote in it runs commands, and a `\"` ends the "
                        "quotes", breakers='"$`\\', quote='"'),
    words.HEREDOC: Place("inside a here-document", "`$(...)` or a backquote in it runs commands",
                         breakers="$`\\"),
}


def places(interpreter: str, text: str, holes: Sequence[tuple]) -> dict:
    """hole index -> Place, for the holes the interpreter reads as code or inside a literal."""
    if interpreter == SH:
        return _shell_places(text, holes)
    scanner = {PY: _python, JS: _javascript, PWSH: _powershell, CMD: _cmd}.get(interpreter)
    return scanner(text, holes) if scanner is not None else {}


def _shell_places(text: str, holes: Sequence[tuple]) -> dict:
    found = {}
    for index, context in words.scan(text, holes).contexts.items():
        place = _SH.get(context)
        if place is None:
            continue
        start, end = holes[index]
        if place.quote is not None:
            place = replace(place, at_open=_opens(text, start, place.quote), at_close=text[end:end + 1] == place.quote)
        found[index] = place
    return found


def _opens(text: str, start: int, quote: str) -> bool:
    """The quote right before `start` is an opening one (not escaped by a backslash)."""
    if text[start - 1:start] != quote:
        return False
    backslashes = len(text[:start - 1]) - len(text[:start - 1].rstrip("\\"))
    return quote == "'" or backslashes % 2 == 0


class _Lexer:
    """A hole-aware scan for the C-like languages: code, comments and string literals."""

    def __init__(self, text: str, holes: Sequence[tuple], code: Place):
        self.text = text
        self.hole_at = {start: (index, end) for index, (start, end) in enumerate(holes)}
        self.code = code
        self.found: dict = {}

    def skip_line(self, i: int) -> int:
        end = self.text.find("\n", i)
        return len(self.text) if end == -1 else end

    def skip_until(self, i: int, closing: str) -> int:
        end = self.text.find(closing, i)
        return len(self.text) if end == -1 else end + len(closing)

    def literal(self, i: int, place: Place, escape: Optional[str], doubled: bool = False,
                single_line: bool = False) -> int:
        """Scan a literal whose body starts at i and ends with `place.quote`; returns the index after it."""
        text, quote = self.text, place.quote
        body_start, inside, closed = i, [], False
        while i < len(text):
            if i in self.hole_at:
                index, end = self.hole_at[i]
                inside.append((index, i, end))
                i = end
                continue
            if escape is not None and text[i] == escape:
                i += 2
                continue
            if text.startswith(quote, i):
                if doubled and text.startswith(quote, i + len(quote)):
                    i += 2 * len(quote)
                    continue
                closed = True
                break
            if single_line and text[i] == "\n":
                break
            i += 1
        for index, start, end in inside:
            self.found[index] = replace(place, at_open=start == body_start, at_close=closed and end == i)
        return i + len(quote) if closed else i

    def run(self, token: Callable[["_Lexer", int], Optional[int]]) -> dict:
        """Scan the text: `token(lexer, i)` consumes a comment or a literal starting at i (returning the
        index after it) or returns None for a code character."""
        i = 0
        while i < len(self.text):
            if i in self.hole_at:
                index, end = self.hole_at[i]
                self.found[index] = self.code
                i = end
                continue
            after = token(self, i)
            i = i + 1 if after is None else after
        return self.found


_PY_CODE = Place("as Python code", "the value runs as Python code", allowed=_NAME)
_PY_STRING = re.compile(r"(?i)(rb|br|fr|rf|r|b|f|u)?('''|\"\"\"|'|\")")


def _python(text: str, holes: Sequence[tuple]) -> dict:
    return _Lexer(text, holes, _PY_CODE).run(_python_token)


def _python_token(lexer: _Lexer, i: int) -> Optional[int]:
    text = lexer.text
    if text[i] == "#":
        return lexer.skip_line(i)
    string = _PY_STRING.match(text, i) if text[i] in "'\"rRbBfFuU" else None
    if string is None or (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_") and string.group(1)):
        return None
    prefix, quote = string.group(1) or "", string.group(2)
    formatted = "f" in prefix.lower()
    breakers = quote[0] + "\\" + ("" if len(quote) == 3 else "\n") + ("{}" if formatted else "")
    how = f"a `{quote[0]}` in it ends the string literal and what follows runs as Python code"
    if formatted:
        how += ", and `{...}` in it runs as code"
    kind = "f-string" if formatted else "string literal"
    place = Place(f"inside a Python {kind}", how, breakers=breakers, quote=quote, prefix=prefix)
    return lexer.literal(string.end(), place, "\\", single_line=len(quote) == 1)


_JS_CODE = Place("as JavaScript code", "the value runs as JavaScript code", allowed=_NAME)
_JS_TEMPLATE = Place("inside a JavaScript template literal", "`${...}` in it runs code, and a backquote ends the "
                     "literal", breakers="`\\$", quote="`")


def _javascript(text: str, holes: Sequence[tuple]) -> dict:
    return _Lexer(text, holes, _JS_CODE).run(_javascript_token)


def _javascript_token(lexer: _Lexer, i: int) -> Optional[int]:
    text = lexer.text
    if text.startswith("//", i):
        return lexer.skip_line(i)
    if text.startswith("/*", i):
        return lexer.skip_until(i + 2, "*/")
    if text[i] in "'\"":
        quote = text[i]
        place = Place("inside a JavaScript string literal",
                      f"a `{quote}` in it ends the literal and what follows runs as JavaScript code",
                      breakers=quote + "\\\n", quote=quote)
        return lexer.literal(i + 1, place, "\\", single_line=True)
    if text[i] == "`":
        return lexer.literal(i + 1, _JS_TEMPLATE, "\\")
    return None


_PWSH_CODE = Place("as PowerShell code", "`;`, `|` or `$(...)` in it run commands of the submitter's choosing",
                   allowed=_PWSH_WORD)
_PWSH_HERE = Place("inside a PowerShell here-string", "a line break followed by `'@` in it ends the here-string",
                   breakers="\n", quote="\n'@")
_PWSH_EXPANDABLE_HERE = Place("inside an expandable PowerShell here-string", "`$(...)` in it runs commands",
                              breakers="$`\n", quote='\n"@')
# PowerShell also ends a string at the typographic quotes.
_PWSH_SINGLE = Place("inside a single-quoted PowerShell string", "a `'` in it ends the string and what follows runs "
                     "as PowerShell code", breakers="'\u2018\u2019\u201a\u201b", quote="'")
_PWSH_DOUBLE = Place("inside a double-quoted PowerShell string", "`$(...)` in it runs commands, and a `\"` ends the "
                     "string", breakers='"\u201c\u201d\u201e$`', quote='"')


def _powershell(text: str, holes: Sequence[tuple]) -> dict:
    return _Lexer(text, holes, _PWSH_CODE).run(_powershell_token)


def _powershell_token(lexer: _Lexer, i: int) -> Optional[int]:
    text = lexer.text
    if text.startswith("<#", i):
        return lexer.skip_until(i + 2, "#>")
    if text[i] == "#":
        return lexer.skip_line(i)
    if text.startswith(("@'\n", "@'\r\n"), i):
        return lexer.literal(text.index("\n", i) + 1, _PWSH_HERE, None)
    if text.startswith(('@"\n', '@"\r\n'), i):
        return lexer.literal(text.index("\n", i) + 1, _PWSH_EXPANDABLE_HERE, "`")
    if text[i] == "'":
        return lexer.literal(i + 1, _PWSH_SINGLE, None, doubled=True)
    if text[i] == '"':
        return lexer.literal(i + 1, _PWSH_DOUBLE, "`", doubled=True)
    return None


_CMD_CODE = Place("unquoted", "`&`, `|` or `>` in it run commands of the submitter's choosing", allowed=_CMD_WORD)
_CMD_DOUBLE = Place("inside double quotes", "a `\"` in it ends the quotes and `&` then runs another command (and "
                    "`%NAME%` in it expands)", breakers='"%!\n', quote='"')


def _cmd(text: str, holes: Sequence[tuple]) -> dict:
    return _Lexer(text, holes, _CMD_CODE).run(_cmd_token)


def _cmd_token(lexer: _Lexer, i: int) -> Optional[int]:
    if lexer.text[i] == "^":
        return i + 2
    if lexer.text[i] == '"':
        return lexer.literal(i + 1, _CMD_DOUBLE, None, single_line=True)
    return None
