"""YAML 1.2 and JSON into the positioned tree (`openjd_lint.load.tree`), reporting, never raising.

libyaml, through ruamel.yaml.clib, parses and composes: a node graph with start/end marks that keeps
duplicate keys, several times faster than ruamel's round-trip loader (design-notes.md). JSON goes
through the same composer (JSON is YAML 1.2 flow syntax) after Python's strict JSON decoder has
checked it.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from _ruamel_yaml import CParser
from ruamel.yaml import events as yevents, nodes as ynodes
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from openjd_lint.findings import Finding, Related
from openjd_lint.load import numerals
from openjd_lint.load.source import Source, without_bom
from openjd_lint.load.tree import MapNode, Node, Position, ScalarNode, SeqNode, Span

MAX_DEPTH = 200
MAX_NODES = 200_000
MAX_EXPANDED_NODES = 1_000_000

_IMPLICIT = "?"  # the tag of a plain scalar without an explicit tag; _scalar_value resolves it
_STR = "tag:yaml.org,2002:str"


class _DeferredResolver:
    """Leaves implicit tags to `_scalar_value` (the YAML 1.2 core schema): ruamel's own resolver runs a
    Python regex cascade per scalar, which costs more than composing the whole document in C."""

    def __init__(self, version=None, loadumper=None):
        pass

    def descend_resolver(self, *args):
        pass

    def ascend_resolver(self, *args):
        pass

    def resolve(self, kind, value, implicit):
        if kind is ynodes.ScalarNode:
            return _IMPLICIT if implicit[0] else _STR
        return "tag:yaml.org,2002:seq" if kind is ynodes.SequenceNode else "tag:yaml.org,2002:map"


class _Composer(CParser, _DeferredResolver):
    """libyaml's parser and composer (ruamel.yaml.clib) with our resolver, built once: `YAML.compose_all`
    would define a new loader class and grow its per-call bookkeeping on every document."""

    def __init__(self, text: str):
        CParser.__init__(self, text)


def _documents(text: str) -> list:
    composer = _Composer(text)
    try:
        documents = []
        while composer.check_node():
            documents.append(composer.get_node())
        return documents
    finally:
        composer.dispose()


def _events(text: str):
    composer = _Composer(text)
    try:
        while composer.check_event():
            yield composer.get_event()
    finally:
        composer.dispose()

_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?(0o_*[0-7][0-7_]*|0x_*[0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*)")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


@dataclass
class Loaded:
    source: Optional[Source]
    root: Optional[Node]
    findings: list = field(default_factory=list)


def load_bytes(data: bytes, name: str, is_json: bool = False) -> Loaded:
    text, problem = _decode(data)
    if problem is not None:
        return Loaded(None, None, [problem])
    source = Source(name, text)
    if is_json:
        problem = _check_json(source)
        if problem is not None:
            return Loaded(source, None, [problem])
        # Tabs can only appear between JSON tokens (never raw inside strings), where they are
        # whitespace; as spaces they keep every offset and suit the YAML scanner.
        text, shifts = _join_surrogate_escapes(text.replace("\t", " "))
        lone = _lone_surrogate_escapes(source, text, shifts)
        if lone:
            return Loaded(source, None, lone)
        return _compose(source, text, shifts)
    return _compose(source, text)


def _decode(data: bytes) -> tuple[str, Optional[Finding]]:
    start = Span(Position(1, 1), Position(1, 2))
    for bom, encoding in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                          (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(bom):
            return "", Finding("L006", f"the file is {encoding}-encoded; OpenJD templates must be UTF-8",
                               span=start, hint="re-save the file as UTF-8")
    data = without_bom(data)
    nul = data.find(b"\x00")
    if nul != -1:
        return "", Finding("L007", "the file contains NUL bytes: it is binary, not a template",
                           span=_byte_span(data, nul))
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return "", Finding("L006", f"invalid UTF-8 (byte 0x{data[error.start]:02x}); OpenJD templates must be UTF-8",
                           span=_byte_span(data, error.start), hint="re-save the file as UTF-8")


def _byte_span(data: bytes, offset: int) -> Span:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    position = Position(data.count(b"\n", 0, offset) + 1, column)
    return Span(position, Position(position.line, column + 1))


def _check_json(source: Source) -> Optional[Finding]:
    def reject_constant(name):
        raise ValueError(f"{name} is not valid JSON")

    try:
        json.loads(source.text, parse_constant=reject_constant, parse_int=str)  # the YAML loader converts (L013)
    except json.JSONDecodeError as error:
        position = source.position(error.pos)
        return Finding("L001", f"JSON syntax error: {error.msg}",
                       span=Span(position, Position(position.line, position.column + 1)))
    except (ValueError, RecursionError) as error:
        message = "the document is nested too deeply" if isinstance(error, RecursionError) else str(error)
        return Finding("L001", f"JSON syntax error: {message}", span=Span(Position(1, 1), Position(1, 2)))
    return None


_SURROGATE_PAIR_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def _join_surrogate_escapes(text: str) -> tuple[str, list]:
    """JSON spells a non-BMP character as two `\\uXXXX` escapes; YAML rejects those, so they become one
    `\\UXXXXXXXX` escape. Each rewrite shortens the text by two characters: `shifts` records where, so
    positions can be mapped back to the original text."""
    shifts: list[int] = []

    def join(match: re.Match) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        shifts.append(match.end() - 2 * (len(shifts) + 1))
        return f"{match.group(1)}\\U{code:08x}"

    return _SURROGATE_PAIR_RE.sub(join, text), shifts


_LONE_SURROGATE_RE = re.compile(r"(?<!\\)(?:\\\\)*(\\u(d[89a-f][0-9a-f]{2}))", re.IGNORECASE)


def _lone_surrogate_escapes(source: Source, text: str, shifts: list) -> list:
    """A `\\uD800`-`\\uDFFF` escape left after joining the pairs is half a character: Python's JSON decoder
    accepts it, but the string cannot be written as UTF-8 (RFC 8259 calls its meaning unpredictable)."""
    findings = []
    for match in _LONE_SURROGATE_RE.finditer(text):
        position = source.position(match.start(1) + 2 * bisect_right(shifts, match.start(1)))
        findings.append(Finding(
            "L001", f"JSON string escapes a lone surrogate `{match[1]}`, which is half of a character",
            span=Span(position, Position(position.line, position.column + len(match[1]))),
            hint="write the character itself, or escape a character beyond U+FFFF as a pair (`\\ud83d\\ude00`)"))
    return findings


def _compose(source: Source, text: str, shifts: Optional[list] = None) -> Loaded:
    loaded = Loaded(source, None)
    try:
        refusal = _refusal(text)
        if refusal is not None:
            rule, index, message = refusal
            position = source.position(index + 2 * bisect_right(shifts or [], index))
            loaded.findings.append(Finding(rule, message, span=Span(position, Position(position.line, position.column + 1))))
            return loaded
        documents = _documents(text)
    except MarkedYAMLError as error:
        loaded.findings.append(_syntax_finding(source, error))
        return loaded
    except (YAMLError, RecursionError, ValueError) as error:
        loaded.findings.append(Finding("L001", f"YAML error: {error}", span=Span(Position(1, 1), Position(1, 2))))
        return loaded
    documents = [d for d in documents if d is not None]
    if not documents:
        loaded.findings.append(Finding("L004", "the document is empty", span=Span(Position(1, 1), Position(1, 1))))
        return loaded
    for extra in documents[1:]:
        position = source.position(extra.start_mark.index)
        loaded.findings.append(Finding(
            "L003", "the file holds more than one YAML document; a template is a single document",
            span=Span(position, Position(position.line, position.column + 3)),
            hint="split the documents into separate files"))
    first = documents[0]
    converter = _Converter(source, shifts or [])
    root = converter.convert(first, 0)
    loaded.findings.extend(converter.findings)
    if converter.too_deep:
        return loaded
    if converter.saw_alias and _expanded_size(first) > MAX_EXPANDED_NODES:
        loaded.findings.append(Finding(
            "L008", f"aliases expand the document to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb?)",
            span=Span(root.start, Position(root.start.line, root.start.column + 1))))
        return loaded
    if not isinstance(root, MapNode):
        kind = "a list" if isinstance(root, SeqNode) else "a scalar"
        loaded.findings.append(Finding("L009", f"the document root is {kind}; a template is a mapping",
                                       span=root.span))
        return loaded
    loaded.root = root
    return loaded


def _refusal(text: str) -> Optional[tuple]:
    """(rule, index, message) when the document is nested deeper than MAX_DEPTH or holds more than
    MAX_NODES nodes, else None. Both are measured on the (iterative) event stream before composing:
    ruamel.yaml's C composer recurses once per level and overflows the C stack tens of thousands of
    levels deep, and composing half a million nodes takes seconds. The walk is skipped when cheap
    upper bounds rule both out (every node but an empty scalar takes at least one character)."""
    if _depth_bound(text) <= MAX_DEPTH and 2 * len(text) <= MAX_NODES:
        return None
    depth = nodes = 0
    for event in _events(text):
        if isinstance(event, (yevents.MappingStartEvent, yevents.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return "L010", event.start_mark.index, f"the document is nested more than {MAX_DEPTH} levels deep"
        elif isinstance(event, (yevents.MappingEndEvent, yevents.SequenceEndEvent)):
            depth -= 1
            continue
        elif not isinstance(event, yevents.ScalarEvent):
            continue
        nodes += 1
        if nodes > MAX_NODES:
            return "L012", event.start_mark.index, f"the document holds more than {MAX_NODES:,} nodes"
    return None


def _depth_bound(text: str) -> int:
    """An upper bound on the nesting depth: every level opens a flow bracket, starts a compact
    `- ` item, or is indented further than its parent (a block sequence may share its parent
    mapping's indentation, hence the factor of two)."""
    deepest_indent = most_dashes = 0
    for line in text.split("\n"):
        deepest_indent = max(deepest_indent, len(line) - len(line.lstrip(" ")))
        most_dashes = max(most_dashes, line.count("- "))
    return text.count("[") + text.count("{") + 2 * (deepest_indent + most_dashes + 1)


def _syntax_finding(source: Source, error: MarkedYAMLError) -> Finding:
    mark = error.problem_mark or error.context_mark
    index = mark.index if mark is not None else 0
    position = source.position(index)
    problem = error.problem or "syntax error"
    message = f"YAML syntax error: {problem}"
    if error.context and error.context_mark is not None:
        context_position = source.position(error.context_mark.index)
        message += f" ({error.context} at line {context_position.line})"
    line = source.line_text(position.line)
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indentation or (position.column <= len(line) and line[position.column - 1: position.column] == "\t"):
        tab = line.index("\t") + 1
        return Finding("L005", "a tab is used for indentation; YAML indents with spaces only",
                       span=Span(Position(position.line, tab), Position(position.line, tab + 1)),
                       hint="replace the tab with spaces")
    return Finding("L001", message, span=Span(position, Position(position.line, position.column + 1)))


def _expanded_size(root: ynodes.Node) -> int:
    """Nodes the tree has once aliases are expanded, computed on the shared graph."""
    sizes: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            total = 1
            for child in children:
                total += sizes.get(id(child), 1)
                if total > MAX_EXPANDED_NODES:
                    break
            sizes[key] = total
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: ynodes.Node) -> list:
    if isinstance(node, ynodes.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, ynodes.SequenceNode):
        return list(node.value)
    return []


