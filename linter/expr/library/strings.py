"""String functions (functions.md §5)."""

from __future__ import annotations

from openjd_lint.expr import types as T
from openjd_lint.expr.library.registry import define
from openjd_lint.expr.values import EvalError, Float, ListValue, check_int, to_string

STRING_LIST = T.ListOf(T.STRING)


def _simple(name: str, method):
    @define(f"{name}(string) -> string")
    def implementation(call, text):
        call.budget.charge_text(len(text))
        return method(text)


for _name in ("upper", "lower", "capitalize", "title"):
    _simple(_name, getattr(str, _name))


def _predicate(name: str):
    method = getattr(str, name)

    @define(f"{name}(string) -> bool")
    def implementation(call, text):
        call.budget.charge_text(len(text))
        return method(text)


for _name in ("isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isascii"):
    _predicate(_name)


def _stripper(name: str):
    method = getattr(str, name)

    @define(f"{name}(string) -> string", f"{name}(string, string) -> string")
    def implementation(call, text, chars=None):
        call.budget.charge_text(len(text))
        return method(text, chars)


for _name in ("strip", "lstrip", "rstrip"):
    _stripper(_name)


@define("removeprefix(string, string) -> string")
def _removeprefix(call, text, prefix):
    call.budget.charge_text(len(text))
    return text.removeprefix(prefix)


@define("removesuffix(string, string) -> string")
def _removesuffix(call, text, suffix):
    call.budget.charge_text(len(text))
    return text.removesuffix(suffix)


@define("startswith(string, string) -> bool")
def _startswith(call, text, prefix):
    return text.startswith(prefix)


@define("endswith(string, string) -> bool")
def _endswith(call, text, suffix):
    return text.endswith(suffix)


def _non_empty(name: str, what: str, value: str) -> None:
    if value == "":
        raise EvalError(f"{name}() {what} must not be empty")


def _second_non_empty(name: str, what: str):
    def validate(args: list) -> None:
        if len(args) > 1 and isinstance(args[1], str):
            _non_empty(name, what, args[1])

    return validate


def _searcher(name: str, result: str):
    method = getattr(str, name)

    @define(f"{name}(string, string) -> {result}", validate=_second_non_empty(name, "substring"))
    def implementation(call, text, sub):
        _non_empty(name, "substring", sub)
        call.budget.charge_text(len(text))
        try:
            return method(text, sub)
        except ValueError:
            raise EvalError(f"{name}(): substring {sub!r} not found") from None


for _name in ("count", "find", "rfind", "index", "rindex"):
    _searcher(_name, "int")


@define("replace(string, string, string) -> string", validate=_second_non_empty("replace", "old value"))
def _replace(call, text, old, new):
    _non_empty("replace", "old value", old)
    if new:
        call.budget.allocate(len(text) // len(old) * len(new) + len(text))
    call.budget.charge_text(len(text))
    return text.replace(old, new)


def _splitter(name: str):
    method = getattr(str, name)

    @define(f"{name}(string) -> list[string]", f"{name}(string, string) -> list[string]",
            f"{name}(string, string, int) -> list[string]", validate=_second_non_empty(name, "separator"))  # fmt: skip
    def implementation(call, text, sep=None, maxsplit=-1):
        if sep is not None:
            _non_empty(name, "separator", sep)
        call.budget.charge_text(len(text))
        parts = method(text, sep, maxsplit)
        call.budget.charge(len(parts))
        return ListValue(tuple(parts), STRING_LIST)


for _name in ("split", "rsplit"):
    _splitter(_name)


@define("join(list[string], string) -> string", "join(list[path], string) -> string")
def _join(call, items, sep):
    texts = [to_string(item) for item in items.items]
    call.budget.charge(len(texts))
    size = sum(len(t) for t in texts) + len(sep) * max(len(texts) - 1, 0)
    call.budget.allocate(size)
    call.budget.charge_text(size)
    return sep.join(texts)


def _padder(name: str):
    method = getattr(str, name)

    @define(f"{name}(string, int) -> string")
    def implementation(call, text, width):
        call.budget.allocate(width)
        call.budget.charge_text(max(width, len(text)))
        return method(text, width)


for _name in ("ljust", "rjust", "center"):
    _padder(_name)


@define("zfill(string, int) -> string", "zfill(int, int) -> string", "zfill(float, int) -> string")
def _zfill(call, value, width):
    call.budget.allocate(width)
    text = value.render() if isinstance(value, Float) else str(check_int(value)) if isinstance(value, int) else value
    return text.zfill(width)


@define("__mul__(string, int) -> string")
def _repeat_string(call, text, count):
    size = len(text) * max(count, 0)
    call.budget.allocate(size)
    call.budget.charge_text(size)
    return text * count


@define("__add__(string, string) -> string")
def _concat(call, a, b):
    call.budget.allocate(len(a) + len(b))
    call.budget.charge_text(len(a) + len(b))
    return a + b


@define("__contains__(string, string) -> bool")
def _substring(call, text, sub):
    call.budget.charge_text(len(text))
    return sub in text


@define("__getitem__(string, int) -> string")
def _char_at(call, text, index):
    if not -len(text) <= index < len(text):
        raise EvalError(f"Index {index} out of bounds for string of length {len(text)}")
    return text[index]


@define("len(string) -> int")
def _len_string(call, text):
    return len(text)
