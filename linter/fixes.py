"""Applying fixes: choose non-overlapping edits, apply them, lint again, repeat until stable; show the
result as a unified diff or replace the file atomically.

Edits are offsets into the decoded source text, so line endings the edit does not touch stay as they
were, and a UTF-8 byte order mark is put back when the file is written. A file that does not parse is
never changed, and neither is a round of fixes that would make it stop parsing.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass
from typing import Callable, Optional

from openjd_lint.discover import tidy
from openjd_lint.findings import Edit, Fix
from openjd_lint.load.source import UTF8_BOM, Source
from openjd_lint.load.tree import SeqNode

MAX_ROUNDS = 10


@dataclass
class Fixed:
    text: str  # the final text (unchanged when nothing applied)
    applied: int  # how many fixes were applied over all rounds
    result: object  # the lint result of the final text (openjd_lint.pipeline.FileResult)
    rules: tuple = ()  # the rule id of each applied fix, in the order applied


def is_applicable(fix: Optional[Fix], unsafe: bool) -> bool:
    return fix is not None and bool(fix.edits) and (fix.safe or unsafe)


def fix_text(text: str, result, lint: Callable[[str], object], unsafe: bool) -> Fixed:
    """Apply the applicable fixes of `result` (the FileResult of `text`), lint the new text with `lint`
    (text -> FileResult) and repeat until nothing applies or MAX_ROUNDS rounds have run."""
    rules: list = []
    if result.context is None:
        return Fixed(text, 0, result)
    for _ in range(MAX_ROUNDS):
        fixable = [d for d in result.diagnostics if is_applicable(d.fix, unsafe)]
        chosen = [fixable[i] for i in choose([d.fix for d in fixable])]
        new_text = apply_edits(text, [edit for d in chosen for edit in d.fix.edits])
        if not chosen or new_text == text:
            break
        new_result = lint(new_text)
        if new_result.context is None:
            break
        text, result = new_text, new_result
        rules += [d.rule for d in chosen]
    return Fixed(text, len(rules), result, tuple(rules))


def apply_fixes(text: str, fixes: list) -> tuple:
    """Apply every fix whose edits overlap no edit of an earlier fix; returns (text, fixes applied)."""
    chosen = choose(fixes)
    return apply_edits(text, [edit for i in chosen for edit in fixes[i].edits]), len(chosen)


def choose(fixes: list) -> list:
    """The indices of the fixes whose edits overlap no edit of an earlier chosen fix. Two insertions at
    the same offset count as overlapping (their order would be arbitrary)."""
    taken: list = []
    chosen = []
    for index, fix in enumerate(fixes):
        edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
        if any(_overlap(edit, other) for edit in edits for other in taken) or _self_overlapping(edits):
            continue
        taken.extend(edits)
        chosen.append(index)
    return chosen


def apply_edits(text: str, edits: list) -> str:
    """Apply non-overlapping edits; the line breaks they insert are the text's own (CRLF in a CRLF file)."""
    crlf = _uses_crlf(text)
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        inserted = _BARE_LF.sub("\r\n", edit.text) if crlf else edit.text
        text = text[:edit.start] + inserted + text[edit.end:]
    return text


_BARE_LF = re.compile(r"(?<!\r)\n")


def _uses_crlf(text: str) -> bool:
    """Whether most of the text's lines end in CRLF."""
    crlf = text.count("\r\n")
    return crlf > 0 and crlf >= text.count("\n") - crlf


def _overlap(a: Edit, b: Edit) -> bool:
    return a.start == b.start or (a.start < b.end and b.start < a.end)


def _self_overlapping(edits: list) -> bool:
    return any(_overlap(a, b) for a, b in zip(edits, edits[1:]))


def encode(text: str, original: bytes) -> bytes:
    return (UTF8_BOM if original.startswith(UTF8_BOM) else b"") + text.encode("utf-8")


def unified_diff(name: str, before: str, after: str) -> str:
    name = tidy(name).lstrip("/")
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


class ChangedMeanwhile(Exception):
    """The file is no longer what was linted: it is left alone."""


def write_atomically(path: str, data: bytes, expected: Optional[bytes] = None) -> None:
    """Replace the file's content through a temporary file in the same directory and os.replace, so a
    reader never sees half a file; the permissions are kept and a symbolic link stays a link. With
    `expected`, the file must still hold exactly those bytes just before it is replaced (ChangedMeanwhile
    otherwise), so an edit made while the run went on is never lost. Only a regular file is replaced
    (OSError otherwise, as for a file that cannot be written)."""
    target = os.path.realpath(path)
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(f"{target} is not a regular file")
    import tempfile  # only a run that writes fixes needs it

    descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".openjd-lint-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        if expected is not None:
            with open(target, "rb") as current:
                if current.read(len(expected) + 1) != expected:
                    raise ChangedMeanwhile(path)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


# ---------------------------------------------------------------------------------- edit builders

def append_to_sequence(source: Source, sequence: SeqNode, item: str) -> Optional[Edit]:
    """An edit that appends the plain scalar `item` to a non-empty sequence in its own style:
    `[A]` -> `[A, item]` (quoted like the last item), or a new `- item` line under a block list."""
    if not sequence.items:
        return None
    last = sequence.items[-1]
    text = source.text
    if text[sequence.start_index] == "[":
        quote = text[last.start_index] if text[last.start_index] in "'\"" else ""
        return Edit(last.end_index, last.end_index, f", {quote}{item}{quote}")
    line_start = text.rfind("\n", 0, last.start_index) + 1
    dash = text.rfind("-", line_start, last.start_index)
    if dash == -1 or text[line_start:dash].strip():
        return None
    line_end = text.find("\n", last.end_index)
    if line_end == -1:
        line_end = len(text)
    newline = "\r\n" if text[:line_end].endswith("\r") else "\n"
    if newline == "\r\n":
        line_end -= 1
    return Edit(line_end, line_end, f"{newline}{text[line_start:dash]}- {item}")


def one_close_match(word: str, candidates) -> Optional[str]:
    """The candidate `word` obviously means, or None: the only one equal to it ignoring case, else the
    only one that difflib finds close (a did-you-mean fix must not pick between two plausible names)."""
    options = sorted({c for c in candidates if isinstance(c, str) and c != word})
    same = [c for c in options if c.lower() == word.lower()]
    if same:
        return same[0] if len(same) == 1 else None
    close = difflib.get_close_matches(word, options, n=2, cutoff=0.75)
    return close[0] if len(close) == 1 else None


def replace_in_scalar(source: Source, node, start: int, end: int, text: str) -> Optional[Edit]:
    """An edit that replaces characters [start, end) of a scalar's decoded value with `text`, when those
    characters are written plainly in the source (no escapes or line folds among them)."""
    from openjd_lint.load.scalar_map import character_ranges

    ranges = character_ranges(source.text, node)
    if ranges is None or not 0 <= start < end <= len(ranges):
        return None
    raw_start, raw_end = ranges[start][0], ranges[end - 1][1]
    if source.text[raw_start:raw_end] != node.value[start:end]:
        return None
    return Edit(raw_start, raw_end, text)
