"""Map character offsets inside a decoded scalar back to positions in the file."""

from __future__ import annotations

from openjd_lint.load.source import Source
from openjd_lint.load.tree import ScalarNode, Span


def span_in_scalar(source: Source, node: ScalarNode, start: int, end: int) -> Span:
    """The file span of characters [start, end) of the node's decoded string."""
    offset = node.start_index + (1 if node.style in ("'", '"') else 0)
    first = source.position(min(offset + start, node.end_index))
    last = source.position(min(offset + max(end, start), node.end_index))
    return Span(first, last)
