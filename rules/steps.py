"""The step dependency graph (spec §1.1, §3.2): every `dependsOn` names another existing step, and
the graph has no cycles."""

from __future__ import annotations

import difflib

from openjd_lint.context import Context
from openjd_lint.findings import Related, Severity
from openjd_lint.rule_api import Rule
from openjd_lint.model.parts import mappings, scalar, steps


def _step(name: str, depends_on=()) -> str:
    dependencies = "".join(f"  - dependsOn: {other}\n" for other in depends_on)
    return (f"- name: {name}\n" + ("  dependencies:\n" + dependencies if dependencies else "")
            + "  script:\n    actions:\n      onRun:\n        command: run\n")


def _job(*step_texts: str) -> str:
    return "specificationVersion: jobtemplate-2023-09\nname: Job\nsteps:\n" + "".join(step_texts)


def _graph(ctx: Context) -> tuple:
    """(names -> step path, [(step name, [(dependsOn path, dependsOn name)])]) in document order."""
    names: dict = {}
    edges = []
    for path, step in steps(ctx):
        name = scalar(step, "name")
        if isinstance(name, str):
            names.setdefault(name, path)
        targets = []
        for dependency_path, dependency in mappings(step.get("dependencies"), path + ("dependencies",)):
            target = scalar(dependency, "dependsOn")
            if isinstance(target, str):
                targets.append((dependency_path + ("dependsOn",), target))
        edges.append((name, targets))
    return names, edges


def _check_unknown(ctx: Context):
    names, edges = _graph(ctx)
    for _, targets in edges:
        for path, target in targets:
            if target in names:
                continue
            close = difflib.get_close_matches(target, list(names), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"name one of the steps: {', '.join(sorted(names))}"
            yield UNKNOWN_DEPENDENCY.finding(f"`dependsOn` names {target!r}, which is not a step of this template",
                                             path, hint=hint)


def _check_self(ctx: Context):
    _, edges = _graph(ctx)
    for name, targets in edges:
        for path, target in targets:
            if target == name:
                yield SELF_DEPENDENCY.finding(f"step {name!r} depends on itself, so it can never start", path,
                                              hint="remove this dependency")


def _check_cycles(ctx: Context):
    """Depth-first search in document order; each back edge closes one cycle, reported at that edge."""
    names, edges = _graph(ctx)
    successors: dict = {}
    for name, targets in edges:
        if isinstance(name, str):
            successors.setdefault(name, []).extend(
                (path, target) for path, target in targets if target in names and target != name)
    finished: set = set()
    for root in successors:
        if root in finished:
            continue
        stack = [root]  # the current path; `pending[i]` holds the unexplored edges of `stack[i]`
        pending = [iter(successors[root])]
        while stack:
            edge = next(pending[-1], None)
            if edge is None:
                finished.add(stack.pop())
                pending.pop()
                continue
            path, target = edge
            if target in stack:
                cycle = stack[stack.index(target):] + [target]
                yield DEPENDENCY_CYCLE.finding(
                    "steps depend on each other in a cycle: " + " -> ".join(cycle) + "; none of them can start",
                    path, hint="remove one of the dependencies in the cycle",
                    related=tuple(Related(f"step {step!r}", path=names[step] + ("name",)) for step in cycle[:-1]))
            elif target not in finished:
                stack.append(target)
                pending.append(iter(successors.get(target, ())))


UNKNOWN_DEPENDENCY = Rule(
    "T101", "unknown-dependency", Severity.ERROR,
    "A `dependsOn` names a step that does not exist.",
    "Step dependencies refer to other steps of the same template by their exact (case-sensitive) name.",
    bad=_job(_step("Render"), _step("Composite", ["render"])),
    good=_job(_step("Render"), _step("Composite", ["Render"])),
    check=_check_unknown,
)

SELF_DEPENDENCY = Rule(
    "T102", "self-dependency", Severity.ERROR,
    "A step depends on itself.",
    "A step cannot start before it has finished.",
    bad=_job(_step("Render", ["Render"])),
    good=_job(_step("Render")),
    check=_check_self,
)

DEPENDENCY_CYCLE = Rule(
    "T103", "dependency-cycle", Severity.ERROR,
    "Steps depend on each other in a cycle.",
    "The dependencies between steps must form a directed acyclic graph. Each cycle is reported once, at the "
    "dependency that closes it, and the message lists the steps in the cycle.",
    bad=_job(_step("Render", ["Composite"]), _step("Composite", ["Render"])),
    good=_job(_step("Render"), _step("Composite", ["Render"])),
    check=_check_cycles,
)

RULES = [UNKNOWN_DEPENDENCY, SELF_DEPENDENCY, DEPENDENCY_CYCLE]
