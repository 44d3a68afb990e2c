"""The parts of a template that rules walk over (steps, parameters, environments, scripts), each with
its document path.

Every accessor tolerates a malformed document (the schema layer reports the shape): a part that is
missing or has the wrong type is simply not yielded.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from openjd_lint.context import Context
from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode

FORMAT_STRING_OPEN = "{{"


def items(node: Optional[Node]) -> list:
    """(index, item) pairs of a sequence; nothing for anything else."""
    return list(enumerate(node.items)) if isinstance(node, SeqNode) else []


def mappings(node: Optional[Node], path: tuple) -> Iterator[tuple]:
    """(path, MapNode) for every mapping item of a sequence."""
    for index, item in items(node):
        if isinstance(item, MapNode):
            yield path + (index,), item


def scalar(mapping: Optional[Node], key: str) -> Any:
    """The value of a scalar entry, or None when absent or not a scalar."""
    if not isinstance(mapping, MapNode):
        return None
    node = mapping.get(key)
    return node.value if isinstance(node, ScalarNode) else None


def text(mapping: Optional[Node], key: str) -> Optional[str]:
    value = scalar(mapping, key)
    return value if isinstance(value, str) else None


def is_literal(value: Any) -> bool:
    """A value that holds no format-string reference, so it means exactly what it says."""
    return not (isinstance(value, str) and FORMAT_STRING_OPEN in value)


def parameter_definitions(ctx: Context) -> Iterator[tuple]:
    return mappings(ctx.root.get("parameterDefinitions"), ("parameterDefinitions",))


def steps(ctx: Context) -> Iterator[tuple]:
    if not ctx.is_job:
        return iter(())
    return mappings(ctx.root.get("steps"), ("steps",))


def environments(ctx: Context) -> Iterator[tuple]:
    """Every `<Environment>`: job environments, each step's environments, an environment template's own."""
    if not ctx.is_job:
        environment = ctx.root.get("environment")
        if isinstance(environment, MapNode):
            yield ("environment",), environment
        return
    yield from mappings(ctx.root.get("jobEnvironments"), ("jobEnvironments",))
    for path, step in steps(ctx):
        yield from mappings(step.get("stepEnvironments"), path + ("stepEnvironments",))


def scripts(ctx: Context) -> Iterator[tuple]:
    """Every `<StepScript>` and `<EnvironmentScript>` with its path."""
    for path, step in steps(ctx):
        if isinstance(step.get("script"), MapNode):
            yield path + ("script",), step.get("script")
    for path, environment in environments(ctx):
        if isinstance(environment.get("script"), MapNode):
            yield path + ("script",), environment.get("script")


def task_parameter_definitions(step: MapNode, step_path: tuple) -> Iterator[tuple]:
    space = step.get("parameterSpace")
    if not isinstance(space, MapNode):
        return iter(())
    return mappings(space.get("taskParameterDefinitions"), step_path + ("parameterSpace", "taskParameterDefinitions"))


def host_requirements(ctx: Context) -> Iterator[tuple]:
    for path, step in steps(ctx):
        requirements = step.get("hostRequirements")
        if isinstance(requirements, MapNode):
            yield path + ("hostRequirements",), requirements


def first_seen(entries: Iterator[tuple], normalise=lambda name: name) -> Iterator[tuple]:
    """For (path, name) pairs, yield (path, name, first_path) for each name already seen earlier."""
    seen: dict = {}
    for path, name in entries:
        if not isinstance(name, str):
            continue
        key = normalise(name)
        if key in seen:
            yield path, name, seen[key]
        else:
            seen[key] = path


def describe(path: tuple) -> str:
    """A document path the way a reader writes it: `steps[1].parameterSpace`."""
    written = ""
    for element in path:
        written += f"[{element}]" if isinstance(element, int) else (f".{element}" if written else element)
    return written
