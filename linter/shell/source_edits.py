"""Text edits inside a scalar: where characters of a decoded string value sit in the source text.

The mapping is trusted only when the piece is written verbatim in the file (no escapes, no line
folding inside it); otherwise there is no edit, never a wrong one.
"""

from __future__ import annotations

from typing import Optional

from openjd_lint.findings import Edit
from openjd_lint.load.source import Source
from openjd_lint.load.tree import ScalarNode


def source_range(source: Source, node: ScalarNode, start: int, end: int) -> Optional[tuple]:
    """The [start, end) source offsets of value[start:end], found as the same occurrence of the same
    text inside the scalar's source."""
    value = node.value
    piece = value[start:end]
    if not piece or "\n" in piece:
        return None
    occurrence = _count(value, piece, 0, start)
    raw = source.text[node.start_index:node.end_index]
    if _count(raw, piece, 0, len(raw)) != _count(value, piece, 0, len(value)):
        return None
    position = -1
    for _ in range(occurrence + 1):
        position = raw.find(piece, position + 1)
        if position == -1:
            return None
    return node.start_index + position, node.start_index + position + len(piece)


def replace_in_scalar(source: Source, node: ScalarNode, start: int, end: int, text: str) -> Optional[Edit]:
    found = source_range(source, node, start, end)
    return Edit(found[0], found[1], text) if found else None


def _count(text: str, piece: str, start: int, end: int) -> int:
    count, position = 0, text.find(piece, start)
    while position != -1 and position + len(piece) <= end:
        count += 1
        position = text.find(piece, position + 1)
    return count
