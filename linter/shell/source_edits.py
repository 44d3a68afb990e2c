"""Text edits inside a scalar: where characters of a decoded string value sit in the source text.

The mapping is trusted only when the piece is written verbatim in the file (no escapes, no line
folding inside it); otherwise there is no edit, never a wrong one.
"""

from __future__ import annotations

from typing import Optional

from openjd_lint.findings import Edit
from openjd_lint.load.scalar_map import character_ranges
from openjd_lint.load.source import Source
from openjd_lint.load.tree import ScalarNode


def source_range(source: Source, node: ScalarNode, start: int, end: int) -> Optional[tuple]:
    """The [start, end) source offsets of value[start:end], when the source holds exactly that text
    there (the scalar decoded once, see `openjd_lint.load.scalar_map`)."""
    piece = node.value[start:end]
    if not piece or "\n" in piece:
        return None
    ranges = character_ranges(source.text, node)
    if ranges is None or end > len(ranges):
        return None
    raw_start, raw_end = ranges[start][0], ranges[end - 1][1]
    return (raw_start, raw_end) if source.text[raw_start:raw_end] == piece else None


def replace_in_scalar(source: Source, node: ScalarNode, start: int, end: int, text: str) -> Optional[Edit]:
    found = source_range(source, node, start, end)
    return Edit(found[0], found[1], text) if found else None
