"""Findings as rules produce them, and as reporters receive them.

A rule never computes line numbers (the cfn-lint way): it reports a `Finding` at a document path,
optionally narrowed to a character range inside a string value, and `openjd_lint.locate` turns that into a
`Diagnostic` with exact 1-based positions once the rule has run.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional

from openjd_lint.load.tree import Path, Position, Span


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True)
class Related:
    """Another place a finding names, e.g. the first of two wrapping environments."""

    message: str
    path: Path = ()
    on_key: bool = False
    span: Optional[Span] = None
    file: Optional[str] = None


@dataclass(frozen=True)
class Edit:
    """Replace characters [start, end) of the decoded source text with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    """A change that resolves a finding. Unsafe fixes may change what the template means (e.g. adding
    quoting changes the command a shell sees) and are applied only with --unsafe-fixes."""

    description: str
    edits: tuple  # tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True)
class Finding:
    """What a rule reports.

    `path` addresses a node of the document; `on_key` points at the mapping key instead of its
    value; `chars` narrows the position to [start, end) character offsets of the decoded string
    value (for a key, of the key text). `span` is an explicit position for stages that have no
    node to point at (the loader)."""

    rule: str
    message: str
    path: Path = ()
    on_key: bool = False
    chars: Optional[tuple] = None
    span: Optional[Span] = None
    hint: Optional[str] = None
    severity: Optional["Severity"] = None
    related: tuple = ()
    fix: Optional[Fix] = None


@dataclass(frozen=True)
class Diagnostic:
    """A finding resolved to a file position, ready for a reporter."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    name: str
    severity: Severity
    message: str
    hint: Optional[str] = None
    related: tuple = field(default=(), compare=False)
    fix: Optional[Fix] = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.end_line, self.end_column, self.message)

    @property
    def start(self) -> Position:
        return Position(self.line, self.column)


@dataclass(frozen=True)
class RelatedLocation:
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
