"""Human output: `file:line:col: severity[RULE] message`, the source line with a caret underline,
the hint, and a summary line. Colour (pygments for the snippet) only when asked for."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Optional

from openjd_lint.findings import Diagnostic, Severity
from openjd_lint.fixes import is_applicable

_SEVERITY_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


# A snippet line longer than this many columns is cut to a window around the span, so a minified JSON
# template or a one-line script does not flood the terminal.
SNIPPET_WIDTH = 120
_ELLIPSIS = "…"


def render(run, color: bool, quiet: bool = False) -> str:
    """Every diagnostic; then the summary line unless `quiet`."""
    painter = _Painter(color)
    blocks = []
    for diagnostic in run.diagnostics:
        source = run.sources.get(diagnostic.file)
        blocks.append(_block(diagnostic, source, painter))
    if not quiet:
        blocks.append(painter.bold(summary(run)))
    return "\n".join(blocks) + "\n" if blocks else ""


def _block(d: Diagnostic, source, painter: "_Painter") -> str:
    header = (f"{painter.bold(f'{d.file}:{d.line}:{d.column}:')} "
              f"{painter.severity(d.severity, f'{d.severity.label}[{d.rule}]')} {d.message}")
    lines = [header]
    text = source.line_text(d.line) if source is not None else ""
    if text:
        gutter = " " * len(str(d.line))
        end_column = d.end_column if d.end_line == d.line else len(text) + 1
        text, start, end = trim(text, d.column - 1, end_column - 1)
        width = max(1, _display_width(text[start:end]))
        lead = _display_width(text[:start], keep_tabs=True)
        lines.append(painter.dim(f"{gutter} |"))
        lines.append(f"{painter.dim(f'{d.line} |')} {painter.source(text)}")
        lines.append(f"{painter.dim(f'{gutter} |')} {lead}{painter.severity(d.severity, '^' * width)}")
    if d.hint:
        lines.append(f"  {painter.dim('= hint:')} {d.hint}")
    for related in d.related:
        lines.append(f"  {painter.dim('= note:')} {related.message} at {related.file}:{related.line}:{related.column}")
    if d.fix is not None and d.fix.edits:
        flag = "--fix" if d.fix.safe else "--unsafe-fixes"
        lines.append(f"  {painter.dim('= fix:')} {d.fix.description} (apply with {flag})")
    return "\n".join(lines) + "\n"


def trim(text: str, start: int, end: int, width: int = SNIPPET_WIDTH) -> tuple:
    """(shown text, start, end): a line wider than `width` cut to a window that begins a little before the
    span [start, end) and holds as much of it as fits, with `…` where text was cut."""
    if _display_width(text) <= width:
        return text, start, end
    left = max(0, start - width // 4)
    room = width - (left > 0) - 1  # the ellipses
    right = left
    while right < len(text) and _char_width(text[right]) <= room:
        room -= _char_width(text[right])
        right += 1
    head = _ELLIPSIS if left > 0 else ""
    tail = _ELLIPSIS if right < len(text) else ""
    return head + text[left:right] + tail, start - left + len(head), min(end, right) - left + len(head)


@lru_cache(maxsize=256)  # one long line may carry hundreds of findings
def _display_width(text: str, keep_tabs: bool = False) -> object:
    """Columns the text takes in a terminal; with keep_tabs, the padding string itself (tabs kept so a
    caret lines up under tab-indented text)."""
    if keep_tabs:
        return "".join("\t" if ch == "\t" else " " * _char_width(ch) for ch in text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def summary(run) -> str:
    counts = {s: 0 for s in Severity}
    for d in run.diagnostics:
        counts[d.severity] += 1
    files = f"{run.files_checked} file{'s' if run.files_checked != 1 else ''}"
    if not run.diagnostics:
        return f"No problems found in {files}."
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s != Severity.INFO else ''}"
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    total = len(run.diagnostics)
    return f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {files}.{fixable_note(run)}"


def fixable_note(run) -> str:
    """` N fixable with --fix.` (and how many more only --unsafe-fixes applies), or nothing."""
    safe = sum(is_applicable(d.fix, unsafe=False) for d in run.diagnostics)
    unsafe = sum(is_applicable(d.fix, unsafe=True) for d in run.diagnostics) - safe
    parts = [f"{safe} fixable with --fix"] if safe else []
    if unsafe:
        parts.append(f"{unsafe} {'more ' if safe else 'fixable '}with --unsafe-fixes")
    return f" {', '.join(parts)}." if parts else ""


class _Painter:
    def __init__(self, color: bool):
        self.color = color
        self._highlight: Optional[object] = None

    def bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.color else text

    def dim(self, text: str) -> str:
        return f"{_DIM}{text}{_RESET}" if self.color else text

    def severity(self, severity: Severity, text: str) -> str:
        return f"{_SEVERITY_COLOURS[severity]}{text}{_RESET}" if self.color else text

    def source(self, text: str) -> str:
        if not self.color:
            return text
        if self._highlight is None:
            from pygments import highlight
            from pygments.formatters import TerminalFormatter
            from pygments.lexers import YamlLexer

            lexer, formatter = YamlLexer(), TerminalFormatter()
            self._highlight = lambda line: highlight(line, lexer, formatter).rstrip("\n")
        return self._highlight(text)
