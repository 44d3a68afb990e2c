"""What a rule sees: one loaded template with its kind and declared extensions."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

from openjd_lint.load.source import Source
from openjd_lint.load.tree import MapNode, to_plain
from openjd_lint.model.empty_keys import without_empty_keys

JOB = "job"
ENVIRONMENT = "environment"

SPECIFICATION_VERSIONS = {"jobtemplate-2023-09": JOB, "environment-2023-09": ENVIRONMENT}


@dataclass
class Context:
    source: Source
    root: MapNode
    kind: str
    extensions: frozenset
    plain: Any
    cache: dict = field(default_factory=dict)
    # Environment templates that enclose this job in a session (queue environments, `check --env`),
    # outermost first. Empty for environment templates and when none are given.
    enclosing: tuple = ()
    # Paths of the null-valued keys left out of `root` and `plain` (openjd_lint.model.empty_keys)
    empty_keys: frozenset = frozenset()

    @property
    def is_job(self) -> bool:
        return self.kind == JOB


def per_template(compute: Callable) -> Callable:
    """`compute(ctx)` runs once per template: its result is kept in `ctx.cache` for every later caller
    (the rules of a family, the language server), under the function's qualified name."""
    key = f"{compute.__module__}.{compute.__qualname__}"

    @functools.wraps(compute)
    def once(ctx):
        try:
            return ctx.cache[key]
        except KeyError:
            value = ctx.cache[key] = compute(ctx)
            return value

    return once


def declared_extensions(root: MapNode) -> frozenset:
    node = root.get("extensions")
    items = getattr(node, "items", None)
    if not isinstance(items, list):
        return frozenset()
    return frozenset(item.value for item in items if isinstance(getattr(item, "value", None), str))


def template_context(source: Source, root: MapNode, kind: str, enclosing: tuple = ()) -> Context:
    """The Context of a loaded template of `kind`: what rules see is the document without its empty
    optional keys."""
    model, empty_keys = without_empty_keys(root)
    return Context(source, model, kind, declared_extensions(model), to_plain(model), enclosing=enclosing,
                   empty_keys=empty_keys)