class _Converter:
    def __init__(self, source: Source, shifts: list):
        self.source = source
        self._shifts = shifts
        self.findings: list[Finding] = []
        self.too_deep = False
        self.saw_alias = False
        self._memo: dict[int, Node] = {}

    def convert(self, node: ynodes.Node, depth: int) -> Node:
        cached = self._memo.get(id(node))
        if cached is not None:
            self.saw_alias = True
            return cached
        marks = self._marks(node)
        if depth > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.findings.append(Finding("L010", f"the document is nested more than {MAX_DEPTH} levels deep",
                                             span=Span(marks[0], Position(marks[0].line, marks[0].column + 1))))
            return ScalarNode(None, None, *marks)
        if isinstance(node, ynodes.ScalarNode):
            try:
                value = _scalar_value(node)
            except _TooLong as too_long:
                value = node.value
                self.findings.append(Finding(
                    "L013", f"an integer of {too_long.digits:,} digits is longer than any template value can be "
                    f"(OpenJD integers are 64-bit, and more than {numerals.MAX_DIGITS:,} digits are not converted)",
                    span=Span(marks[0], marks[1]), hint="quote it if it is text; otherwise use a smaller number"))
            result: Node = ScalarNode(value, node.style or None, *marks)
        elif isinstance(node, ynodes.SequenceNode):
            result = SeqNode([self.convert(item, depth + 1) for item in node.value], *marks)
        else:
            entries = [(self.convert(k, depth + 1), self.convert(v, depth + 1)) for k, v in node.value]
            result = MapNode(entries, *marks)
            self._report_duplicates(result)
        self._memo[id(node)] = result
        return result

    def _marks(self, node: ynodes.Node) -> tuple:
        start, end = node.start_mark, node.end_mark
        if self._shifts:
            start_index, end_index = self._original(start.index), self._original(end.index)
            return (self.source.position(start_index), self.source.position(end_index), start_index, end_index)
        return (Position(start.line + 1, start.column + 1), Position(end.line + 1, end.column + 1),
                start.index, end.index)

    def _original(self, index: int) -> int:
        """An index of the composed text as an index of the source text (see _join_surrogate_escapes)."""
        return index + 2 * bisect_right(self._shifts, index) if self._shifts else index

    def _report_duplicates(self, mapping: MapNode) -> None:
        seen: dict = {}
        for key, _ in mapping.entries:
            if not isinstance(key, ScalarNode):
                continue
            try:
                first = seen.setdefault(key.value, key)
            except TypeError:
                continue
            if first is not key:
                self.findings.append(Finding(
                    "L002",
                    f"duplicate key {key.value!r}: first defined at line {first.start.line}, column {first.start.column}",
                    span=key.span, hint="remove one of the two entries",
                    related=(Related("first definition", span=first.span),)))


