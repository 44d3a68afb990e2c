"""An optional key whose value is null (`description:` with nothing after it, `onExit: ~`) is absent, as
openjd-model and openjd-rs read it: the schema layer and every rule see the template without it.

A required key that is null is still an error: the schema layer finds it missing and, knowing it was
there empty (`Context.empty_keys`), reports it at the key. Kept as written, so that they are reported:
the values of `variables` (names the template chooses, each of which needs a value) and `allowedValues`,
whose null the reference rejects explicitly ("must contain at least one value or be omitted entirely").
"""

from __future__ import annotations

from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode

_KEPT_WHEN_NULL = frozenset({"allowedValues"})
_FREE_FORM_MAPPINGS = frozenset({"variables"})  # keys named by the template, not by the schema


def without_empty_keys(root: MapNode) -> tuple:
    """(the tree without null-valued optional keys, the document paths of the keys left out). The tree is
    `root` itself when nothing is left out; nodes shared through YAML aliases stay shared."""
    empty: list = []
    model = _strip(root, (), False, {}, empty)
    return model, frozenset(empty)


def _is_empty(key: Node, value: Node) -> bool:
    return (isinstance(value, ScalarNode) and value.value is None and isinstance(key, ScalarNode)
            and isinstance(key.value, str) and key.value not in _KEPT_WHEN_NULL)


def _strip(node: Node, path: tuple, free_form: bool, memo: dict, empty: list) -> Node:
    if isinstance(node, ScalarNode):
        return node
    done = memo.get(id(node))
    if done is not None:
        return done
    bounds = (node.start, node.end, node.start_index, node.end_index)
    if isinstance(node, SeqNode):
        items = [_strip(item, path + (index,), False, memo, empty) for index, item in enumerate(node.items)]
        stripped = node if all(new is old for new, old in zip(items, node.items)) else SeqNode(items, *bounds)
    else:
        entries = []
        for key, value in node.entries:
            if not free_form and _is_empty(key, value):
                empty.append(path + (key.value,))
                continue
            name = key.value if isinstance(key, ScalarNode) else None
            entries.append((key, _strip(value, path + (name,), name in _FREE_FORM_MAPPINGS, memo, empty)))
        unchanged = len(entries) == len(node.entries) and all(
            new is old for (_, new), (_, old) in zip(entries, node.entries))
        stripped = node if unchanged else MapNode(entries, *bounds)
    memo[id(node)] = stripped
    return stripped
