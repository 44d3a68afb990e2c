"""Linter diagnostics and edits as LSP objects."""

from __future__ import annotations

from typing import Callable, Optional

from lsprotocol import types as lsp

from openjd_lint.findings import Diagnostic, Severity
from openjd_lint.load.source import Source
from openjd_lint.load.tree import Position
from openjd_lint.lsp.positions import UTF16, offset_to_lsp, to_lsp

SOURCE_NAME = "openjd-lint"

SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Hint,
}


def lsp_range(source: Optional[Source], line: int, column: int, end_line: int, end_column: int,
              encoding: str = UTF16) -> lsp.Range:
    if source is None:  # a file we could not read: code points are the best guess
        return lsp.Range(lsp.Position(line - 1, column - 1), lsp.Position(end_line - 1, end_column - 1))
    start = to_lsp(source, Position(line, column), encoding)
    end = to_lsp(source, Position(end_line, end_column), encoding)
    return lsp.Range(lsp.Position(*start), lsp.Position(*end))


def offsets_range(source: Source, start: int, end: int, encoding: str = UTF16) -> lsp.Range:
    return lsp.Range(lsp.Position(*offset_to_lsp(source, start, encoding)),
                     lsp.Position(*offset_to_lsp(source, end, encoding)))


def rule_anchor(diagnostic: Diagnostic) -> str:
    """The anchor of the rule's heading (`### S002 unknown-key`) in docs/rules.md."""
    return f"{diagnostic.rule}-{diagnostic.name}".lower()


def to_lsp_diagnostic(diagnostic: Diagnostic, source: Source, *, docs_url: str,
                      uri_of: Callable[[str], str], source_of: Callable[[str], Optional[Source]],
                      encoding: str = UTF16) -> lsp.Diagnostic:
    """`source` is the text the diagnostic is about; related places in other files (an enclosing
    environment template) are converted with that file's text from `source_of`, named by `uri_of`."""
    message = diagnostic.message if not diagnostic.hint else f"{diagnostic.message}\nhint: {diagnostic.hint}"
    related = [
        lsp.DiagnosticRelatedInformation(
            lsp.Location(uri_of(place.file),
                         lsp_range(source if place.file == diagnostic.file else source_of(place.file),
                                   place.line, place.column, place.end_line, place.end_column, encoding)),
            place.message)
        for place in diagnostic.related
    ]
    return lsp.Diagnostic(
        range=lsp_range(source, diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column,
                        encoding),
        message=message,
        severity=SEVERITIES[diagnostic.severity],
        code=diagnostic.rule,
        code_description=lsp.CodeDescription(href=f"{docs_url}#{rule_anchor(diagnostic)}"),
        source=SOURCE_NAME,
        related_information=related or None,
    )
