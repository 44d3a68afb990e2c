"""A small POSIX shell scanner: words, operators and simple commands, enough for the hazard checks.

Holes are opaque character ranges (the `{{...}}` interpolations of a format string): the scanner
never looks inside them and reports the quoting context each one lands in (`UNQUOTED`, `SINGLE`,
`DOUBLE`, `HEREDOC`, `QUOTED_HEREDOC` (a quoted delimiter: nothing expands), `COMMENT`). Command
substitutions `$(...)` and backquotes are scanned for hole contexts (their text is parsed again by the
shell) but their commands are not part of the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

UNQUOTED = "unquoted"
SINGLE = "single-quoted"
DOUBLE = "double-quoted"
HEREDOC = "here-document"
QUOTED_HEREDOC = "quoted here-document"
COMMENT = "comment"

_OPERATORS = ("&&", "||", ";;", "|&", "&>>", "&>", ">>", ">&", ">|", "<<<", "<<-", "<<", "<&", "<>", ";", "&", "|",
              "(", ")", ">", "<")
_SEPARATORS = frozenset({"&&", "||", ";;", "|&", ";", "&", "|", "(", ")", "\n"})
# Command substitutions nested deeper than this are not scanned (no real script comes close).
_MAX_NESTING = 50
_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac",
                       "{", "}", "!", "time"})


@dataclass(frozen=True)
class Token:
    """A word or an operator. `start`/`end` are offsets into the scanned text; `value` is the word
    with quotes removed (holes kept verbatim); `holes` are the indices of the holes inside the word."""

    kind: str  # "word" or "op"
    text: str
    start: int
    end: int
    value: str = ""
    holes: tuple = ()
    quoted: bool = False

    @property
    def is_word(self) -> bool:
        return self.kind == "word"


@dataclass
class SimpleCommand:
    """One simple command: its words (assignments and reserved words first stripped), its
    redirections as (operator, target word) and the operators around it."""

    words: list = field(default_factory=list)
    redirects: list = field(default_factory=list)
    before: Optional[str] = None
    after: Optional[str] = None

    @property
    def holes(self) -> set:
        found = set()
        for word in self.words:
            found.update(word.holes)
        for _, target in self.redirects:
            if target is not None:
                found.update(target.holes)
        return found

    @property
    def program(self) -> Optional[str]:
        return self.words[0].value if self.words and not self.words[0].holes else None


@dataclass
class Scan:
    tokens: list
    contexts: dict  # hole index -> context


def scan(text: str, holes: Sequence[tuple] = ()) -> Scan:
    scanner = _Scanner(text, sorted(holes))
    scanner.run()
    return Scan(scanner.tokens, scanner.contexts)


def commands(tokens: Sequence[Token]) -> list:
    """Group tokens into simple commands, in order."""
    result: list = []
    current = SimpleCommand()
    pending_redirect: Optional[Token] = None
    for token in tokens:
        if token.kind == "op" and token.text in _SEPARATORS:
            if pending_redirect is not None:
                current.redirects.append((pending_redirect, None))
                pending_redirect = None
            if current.words or current.redirects:
                current.after = token.text
                result.append(current)
            current = SimpleCommand(before=token.text)
            continue
        if token.kind == "op":
            if pending_redirect is not None:
                current.redirects.append((pending_redirect, None))
            pending_redirect = token
            continue
        if pending_redirect is not None:
            current.redirects.append((pending_redirect, token))
            pending_redirect = None
            continue
        if not current.words and not token.holes and (
                token.value in _RESERVED or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", token.value, re.S)):
            continue
        current.words.append(token)
    if pending_redirect is not None:
        current.redirects.append((pending_redirect, None))
    if current.words or current.redirects:
        result.append(current)
    return result


class _Scanner:
    def __init__(self, text: str, holes: list):
        self.text = text
        self.holes = holes
        self.hole_at = {start: (index, end) for index, (start, end) in enumerate(holes)}
        self.tokens: list = []
        self.contexts: dict = {}
        self.pending_heredocs: list = []
        self.depth = 0

    # Words ---------------------------------------------------------------------------------------
    def run(self) -> None:
        self._scan(0, collect=True, stop=None)

    def _scan(self, i: int, collect: bool, stop: Optional[str]) -> int:
        """Scan from i; stop after an unmatched `stop` character (`)` or `` ` ``). Returns the index after it."""
        text = self.text
        if self.depth > _MAX_NESTING:
            return len(text)
        self.depth += 1
        try:
            return self._scan_from(i, collect, stop)
        finally:
            self.depth -= 1

    def _scan_from(self, i: int, collect: bool, stop: Optional[str]) -> int:
        text = self.text
        depth = 0
        while i < len(text):
            ch = text[i]
            if stop is not None and ch == stop and depth == 0:
                return i + 1
            if stop == ")" and ch == "(":
                depth += 1
            elif stop == ")" and ch == ")":
                depth -= 1
            if ch in " \t":
                i += 1
            elif ch == "\n":
                self._emit(collect, Token("op", "\n", i, i + 1))
                i = self._read_heredocs(i + 1)
            elif ch == "#" and i not in self.hole_at:
                i = self._comment(i)
            else:
                operator = self._operator_at(i) or self._fd_redirection_at(i)
                if operator and i not in self.hole_at:
                    self._emit(collect, Token("op", operator, i, i + len(operator)))
                    i += len(operator)
                    if operator in ("<<", "<<-"):
                        i = self._heredoc_delimiter(i, operator == "<<-", collect)
                else:
                    i = self._word(i, collect)
        return i

    def _emit(self, collect: bool, token: Token) -> None:
        if collect:
            self.tokens.append(token)

    def _operator_at(self, i: int) -> Optional[str]:
        for operator in _OPERATORS:
            if self.text.startswith(operator, i):
                return operator
        return None

    def _comment(self, i: int) -> int:
        end = self.text.find("\n", i)
        end = len(self.text) if end == -1 else end
        for index, (start, _) in enumerate(self.holes):
            if i <= start < end:
                self.contexts.setdefault(index, COMMENT)
        return end

    def _word(self, i: int, collect: bool) -> int:
        text = self.text
        start = i
        value: list = []
        holes: list = []
        quoted = False
        while i < len(text):
            if i in self.hole_at:
                index, end = self.hole_at[i]
                self.contexts.setdefault(index, UNQUOTED)
                holes.append(index)
                value.append(text[i:end])
                i = end
                continue
            ch = text[i]
            if ch in " \t\n" or self._operator_at(i):
                break
            if ch == "\\":
                value.append(text[i + 1:i + 2])
                i += 2
            elif ch == "'":
                quoted = True
                i = self._single(i + 1, value, holes)
            elif ch == '"':
                quoted = True
                i = self._double(i + 1, value, holes)
            elif ch == "$" and text.startswith("$(", i):
                value.append("$(")
                i = self._scan(i + 2, collect=False, stop=")")
            elif ch == "`":
                i = self._scan(i + 1, collect=False, stop="`")
            else:
                value.append(ch)
                i += 1
        if i == start:
            return i + 1
        token = Token("word", text[start:i], start, i, "".join(value), tuple(holes), quoted)
        self._emit(collect, token)
        return i

    def _fd_redirection_at(self, i: int) -> Optional[str]:
        # `2>` is one redirection operator, not the word `2` followed by `>`.
        digits = re.match(r"[0-9]+(?=[<>])", self.text[i:i + 12])
        if digits is None:
            return None
        return digits.group() + self._operator_at(i + digits.end())

    def _single(self, i: int, value: list, holes: list) -> int:
        text = self.text
        while i < len(text) and text[i] != "'":
            if i in self.hole_at:
                index, end = self.hole_at[i]
                self.contexts.setdefault(index, SINGLE)
                holes.append(index)
                value.append(text[i:end])
                i = end
                continue
            value.append(text[i])
            i += 1
        return i + 1

    def _double(self, i: int, value: list, holes: list) -> int:
        text = self.text
        while i < len(text) and text[i] != '"':
            if i in self.hole_at:
                index, end = self.hole_at[i]
                self.contexts.setdefault(index, DOUBLE)
                holes.append(index)
                value.append(text[i:end])
                i = end
                continue
            ch = text[i]
            if ch == "\\" and text[i + 1:i + 2] in ('"', "\\", "$", "`", "\n"):
                value.append(text[i + 1])
                i += 2
            elif text.startswith("$(", i):
                value.append("$(")
                i = self._scan(i + 2, collect=False, stop=")")
            elif ch == "`":
                i = self._scan(i + 1, collect=False, stop="`")
            else:
                value.append(ch)
                i += 1
        return i + 1

    # Here-documents ------------------------------------------------------------------------------
    def _heredoc_delimiter(self, i: int, strip_tabs: bool, collect: bool) -> int:
        while i < len(self.text) and self.text[i] in " \t":
            i += 1
        before = len(self.tokens)
        i = self._word(i, collect=True)
        word = self.tokens[before] if len(self.tokens) > before else None
        if word is not None:
            self.pending_heredocs.append((word.value, word.quoted, strip_tabs))
            if not collect:
                del self.tokens[before:]
        return i

    def _read_heredocs(self, i: int) -> int:
        pending, self.pending_heredocs = self.pending_heredocs, []
        for delimiter, quoted, strip_tabs in pending:
            while i < len(self.text):
                end = self.text.find("\n", i)
                end = len(self.text) if end == -1 else end
                line = self.text[i:end]
                for index, (start, _) in enumerate(self.holes):
                    if i <= start < end:
                        self.contexts.setdefault(index, QUOTED_HEREDOC if quoted else HEREDOC)
                i = end + 1
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
        return i
