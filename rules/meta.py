"""Rules about openjd-lint's own machinery: inline suppressions and the configured target scheduler.

These depend on more than one template (the other findings of the file, the configuration), so the
per-file pipeline reports them (`openjd_lint.pipeline`) rather than a `check`.
"""

from __future__ import annotations

from typing import Optional

from openjd_lint.context import Context
from openjd_lint.findings import Severity
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

RULES = [UNUSED_SUPPRESSION, UNSUPPORTED_EXTENSION, INVALID_SUPPRESSION]


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