def _scalar_value(node: ynodes.ScalarNode):
    """The YAML 1.2 core-schema value of a scalar (underscores in numbers accepted, as PyYAML and
    ruamel.yaml do)."""
    value, tag = node.value, node.ctag  # ctag: the Tag object; rendering it as text is slow
    if tag.handle is not None or tag.suffix != _IMPLICIT:
        return value if tag.suffix == _STR else _explicitly_tagged(value, node.tag)
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT_RE.fullmatch(value):
        return _integer(value.replace("_", ""))
    if _FLOAT_RE.fullmatch(value):
        return float(value.replace("_", ""))
    special = _SPECIAL_FLOATS.get(value.lower())
    return special if special is not None else value


class _TooLong(Exception):
    def __init__(self, digits: int):
        self.digits = digits


def _integer(text: str) -> int:
    """A decimal, 0x or 0o integer; a decimal of leading zeros (`010`) is ten, as YAML 1.2 says."""
    sign, unsigned = (text[:1], text[1:]) if text[:1] in "+-" else ("", text)
    if unsigned[:2] in ("0x", "0o"):
        return int(text, 0)  # powers of two convert in linear time, whatever the length
    if numerals.is_too_long(unsigned):
        raise _TooLong(len(unsigned))
    return int(sign + (unsigned.lstrip("0") or "0"), 10)  # int() counts leading zeros against its limit


def _explicitly_tagged(value: str, tag: str):
    for suffix, convert in ((":int", _integer), (":float", float)):
        if tag.endswith(suffix):
            try:
                return convert(value.replace("_", ""))
            except ValueError:
                return value
    if tag.endswith(":bool") and value in _BOOL:
        return _BOOL[value]
    if tag.endswith(":null"):
        return None
    return value
