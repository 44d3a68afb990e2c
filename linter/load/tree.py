"""The document tree: every mapping key, value and sequence item knows where it is in the file.

Lines and columns are 1-based; `end` is exclusive (the position just after the last character), the
convention SARIF and LSP use. `start_index`/`end_index` are offsets into the decoded source text, so
later stages can map an offset inside a scalar back to a position (see `openjd_lint.load.scalar_map`).
"""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple, Optional, Union

PathElement = Union[str, int]
Path = tuple  # tuple[PathElement, ...]


class Position(NamedTuple):
    line: int
    column: int


class Span(NamedTuple):
    start: Position
    end: Position


class Node:
    __slots__ = ("start", "end", "start_index", "end_index")

    def __init__(self, start: Position, end: Position, start_index: int, end_index: int):
        self.start = start
        self.end = end
        self.start_index = start_index
        self.end_index = end_index

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


class ScalarNode(Node):
    """A scalar. `value` is the typed Python value; `style` is None (plain), `'`, `"`, `|` or `>`."""

    __slots__ = ("value", "style")

    def __init__(self, value: Any, style: Optional[str], *args):
        super().__init__(*args)
        self.value = value
        self.style = style

    def __repr__(self) -> str:
        return f"ScalarNode({self.value!r} @{self.start.line}:{self.start.column})"


class MapNode(Node):
    """A mapping. `entries` keeps every pair in source order, duplicates included; lookups see the
    first occurrence (the duplicate itself is a finding of its own)."""

    __slots__ = ("entries", "_index")

    def __init__(self, entries: list, *args):
        super().__init__(*args)
        self.entries: list[tuple[ScalarNode, Node]] = entries
        self._index: dict = {}
        for key, value in entries:
            self._index.setdefault(_hashable(key), (key, value))

    def get(self, key: Any) -> Optional[Node]:
        pair = self._index.get(key)
        return pair[1] if pair else None

    def key_node(self, key: Any) -> Optional[ScalarNode]:
        pair = self._index.get(key)
        return pair[0] if pair else None

    def __contains__(self, key: Any) -> bool:
        return key in self._index

    def keys(self) -> Iterator[Any]:
        return iter(self._index)

    def items(self) -> Iterator[tuple[Any, Node]]:
        for key, (_, value) in self._index.items():
            yield key, value

    def __repr__(self) -> str:
        return f"MapNode({len(self.entries)} entries @{self.start.line}:{self.start.column})"


class SeqNode(Node):
    __slots__ = ("items",)

    def __init__(self, items: list, *args):
        super().__init__(*args)
        self.items: list[Node] = items

    def __repr__(self) -> str:
        return f"SeqNode({len(self.items)} items @{self.start.line}:{self.start.column})"


def _hashable(key: Node) -> Any:
    if isinstance(key, ScalarNode):
        value = key.value
        try:
            hash(value)
        except TypeError:
            return ("unhashable", key.start_index)
        return value
    return ("complex-key", key.start_index)


def to_plain(node: Node, _memo: Optional[dict] = None) -> Any:
    """The JSON-like value of a node (mappings keep the first occurrence of a duplicate key).

    Nodes shared through YAML aliases become shared values, so the cost stays linear in the
    document's size rather than in its expanded size."""
    memo = {} if _memo is None else _memo
    if isinstance(node, ScalarNode):
        return node.value
    cached = memo.get(id(node))
    if cached is not None:
        return cached
    if isinstance(node, SeqNode):
        result: Any = [to_plain(item, memo) for item in node.items]
    else:
        result = {}
        for key, value in node.items():
            result.setdefault(key if isinstance(key, str) else _key_text(key), to_plain(value, memo))
    memo[id(node)] = result
    return result


def _key_text(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def node_at(root: Node, path: Path) -> tuple[Optional[Node], Optional[Node], Path]:
    """Follow `path` from `root`. Returns (node, key node of its last step or None, resolved prefix).

    When the path leaves the tree the deepest existing node is returned with the prefix that
    reached it, so a finding about a missing key can still point at its parent."""
    node, key_node, walked = root, None, ()
    for element in path:
        if isinstance(node, MapNode):
            child = node.get(element)
            if child is None:
                return node, key_node, walked
            key_node = node.key_node(element)
            node = child
        elif isinstance(node, SeqNode) and isinstance(element, int) and 0 <= element < len(node.items):
            node, key_node = node.items[element], None
        else:
            return node, key_node, walked
        walked = walked + (element,)
    return node, key_node, walked
