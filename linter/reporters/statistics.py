"""`--statistics`: how many findings each rule reported, most frequent first (as ruff prints them), as
text or (with `--format json`) as a JSON list."""

from __future__ import annotations

import json
from collections import Counter

from openjd_lint.fixes import is_applicable


def rows(run) -> list:
    """One row per rule that reported: its id, name, count and how many of them --fix can fix."""
    counts, fixable, names = Counter(), Counter(), {}
    for d in run.diagnostics:
        counts[d.rule] += 1
        fixable[d.rule] += is_applicable(d.fix, unsafe=False)
        names[d.rule] = d.name
    ordered = sorted(counts, key=lambda rule: (-counts[rule], rule))
    return [{"rule": rule, "name": names[rule], "count": counts[rule], "fixable": fixable[rule]} for rule in ordered]


def render(run, as_json: bool = False) -> str:
    table = rows(run)
    if as_json:
        return json.dumps(table, indent=2) + "\n"
    if not table:
        return ""
    count_width = max(len(str(row["count"])) for row in table)
    id_width = max(len(row["rule"]) for row in table)
    any_fixable = any(row["fixable"] for row in table)
    lines = []
    for row in table:
        marker = ("[*] " if row["fixable"] else "    ") if any_fixable else ""
        lines.append(f"{row['count']:>{count_width}}\t{row['rule']:<{id_width}}\t{marker}{row['name']}")
    return "\n".join(lines) + "\n"
