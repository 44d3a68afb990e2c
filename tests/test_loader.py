"""The loader: positions on every node, and findings (never exceptions) for unreadable input."""

import pytest

from openjd_lint.load.tree import MapNode, Position, ScalarNode, SeqNode, to_plain
from openjd_lint.load.yaml_loader import MAX_EXPANDED_NODES, load_bytes


def rules_of(loaded):
    return [f.rule for f in loaded.findings]


def test_positions_of_keys_values_and_items():
    loaded = load_bytes(b"a: 1\nlist:\n  - x\n  - 'y z'\n", "t.yaml")
    root = loaded.root
    assert isinstance(root, MapNode)
    key = root.key_node("list")
    assert key.start == Position(2, 1) and key.end == Position(2, 5)
    items = root.get("list")
    assert isinstance(items, SeqNode)
    assert items.items[0].start == Position(3, 5) and items.items[0].end == Position(3, 6)
    quoted = items.items[1]
    assert quoted.value == "y z" and quoted.style == "'"
    assert quoted.start == Position(4, 5) and quoted.end == Position(4, 10)


def test_yaml_1_2_scalars():
    loaded = load_bytes(b"a: yes\nb: 0x1F\nc: 1.5\nd: ~\ne: true\nf: '5'\ng: on\n", "t.yaml")
    assert to_plain(loaded.root) == {"a": "yes", "b": 31, "c": 1.5, "d": None, "e": True, "f": "5", "g": "on"}


def test_syntax_error_position():
    loaded = load_bytes(b"a: 1\nb: [1, 2\nc: 3\n", "t.yaml")
    assert loaded.root is None
    (finding,) = loaded.findings
    assert finding.rule == "L001"
    assert finding.span.start.line == 3


def test_duplicate_keys_reported_with_both_places():
    loaded = load_bytes(b"a: 1\nb: 2\na: 3\n", "t.yaml")
    (finding,) = loaded.findings
    assert finding.rule == "L002"
    assert finding.span.start == Position(3, 1)
    assert finding.related[0].span.start == Position(1, 1)
    assert loaded.root.get("a").value == 1


def test_multiple_documents_empty_and_non_mapping():
    assert rules_of(load_bytes(b"a: 1\n---\nb: 2\n", "t.yaml")) == ["L003"]
    assert rules_of(load_bytes(b"# only a comment\n", "t.yaml")) == ["L004"]
    assert rules_of(load_bytes(b"", "t.yaml")) == ["L004"]
    assert rules_of(load_bytes(b"- a\n- b\n", "t.yaml")) == ["L009"]
    assert rules_of(load_bytes(b"just text\n", "t.yaml")) == ["L009"]


def test_tab_indentation():
    loaded = load_bytes(b"a:\n\tb: 1\n", "t.yaml")
    (finding,) = loaded.findings
    assert finding.rule == "L005"
    assert finding.span.start == Position(2, 1)


def test_bom_and_crlf_accepted():
    loaded = load_bytes(b"\xef\xbb\xbfa: 1\r\nb: two\r\n", "t.yaml")
    assert loaded.findings == []
    assert to_plain(loaded.root) == {"a": 1, "b": "two"}
    assert loaded.root.get("b").start == Position(2, 4)


def test_invalid_utf8_points_at_the_byte():
    loaded = load_bytes(b"a: 1\nb: caf\xe9\n", "t.yaml")
    (finding,) = loaded.findings
    assert finding.rule == "L006"
    assert finding.span.start == Position(2, 7)


def test_utf16_and_binary():
    assert rules_of(load_bytes("a: 1\n".encode("utf-16"), "t.yaml")) == ["L006"]
    assert rules_of(load_bytes(b"a: 1\x00\n", "t.yaml")) == ["L007"]


def test_alias_bomb_is_refused_without_expanding():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    loaded = load_bytes("\n".join(lines).encode(), "bomb.yaml")
    assert rules_of(loaded) == ["L008"]
    assert 10 ** 9 > MAX_EXPANDED_NODES


def test_small_aliases_are_resolved():
    loaded = load_bytes(b"base: &b {x: 1}\nother: *b\n", "t.yaml")
    assert loaded.findings == []
    assert to_plain(loaded.root) == {"base": {"x": 1}, "other": {"x": 1}}


def test_deep_nesting_is_a_finding():
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    loaded = load_bytes(text.encode(), "deep.yaml")
    assert loaded.root is None
    assert rules_of(loaded) in (["L010"], ["L001"])


@pytest.mark.parametrize("text, rule", [
    (b'{"a": 1,}', "L001"),
    (b'{"a": NaN}', "L001"),
    (b'{"a": 1, "a": 2}', "L002"),
    (b'[1]', "L009"),
])
def test_json_problems(text, rule):
    assert rules_of(load_bytes(text, "t.json", is_json=True)) == [rule]


def test_json_positions_with_tabs():
    loaded = load_bytes(b'{\n\t"name": "x",\n\t"n": 1.0\n}', "t.json", is_json=True)
    assert loaded.findings == []
    assert loaded.root.key_node("name").start == Position(2, 2)
    assert isinstance(loaded.root.get("n"), ScalarNode) and loaded.root.get("n").value == 1.0


def test_json_surrogate_pair_escapes_keep_positions():
    loaded = load_bytes(b'{"a": "x\\ud83d\\ude00y", "b": "\\ud83d\\ude00", "c": 1}', "t.json", is_json=True)
    assert loaded.findings == []
    assert loaded.root.get("a").value == "x\U0001F600y"
    assert loaded.root.get("a").end == Position(1, 23)
    assert loaded.root.get("c").start == Position(1, 51)


@pytest.mark.parametrize("nesting", ["x:\n  " + "- " * 40_000 + "x\n", "x: " + "[" * 30_000 + "]" * 30_000 + "\n",
                                     "x: " + "{a: " * 30_000 + "1" + "}" * 30_000 + "\n"])
def test_nesting_beyond_the_c_stack_is_measured_before_composing(nesting):
    loaded = load_bytes(("specificationVersion: jobtemplate-2023-09\n" + nesting).encode(), "deep.yaml")
    assert rules_of(loaded) == ["L010"]
    assert loaded.findings[0].span.start.line in (2, 3)


def test_documents_with_too_many_nodes_are_refused_before_composing():
    text = "specificationVersion: jobtemplate-2023-09\nx: [" + ",".join(["1"] * 300_000) + "]\n"
    loaded = load_bytes(text.encode(), "dense.yaml")
    assert rules_of(loaded) == ["L012"]
    assert loaded.findings[0].span.start.line == 2


def test_the_utf8_byte_order_mark_has_one_home():
    from package_modules import modules

    spelled = sorted(name for name, path in modules().items()
                     if r'b"\xef\xbb\xbf"' in open(path, encoding="utf-8").read())
    assert spelled == ["openjd_lint.load.source"]


def test_json_lone_surrogate_escapes_are_json_findings_at_their_position():
    text = b'{"a": "\\ud83d\\ude00", "name": "J\\ud800",\n "b": "\\\\ud800 \\uDC00x"}'
    loaded = load_bytes(text, "t.json", is_json=True)
    assert [(f.rule, f.span.start, f.span.end) for f in loaded.findings] == [
        ("L001", Position(1, 33), Position(1, 39)), ("L001", Position(2, 16), Position(2, 22))]
    assert "JSON string escapes a lone surrogate `\\ud800`" in loaded.findings[0].message
    assert "YAML" not in loaded.findings[0].message
