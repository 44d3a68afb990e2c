"""Between the linter's positions (1-based lines, 1-based columns counting code points, offsets
into the decoded text) and LSP positions (0-based lines, 0-based characters counted in the
negotiated encoding: UTF-16 code units unless the client asked for UTF-8 bytes or UTF-32)."""

from __future__ import annotations

from openjd_lint.load.source import Source
from openjd_lint.load.tree import Position

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _units(char: str, encoding: str) -> int:
    if encoding == UTF32:
        return 1
    code = ord(char)
    if encoding == UTF16:
        return 2 if code > 0xFFFF else 1
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def units_before(line_text: str, index: int, encoding: str = UTF16) -> int:
    """How many units the first `index` code points of a line take. Past the end of the line
    (a position just after the last character) every further column counts as one unit."""
    prefix = line_text[:index]
    if encoding == UTF32 or prefix.isascii():
        return index
    return sum(_units(char, encoding) for char in prefix) + max(0, index - len(line_text))


def index_at_units(line_text: str, units: int, encoding: str = UTF16) -> int:
    """The code-point index of the character that starts at `units`; a position inside a
    character (half of a surrogate pair) moves to that character's start."""
    if encoding == UTF32 or line_text.isascii():
        return min(units, len(line_text))
    counted = 0
    for index, char in enumerate(line_text):
        width = _units(char, encoding)
        if counted + width > units:
            return index
        counted += width
    return len(line_text)


def to_lsp(source: Source, position: Position, encoding: str = UTF16) -> tuple:
    """(line, character) of a 1-based linter position."""
    line_text = source.line_text(position.line)
    return position.line - 1, units_before(line_text, position.column - 1, encoding)


def offset_to_lsp(source: Source, offset: int, encoding: str = UTF16) -> tuple:
    return to_lsp(source, source.position(offset), encoding)


def lsp_to_offset(source: Source, line: int, character: int, encoding: str = UTF16) -> int:
    """The offset into the text of a 0-based LSP position (clamped to the text)."""
    if line >= source.line_count:
        return len(source.text)
    column = index_at_units(source.line_text(line + 1), character, encoding)
    return source.index(Position(line + 1, column + 1))
