"""Offsets inside a decoded scalar map to the raw source characters that produced them."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString, SingleQuotedScalarString,
)

from openjd_lint.load.scalar_map import character_ranges, span_in_scalar
from openjd_lint.load.source import Source
from openjd_lint.load.tree import Position, ScalarNode
from openjd_lint.load.yaml_loader import load_bytes

STYLES = {
    "plain": str,
    "single": SingleQuotedScalarString,
    "double": DoubleQuotedScalarString,
    "literal": LiteralScalarString,
    "folded": FoldedScalarString,
}


def _load(text: str, is_json: bool = False):
    loaded = load_bytes(text.encode("utf-8"), "t.json" if is_json else "t.yaml", is_json=is_json)
    assert loaded.root is not None, loaded.findings
    return loaded.source, loaded.root


def _raw(source, node, start: int, end: int) -> str:
    span = span_in_scalar(source, node, start, end)
    return source.text[source.index(span.start):source.index(span.end)]


def _check_every_character(source, node) -> None:
    value = node.value
    ranges = character_ranges(source.text, node)
    assert ranges is not None, f"no exact map for {node.style!r} {value!r} in {source.text!r}"
    previous_end = -1
    for index, char in enumerate(value):
        raw = _raw(source, node, index, index + 1)
        start, end = ranges[index]
        assert start >= previous_end
        previous_end = end
        if raw == char:
            continue
        if char == "'" and raw == "''":
            continue
        if raw.startswith("\\"):
            assert YAML(typ="safe").load(f'"{raw}"') == char if raw[1] not in "\r\n" else True
            continue
        assert raw in ("\n", "\r\n", "\r") and char in (" ", "\n"), (index, char, raw)


def _dumped(value: str, style: str, key_indent: int = 0) -> str:
    yaml = YAML()
    yaml.width = 20  # force folding of long lines
    stream = io.StringIO()
    document = {"key": STYLES[style](value)}
    if key_indent:
        document = {"outer": [document]}
    yaml.dump(document, stream)
    return stream.getvalue()


def _scalar(root):
    node = root.get("key")
    if node is None:
        node = root.get("outer").items[0].get("key")
    return node


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029\ufeff"),
               max_size=60)


@pytest.mark.parametrize("style", sorted(STYLES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=TEXT, nested=st.booleans())
def test_every_character_maps_to_its_source(style, value, nested):
    try:
        text = _dumped(value, style, 2 if nested else 0)
        source, root = _load(text)
    except Exception:
        return  # ruamel cannot write this string in this style, or its C loader cannot read it back
    node = _scalar(root)
    if node.value != value:
        return  # lossy dump (e.g. block scalars and trailing spaces): positions of another string
    _check_every_character(source, node)


# Astral characters are left to the test below: the loader's YAML scanner rejects the surrogate
# pair escapes JSON writes for them.
@settings(max_examples=80, deadline=None)
@given(value=st.text(alphabet=st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",)), max_size=40))
def test_json_strings_with_escapes(value):
    text = '{"key": ' + json.dumps(value) + "}"
    source, root = _load(text, is_json=True)
    node = root.get("key")
    assert node.value == value
    _check_every_character(source, node)


@pytest.mark.parametrize("text, start, end, expected", [
    ('k: "a\\tb{{ X }}"\n', 3, 5, ((1, 9), (1, 11))),
    ("k: 'it''s {{X}}'\n", 5, 10, ((1, 11), (1, 16))),
    ("k: first\n  second {{X}}\n", 13, 18, ((2, 10), (2, 15))),
    ("k: |\n  line\n  {{X}} tail\n", 5, 10, ((3, 3), (3, 8))),
    ("k: >-\n  one\n  two {{X}}\n", 8, 13, ((3, 7), (3, 12))),
    ("k: |2\n    indented\n  {{X}}\n", 11, 16, ((3, 3), (3, 8))),
    ('k: "a\\\n   b {{X}}"\n', 3, 8, ((2, 6), (2, 11))),
    ('k: "\\u00e9\\x41 {{X}}"\n', 0, 2, ((1, 5), (1, 15))),
])
def test_known_positions(text, start, end, expected):
    source, root = _load(text)
    node = root.get("k")
    span = span_in_scalar(source, node, start, end)
    assert (span.start, span.end) == (Position(*expected[0]), Position(*expected[1]))


def test_json_surrogate_pair_escape_is_one_character():
    text = '{"key": "a\\ud83d\\ude00{{X}}"}'
    source = Source("t.json", text)
    start = text.index('"a')
    node = ScalarNode("a\U0001F600{{X}}", '"', Position(1, 1), Position(1, 1), start, text.index("}") + 3)
    assert character_ranges(text, node)[1] == (start + 2, start + 14)
    span = span_in_scalar(source, node, 2, 7)
    assert (span.start, span.end) == (Position(1, 23), Position(1, 28))


def test_offsets_past_the_end_point_after_the_last_character():
    source, root = _load('k: "ab"\n')
    span = span_in_scalar(source, root.get("k"), 5, 9)
    assert span.start == span.end == Position(1, 7)


def test_non_string_values_fall_back_to_a_shift():
    source, root = _load("k: 12\n")
    assert span_in_scalar(source, root.get("k"), 0, 1).start == Position(1, 4)
