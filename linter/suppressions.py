"""Inline suppressions: `# openjd-lint: disable=RULE[,RULE] -- reason` and `# openjd-lint: disable-file=RULE`.

A trailing comment covers its own line; a comment alone on its line covers the next line; a
`disable-file` comment covers the whole file. RULE is a rule id (`S002`) or name (`unknown-key`).
Only real comments count: a `#` inside a scalar (quoted, block or plain) is text, which the
positioned tree tells apart because every scalar knows its extent in the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Optional

from openjd_lint.findings import Finding
from openjd_lint.load.source import Source
from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode, Span
from openjd_lint.rule_api import Registry

UNUSED, INVALID = "M001", "M003"
_MARKER = re.compile(r"#[ \t]*openjd-lint:")
_DIRECTIVE = re.compile(r"[ \t]*(?P<kind>[A-Za-z-]*)[ \t]*(?:=[ \t]*(?P<rules>.*?))?[ \t]*(?:--.*)?$")
_KINDS = ("disable", "disable-file")


@dataclass
class Token:
    rule: str  # the resolved rule id
    start: int  # offsets of the token in the source text
    end: int
    used: bool = False


@dataclass
class Directive:
    lines: Optional[frozenset]  # None: the whole file
    tokens: list = field(default_factory=list)


@dataclass
class Suppressions:
    directives: list
    problems: list  # findings for malformed directives
    judge_unused: bool = True  # False when the file did not parse: its rules never ran

    def apply(self, diagnostics: list, enabled: Callable[[str], bool], source: Source) -> tuple:
        """The diagnostics that stay, and the findings about the directives (malformed or unused ones;
        a suppression of a rule that is not enabled for the file is not reported as unused)."""
        kept = [d for d in diagnostics if not self._suppresses(d)]
        unused = [
            Finding(UNUSED, f"unused suppression: no {token.rule} finding here to suppress",
                    span=Span(source.position(token.start), source.position(token.end)),
                    hint="remove it (or the rule id) from the comment")
            for directive in self.directives for token in directive.tokens
            if self.judge_unused and not token.used and enabled(token.rule)]
        return kept, self.problems + unused

    def _suppresses(self, diagnostic) -> bool:
        suppressed = False
        for directive in self.directives:
            if directive.lines is not None and diagnostic.line not in directive.lines:
                continue
            for token in directive.tokens:
                if token.rule == diagnostic.rule:
                    token.used = suppressed = True
        return suppressed


def find(source: Source, root: Optional[Node], registry: Registry) -> Suppressions:
    directives, problems = [], []
    markers = list(_MARKER.finditer(source.text))
    scalars = _scalar_extents(root) if markers else []
    starts = [start for start, _ in scalars]
    for match in markers:
        at = match.start()
        if not _is_comment(source.text, at, scalars, starts):
            continue
        line_end = source.text.find("\n", at)
        body_start = match.end()
        body = source.text[body_start: len(source.text) if line_end == -1 else line_end].rstrip("\r")
        directive = _parse(body, body_start, registry, problems, source)
        if directive is None:
            continue
        if directive.lines is not None:
            line = source.position(at).line
            own_line = source.text[source.text.rfind("\n", 0, at) + 1: at].strip() == ""
            directive.lines = frozenset({line + 1} if own_line else {line})
        directives.append(directive)
    return Suppressions(directives, problems, judge_unused=root is not None)


def _parse(body: str, offset: int, registry: Registry, problems: list, source: Source) -> Optional[Directive]:
    def problem(message: str, start: int, end: int, hint: str) -> None:
        span = Span(source.position(offset + start), source.position(offset + max(end, start + 1)))
        problems.append(Finding(INVALID, message, span=span, hint=hint))

    syntax = "write `# openjd-lint: disable=RULE[,RULE] -- reason` or `# openjd-lint: disable-file=RULE`"
    match = _DIRECTIVE.match(body)
    if match is None or match.group("kind") not in _KINDS or not (match.group("rules") or "").strip():
        problem("malformed openjd-lint comment", 0, len(body.rstrip()), syntax)
        return None
    directive = Directive(lines=None if match.group("kind") == "disable-file" else frozenset())
    position = match.start("rules")
    for text in match.group("rules").split(","):
        start = position + len(text) - len(text.lstrip())
        name = text.strip()
        position += len(text) + 1
        rule = registry.get(name) if name else None
        if rule is None:
            problem(f"unknown rule {name!r} in an openjd-lint comment", start, start + len(name),
                    "use a rule id or name from `openjd-lint rules`")
            continue
        directive.tokens.append(Token(rule.id, offset + start, offset + start + len(name)))
    return directive if directive.tokens else None


def _is_comment(text: str, at: int, scalars: list, starts: list) -> bool:
    if at > 0 and text[at - 1] not in " \t\n\r":
        return False
    index = bisect_right(starts, at) - 1
    return index < 0 or at >= scalars[index][1]


def _scalar_extents(root: Optional[Node]) -> list:
    """(start, end) offsets of every scalar, keys included, in source order (they never overlap)."""
    extents = []
    stack = [root] if root is not None else []
    seen = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # aliases share nodes
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            extents.append((node.start_index, node.end_index))
        elif isinstance(node, MapNode):
            for key, value in node.entries:
                stack.extend((key, value))
        elif isinstance(node, SeqNode):
            stack.extend(node.items)
    return sorted(extents)
