"""The EXPR function library (functions.md): every function, method, property and operator as
typed overloads with their implementations, registered in `LIBRARY`."""

from openjd_lint.expr.library import lists, numbers, paths, regex, serialize, strings  # noqa: F401  (registration)
from openjd_lint.expr.library.registry import (  # noqa: F401
    LIBRARY,
    Budget,
    Environment,
    Invocation,
    PathMappingRule,
    WorkMeter,
    metered,
)
from openjd_lint.expr.library.signatures import Overload, Resolution, pick_overload  # noqa: F401
