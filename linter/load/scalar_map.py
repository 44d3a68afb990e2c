"""Map character offsets inside a decoded scalar back to positions in the file.

The raw source between the node's marks is scanned again the way the YAML scanner (libyaml, under
ruamel's C loader) decodes it: quotes, escapes, line folding, block indentation and chomping. Each
decoded character remembers the raw range that produced it (an escape such as `\\x41` or a folded
line break covers several raw characters). The rebuilt string is compared with the node's value;
should they ever differ, offsets fall back to a plain shift from the start of the scalar.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from openjd_lint.load.source import Source
from openjd_lint.load.tree import ScalarNode, Span

_BLANKS = " \t"
_BREAK_STARTS = "\r\n\x85\u2028\u2029"
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "'": "'", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}

Ranges = list  # list[tuple[int, int]]: raw [start, end) per decoded character


def span_in_scalar(source: Source, node: ScalarNode, start: int, end: int) -> Span:
    """The file span of characters [start, end) of the node's decoded string."""
    ranges = character_ranges(source.text, node)
    if ranges is None:
        offset = node.start_index + (1 if node.style in ("'", '"') else 0)
        first = source.position(min(offset + start, node.end_index))
        last = source.position(min(offset + max(end, start), node.end_index))
        return Span(first, last)
    count = len(ranges)
    first_char = min(max(start, 0), count)
    end_char = min(max(end, first_char), count)
    if first_char < count:
        first_raw = ranges[first_char][0]
    else:
        first_raw = ranges[-1][1] if ranges else _content_start(node)
    last_raw = ranges[end_char - 1][1] if end_char > first_char else first_raw
    return Span(source.position(first_raw), source.position(last_raw))


@lru_cache(maxsize=64)
def character_ranges(text: str, node: ScalarNode) -> Optional[Ranges]:
    """Raw [start, end) for every character of the node's string value, or None when the value is
    not a string or the source does not decode to it. Cached: a long scalar with many findings is
    decoded once, not once per finding."""
    value = node.value
    if not isinstance(value, str):
        return None
    try:
        if node.style in ("|", ">"):
            return _block_scalar(text, node, value)
        decoded = _flow_scalar(text, node)
    except (IndexError, ValueError):
        return None
    if decoded is None:
        return None
    chars, ranges = decoded
    return ranges if "".join(chars) == value else None


def _content_start(node: ScalarNode) -> int:
    return node.start_index + (1 if node.style in ("'", '"') else 0)


def _break_at(text: str, index: int) -> int:
    """Length of the line break at `index` (0 when there is none)."""
    if index >= len(text):
        return 0
    char = text[index]
    if char == "\r" and text[index + 1:index + 2] == "\n":
        return 2
    return 1 if char in _BREAK_STARTS else 0


def _break_value(text: str, index: int) -> str:
    char = text[index]
    return char if char in "\u2028\u2029" else "\n"


def _flow_scalar(text: str, node: ScalarNode):
    """Plain, single- and double-quoted scalars: line folding as libyaml's flow-scalar scanners."""
    style = node.style
    single, double = style == "'", style == '"'
    position = _content_start(node)
    end = node.end_index - (1 if single or double else 0)
    chars: list[str] = []
    ranges: Ranges = []

    def emit(char: str, start: int, stop: int) -> None:
        chars.append(char)
        ranges.append((start, stop))

    while position < end:
        leading_blanks = False
        leading_break: Optional[tuple] = None
        while position < end and text[position] not in _BLANKS and not _break_at(text, position):
            char = text[position]
            if single and char == "'" and text[position + 1] == "'":
                emit("'", position, position + 2)
                position += 2
            elif double and char == "\\":
                following = _break_at(text, position + 1)
                if following:
                    position += 1 + following
                    leading_blanks, leading_break = True, ()
                    break
                position = _escape(text, position, emit)
            else:
                emit(char, position, position + 1)
                position += 1
        whitespace: list[int] = []
        trailing_breaks: list[tuple] = []
        while position < end:
            if text[position] in _BLANKS:
                if not leading_blanks:
                    whitespace.append(position)
                position += 1
                continue
            length = _break_at(text, position)
            if not length:
                break
            if leading_blanks:
                trailing_breaks.append((position, position + length))
            else:
                whitespace.clear()
                leading_blanks, leading_break = True, (position, position + length)
            position += length
        if leading_blanks:
            _fold(text, leading_break, trailing_breaks, emit)
        else:
            for index in whitespace:
                emit(text[index], index, index + 1)
    return chars, ranges


