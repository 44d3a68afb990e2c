"""The package has no import cycles, counting imports inside functions (the way cycles hide)."""

from __future__ import annotations

from package_modules import import_graph, modules


def cycles(graph: dict) -> list:
    """The strongly connected components of more than one module (Tarjan), and modules importing themselves."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    found = []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_found_through_the_package():
    names = set(modules())
    # the folders pyproject maps into the package, the rule families and a lazily imported command
    assert {"openjd_lint.cli", "openjd_lint.rules", "openjd_lint.rules.loading", "openjd_lint.expr.library.regex",
            "openjd_lint.lsp.server", "openjd_lint.expand_command", "openjd_lint.schemas"} <= names


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_imports_inside_functions_count():
    assert "openjd_lint.run" in import_graph()["openjd_lint.cli"]  # imported inside `_check`
    assert "openjd_lint.rules" in import_graph()["openjd_lint.cli"]  # relative to nothing: `from openjd_lint.rules import REGISTRY`


def test_a_cycle_is_found():
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": ["b"], "b": []}) == []
