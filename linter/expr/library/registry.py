"""The table of library functions and what an implementation receives when it is called."""

from __future__ import annotations

import math
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

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


class WorkLimitExceeded(EvalError):
    """The linter's own allowance for evaluating expressions is used up. Unlike the spec's limits this
    says nothing about the template: evaluation stops so that linting stays bounded."""

    def __init__(self, message: str):
        super().__init__(message, kind="work")


# What the linter may spend evaluating the expressions of one file (constant folding, `expand`): about a
# second and a few hundred megabytes, whatever the template. A step is about a microsecond: an
# element iterated or 256 characters processed is one step, evaluating one expression node sixteen.
NODE_STEPS = 16
DEFAULT_WORK_STEPS = 1_000_000
DEFAULT_WORK_BYTES = 200_000_000


class WorkMeter:
    """The linter's allowance, shared by every evaluation of one file (`metered`). The steps granted
    grow with the expressions evaluated (`grant`), so a large file of ordinary expressions is never cut
    short; only work beyond what an expression's size explains is bounded."""

    def __init__(self, steps: int = DEFAULT_WORK_STEPS, memory: int = DEFAULT_WORK_BYTES):
        self.step_limit = steps
        self.byte_limit = memory
        self.steps = 0
        self.bytes = 0

    def grant(self, steps: int) -> None:
        self.step_limit += steps

    def step(self, count: int) -> None:
        self.steps += count
        if self.steps > self.step_limit:
            raise WorkLimitExceeded(
                f"Evaluating this expression takes more work than the linter allows for a file "
                f"({self.step_limit:,} steps, about a second)"
            )

    def spend(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.byte_limit:
            raise WorkLimitExceeded(
                f"Evaluating this expression builds more data than the linter allows for a file "
                f"({self.byte_limit:,} bytes)"
            )

    def exhausted(self) -> bool:
        return self.steps > self.step_limit or self.bytes > self.byte_limit


_METER: ContextVar = ContextVar("openjd_lint_work_meter", default=None)


@contextmanager
def metered(meter: Optional[WorkMeter] = None) -> Iterator[WorkMeter]:
    """Evaluations inside the block share one `WorkMeter` (one per file linted or expanded)."""
    meter = meter or WorkMeter()
    token = _METER.set(meter)
    try:
        yield meter
    finally:
        _METER.reset(token)


def current_meter() -> WorkMeter:
    """The meter of the enclosing `metered` block; outside one, a fresh meter for one evaluation."""
    return _METER.get() or WorkMeter()


@dataclass
class Budget:
    """Operation and memory accounting of one evaluation (format-strings.md §D.4), and the linter's own
    work allowance (`meter`), charged by the same calls."""

    operation_limit: int = DEFAULT_OPERATION_LIMIT
    memory_limit: int = DEFAULT_MEMORY_LIMIT
    operations: int = 0
    meter: WorkMeter = field(default_factory=current_meter)

    def charge(self, count: int = 1) -> None:
        self.operations += count
        if self.operations > self.operation_limit:
            raise EvalError(
                f"Expression operation count ({self.operations}) exceeded limit ({self.operation_limit})", kind="limit"
            )
        self.meter.step(count)

    def charge_text(self, length: int) -> None:
        self.charge(math.ceil(length / 256))

    def work(self, steps: int) -> None:
        """Work the spec does not count as operations (walking nested lists, matching) but that takes time."""
        self.meter.step(steps)

    def allocate(self, size: int, total: Optional[int] = None) -> None:
        """Before building `size` bytes: of a new value, or of one that then holds `total` bytes."""
        value_size = size if total is None else total
        if value_size > self.memory_limit:
            raise EvalError(
                f"Expression memory usage ({value_size} bytes) exceeded limit ({self.memory_limit} bytes)", kind="limit"
            )
        self.meter.spend(size)


@dataclass
class Invocation:
    """What an implementation sees besides its arguments."""

    name: str
    result: T.Type
    env: Environment
    budget: Budget = field(default_factory=Budget)
