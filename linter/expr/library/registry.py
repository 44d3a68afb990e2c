"""The table of library functions and what an implementation receives when it is called."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from openjd_lint.expr import types as T
from openjd_lint.expr.library.signatures import parse_signature
from openjd_lint.expr.values import EvalError

LIBRARY: dict = {}  # name -> [Overload, ...] in definition order (earlier wins on ties)
# name -> check(args) run when some arguments are unresolved: validates the constant ones
# (an empty separator, a bad regex pattern...) so they are reported at validation time.
VALIDATORS: dict = {}

DEFAULT_OPERATION_LIMIT = 10_000_000
DEFAULT_MEMORY_LIMIT = 100_000_000


def define(
    *signatures: str, result: Callable = None, host_only: bool = False, validate: Callable = None, coerce: bool = True
) -> Callable:
    """Register `implementation(call, *args)` under each signature; `validate(args)` checks the
    constant arguments of a call whose other arguments are unresolved."""

    def register(implementation: Callable) -> Callable:
        for signature in signatures:
            overload = parse_signature(signature, implementation, result, host_only, coerce)
            LIBRARY.setdefault(overload.name, []).append(overload)
            if validate is not None:
                VALIDATORS[overload.name] = validate
        return implementation

    return register


@dataclass(frozen=True)
class PathMappingRule:
    source_style: str  # "posix" or "windows"
    source_path: str
    destination_path: str


@dataclass(frozen=True)
class Environment:
    """Where an evaluation happens: the path style of `path` values, whether host-only functions
    exist (SESSION/TASK scope), the session's path mapping rules, and the resource bounds."""

    path_style: str = "posix"
    host: bool = False
    path_mapping_rules: tuple = ()
    operation_limit: int = DEFAULT_OPERATION_LIMIT
    memory_limit: int = DEFAULT_MEMORY_LIMIT


@dataclass
class Budget:
    """Operation and memory accounting of one evaluation (format-strings.md §D.4)."""

    operation_limit: int = DEFAULT_OPERATION_LIMIT
    memory_limit: int = DEFAULT_MEMORY_LIMIT
    operations: int = 0

    def charge(self, count: int = 1) -> None:
        self.operations += count
        if self.operations > self.operation_limit:
            raise EvalError(
                f"Expression operation count ({self.operations}) exceeded limit ({self.operation_limit})", kind="limit"
            )

    def charge_text(self, length: int) -> None:
        self.charge(math.ceil(length / 256))

    def allocate(self, size: int) -> None:
        if size > self.memory_limit:
            raise EvalError(f"Expression memory usage ({size} bytes) exceeded limit ({self.memory_limit} bytes)", kind="limit")


@dataclass
class Invocation:
    """What an implementation sees besides its arguments."""

    name: str
    result: T.Type
    env: Environment
    budget: Budget = field(default_factory=Budget)
