"""The `repr_*` functions (functions.md §8); the quoting rules live in `openjd_lint.expr.quoting`."""

from __future__ import annotations

from openjd_lint.expr import quoting
from openjd_lint.expr.library.registry import define
from openjd_lint.expr.values import ListValue, deep_length, memory_size

_ALL = ("nulltype", "bool", "int", "float", "string", "path", "range_expr", "list[T]")


def _serialiser(name: str, accepted: tuple, render):
    @define(*(f"{name}({t}) -> string" for t in accepted))
    def implementation(call, value):
        if isinstance(value, ListValue):
            call.budget.charge(len(value))
            call.budget.work(deep_length(value))
        call.budget.allocate(memory_size(value))
        text = render(value)
        call.budget.charge_text(len(text))
        return text


_serialiser("repr_sh", ("string", "path", "list[string]", "list[path]"), quoting.repr_sh)
_serialiser("repr_cmd", ("string", "list[string]"), quoting.repr_cmd)
_serialiser("repr_pwsh", _ALL, quoting.repr_pwsh)
_serialiser("repr_py", _ALL, quoting.repr_py)
_serialiser("repr_json", _ALL, quoting.repr_json)