def _fold(text: str, leading_break: tuple, trailing_breaks: list, emit) -> None:
    if leading_break and _break_value(text, leading_break[0]) == "\n":
        if not trailing_breaks:
            emit(" ", *leading_break)
    elif leading_break:
        emit(_break_value(text, leading_break[0]), *leading_break)
    for start, stop in trailing_breaks:
        emit(_break_value(text, start), start, stop)


def _escape(text: str, position: int, emit) -> int:
    """Decode the escape at `position` (a backslash); returns the index after it."""
    code = text[position + 1]
    if code in _ESCAPES:
        emit(_ESCAPES[code], position, position + 2)
        return position + 2
    width = _HEX_ESCAPES[code]  # KeyError cannot happen: the loader accepted the scalar
    stop = position + 2 + width
    value = int(text[position + 2:stop], 16)
    if 0xD800 <= value < 0xDC00 and text[stop:stop + 2] == "\\u":
        low = int(text[stop + 2:stop + 6], 16)
        if 0xDC00 <= low < 0xE000:
            emit(chr(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)), position, stop + 6)
            return stop + 6
    emit(chr(value), position, stop)
    return stop


def _block_scalar(text: str, node: ScalarNode, value: str) -> Optional[Ranges]:
    header_end, chomping, increment = _block_header(text, node.start_index)
    if increment is None:
        decoded = _block_body(text, header_end, None, node.style == ">", chomping)
        return decoded[1] if decoded and "".join(decoded[0]) == value else None
    # An explicit indentation indicator counts from the parent node's indentation, which the
    # node does not record: try the possible indents and keep the one that reproduces the value.
    for indent in range(increment, increment + 200):
        decoded = _block_body(text, header_end, indent, node.style == ">", chomping)
        if decoded and "".join(decoded[0]) == value:
            return decoded[1]
    return None


def _block_header(text: str, position: int) -> tuple:
    position += 1
    chomping, increment = 0, None
    for _ in range(2):
        char = text[position:position + 1]
        if char in ("+", "-"):
            chomping = 1 if char == "+" else -1
            position += 1
        elif char.isdigit():
            increment = int(char)
            position += 1
    while position < len(text) and not _break_at(text, position):
        position += 1
    return position + _break_at(text, position), chomping, increment


def _block_body(text: str, position: int, indent: Optional[int], folded: bool, chomping: int):
    chars: list[str] = []
    ranges: Ranges = []

    def emit(char: str, start: int, stop: int) -> None:
        chars.append(char)
        ranges.append((start, stop))

    line_start = position
    position, indent, trailing_breaks, line_start = _block_breaks(text, position, line_start, indent)
    leading_break: Optional[tuple] = None
    leading_blank = False
    while position < len(text) and position - line_start == indent:
        trailing_blank = text[position] in _BLANKS
        if folded and leading_break and not leading_blank and not trailing_blank \
                and _break_value(text, leading_break[0]) == "\n":
            if not trailing_breaks:
                emit(" ", *leading_break)
        elif leading_break:
            emit(_break_value(text, leading_break[0]), *leading_break)
        leading_break = None
        for start, stop in trailing_breaks:
            emit(_break_value(text, start), start, stop)
        leading_blank = text[position] in _BLANKS
        while position < len(text) and not _break_at(text, position):
            emit(text[position], position, position + 1)
            position += 1
        if position >= len(text):
            break
        length = _break_at(text, position)
        leading_break = (position, position + length)
        position += length
        line_start = position
        position, _, trailing_breaks, line_start = _block_breaks(text, position, line_start, indent)
    if chomping != -1 and leading_break:
        emit(_break_value(text, leading_break[0]), *leading_break)
    if chomping == 1:
        for start, stop in trailing_breaks:
            emit(_break_value(text, start), start, stop)
    return chars, ranges


def _block_breaks(text: str, position: int, line_start: int, indent: Optional[int]) -> tuple:
    """Skip indentation and empty lines; with no indent yet, detect it (libyaml's rules)."""
    breaks: list[tuple] = []
    max_indent = 0
    while True:
        while (indent is None or position - line_start < indent) and text[position:position + 1] == " ":
            position += 1
        max_indent = max(max_indent, position - line_start)
        length = _break_at(text, position)
        if not length:
            break
        breaks.append((position, position + length))
        position += length
        line_start = position
    if indent is None:
        indent = max(max_indent, 1)
    return position, indent, breaks, line_start
