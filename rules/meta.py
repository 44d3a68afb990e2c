"""Rules about openjd-lint's own machinery: inline suppressions, the configured target scheduler and its
own bugs.

These depend on more than one template (the other findings of the file, the configuration), so the
per-file pipeline reports them (`openjd_lint.pipeline`) rather than a `check`.
"""

from __future__ import annotations

import sys
import traceback
from typing import Optional

from openjd_lint.context import Context
from openjd_lint.findings import Finding, Severity
from openjd_lint.load.tree import SeqNode
from openjd_lint.rule_api import MINIMAL_JOB, Rule

_GOOD = MINIMAL_JOB

UNUSED_SUPPRESSION = Rule(
    "M001", "unused-suppression", Severity.WARNING,
    "An inline suppression suppresses nothing.",
    "An `# openjd-lint: disable=RULE` comment names a rule that reports nothing on the line it covers "
    "(a `disable-file` comment: nothing in the file). Stale suppressions hide the next real problem; "
    "remove them. Suppressions of rules the configuration turns off are not reported, and "
    "`--no-inline-suppressions` ignores every suppression (and this rule with them).",
    bad=_GOOD.replace("name: Render\n", "name: Render  # openjd-lint: disable=S002 -- nothing wrong here\n"),
    good=_GOOD.replace("name: Render\n", "name: Render\nbogus: 1  # openjd-lint: disable=S002 -- read by our tools\n"),
)

UNSUPPORTED_EXTENSION = Rule(
    "M002", "unsupported-extension", Severity.ERROR,
    "The template declares an extension the configured target scheduler does not support.",
    "The `extensions` setting of the configuration lists what the scheduler the templates are written "
    "for supports; schedulers may reject (for WRAP_ACTIONS: must reject) a template that declares an "
    "extension they do not implement. Without the setting every extension openjd-lint knows is allowed.",
    bad=_GOOD.replace("name: Render\n", "extensions: [TASK_CHUNKING]\nname: Render\n"),
    good=_GOOD.replace("name: Render\n", "extensions: [EXPR]\nname: Render\n"),
    example_config='[tool.openjd-lint]\nextensions = ["EXPR", "FEATURE_BUNDLE_1"]\n',
)

INVALID_SUPPRESSION = Rule(
    "M003", "invalid-suppression", Severity.WARNING,
    "An `openjd-lint:` comment is malformed or names an unknown rule.",
    "The forms are `# openjd-lint: disable=RULE[,RULE] -- reason` (this line, or the next line when the "
    "comment stands alone) and `# openjd-lint: disable-file=RULE[,RULE]`; RULE is an id or a name.",
    bad=_GOOD.replace("name: Render\n", "name: Render  # openjd-lint: disable=S999\n"),
    good=_GOOD.replace("name: Render\n", "name: Render\nbogus: 1  # openjd-lint: disable=unknown-key\n"),
)

INTERNAL_ERROR = Rule(
    "M004", "internal-error", Severity.ERROR,
    "A rule failed with an error inside openjd-lint: a bug, not a problem of the template.",
    "The finding names the rule and the error; every other rule and file is still checked and reported, "
    "and the run exits with code 3 after the report. `--debug` prints the traceback: please report it "
    "with the file. (The examples assume a rule that fails on a step named `Crash`.)",
    bad=_GOOD.replace("- name: Frame", "- name: Crash"),
    good=_GOOD,
)

RULES = [UNUSED_SUPPRESSION, UNSUPPORTED_EXTENSION, INVALID_SUPPRESSION, INTERNAL_ERROR]


def internal_error(rule: str, error: BaseException) -> Finding:
    """The finding for an exception raised while `rule` (a rule's id and name, or a stage) checked a file."""
    if _print_tracebacks:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    detail = str(error)
    detail = detail if len(detail) <= 200 else detail[:200] + "..."
    return INTERNAL_ERROR.finding(
        f"internal error in {rule}: {type(error).__name__}{': ' if detail else ''}{detail}",
        hint="this is a bug in openjd-lint, not in the file: please report it with the file "
             "(--debug prints the traceback); every other rule was still checked")


_print_tracebacks = False


def print_tracebacks() -> None:
    """Print the traceback of each internal error to standard error as it happens (`--debug`)."""
    global _print_tracebacks
    _print_tracebacks = True


def unsupported_extensions(context: Context, supported: Optional[frozenset]) -> list:
    if supported is None:
        return []
    node = context.root.get("extensions")
    if not isinstance(node, SeqNode):
        return []
    allowed = ", ".join(sorted(supported)) or "none"
    return [UNSUPPORTED_EXTENSION.finding(
        f"the target scheduler does not support the {item.value} extension", ("extensions", index),
        hint=f"the configuration's `extensions` allows: {allowed}")
        for index, item in enumerate(node.items)
        if isinstance(item.value, str) and item.value not in supported]
