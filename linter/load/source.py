"""The decoded text of a file and conversions between offsets and 1-based positions."""

from __future__ import annotations

from bisect import bisect_right

from openjd_lint.load.tree import Position

UTF8_BOM = b"\xef\xbb\xbf"


def without_bom(data: bytes) -> bytes:
    """The bytes after a UTF-8 byte order mark, which the decoded text does not hold."""
    return data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data


class Source:
    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        starts = [0]
        index = text.find("\n")
        while index != -1:
            starts.append(index + 1)
            index = text.find("\n", index + 1)
        self._line_starts = starts

    def position(self, index: int) -> Position:
        """1-based line and column of the character at `index` (columns count code points)."""
        index = max(0, min(index, len(self.text)))
        line = bisect_right(self._line_starts, index) - 1
        return Position(line + 1, index - self._line_starts[line] + 1)

    def index(self, position: Position) -> int:
        line = min(max(position.line, 1), len(self._line_starts)) - 1
        return self._line_starts[line] + position.column - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line break."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)
