"""Arithmetic and ordering operators, conversions (`bool`, `string`, `int`, `float`, `fail`) and
the math functions (functions.md §1-§3)."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal

from openjd_lint.expr import types as T
from openjd_lint.expr.library.registry import define
from openjd_lint.expr.values import (
    EvalError,
    Float,
    check_int,
    compare,
    deep_length,
    exact_int,
    make_float,
    memory_size,
    RangeValue,
    parse_float,
    to_string,
)

_INT_TEXT = re.compile(r"\s*[+-]?[0-9]+\s*", re.ASCII)
_FLOAT_TEXT = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*", re.ASCII)
_TRUE_WORDS = {"1", "true", "on", "yes"}
_FALSE_WORDS = {"0", "false", "off", "no"}


def _f(x) -> float:
    return x.value if isinstance(x, Float) else float(x)


@define("__add__(int, int) -> int")
def _add_int(call, a, b):
    return check_int(a + b)


@define("__add__(float, float) -> float")
def _add_float(call, a, b):
    return make_float(_f(a) + _f(b))


@define("__sub__(int, int) -> int")
def _sub_int(call, a, b):
    return check_int(a - b)


@define("__sub__(float, float) -> float")
def _sub_float(call, a, b):
    return make_float(_f(a) - _f(b))


@define("__mul__(int, int) -> int")
def _mul_int(call, a, b):
    return check_int(a * b)


@define("__mul__(float, float) -> float")
def _mul_float(call, a, b):
    return make_float(_f(a) * _f(b))


def _nonzero(divisor) -> None:
    if _f(divisor) == 0:
        raise EvalError("Division by zero")


@define("__truediv__(int, int) -> float", "__truediv__(float, float) -> float")
def _truediv(call, a, b):
    _nonzero(b)
    if isinstance(a, int) and isinstance(b, int):
        return make_float(a / b)
    return make_float(_f(a) / _f(b))


@define("__floordiv__(int, int) -> int")
def _floordiv_int(call, a, b):
    _nonzero(b)
    return check_int(a // b)


@define("__floordiv__(float, float) -> int")
def _floordiv_float(call, a, b):
    _nonzero(b)
    quotient = _f(a) // _f(b)
    make_float(quotient)
    return check_int(int(quotient))


@define("__mod__(int, int) -> int")
def _mod_int(call, a, b):
    _nonzero(b)
    return a % b


@define("__mod__(float, float) -> float")
def _mod_float(call, a, b):
    _nonzero(b)
    return make_float(_f(a) % _f(b))


@define("__pow__(int, int) -> int")
def _pow_int(call, base, exponent):
    if exponent < 0:
        if base == 0:
            raise EvalError("Cannot raise zero to a negative power")
        return make_float(float(base) ** exponent)
    if abs(base) > 1 and exponent > 64:  # |base|**65 >= 2**65 cannot fit; never build it
        raise EvalError("Integer overflow: result is outside the 64-bit signed range")
    return check_int(base**exponent)


@define("__pow__(float, float) -> float")
def _pow_float(call, base, exponent):
    x, y = _f(base), _f(exponent)
    if x == 0 and y < 0:
        raise EvalError("Cannot raise zero to a negative power")
    if x < 0 and y != int(y):
        raise EvalError(f"Cannot compute {to_string(base)} ** {to_string(exponent)} (would produce complex number)")
    try:
        return make_float(x**y)
    except OverflowError:
        raise EvalError("Float operation produced infinity") from None


@define("__neg__(int) -> int")
def _neg_int(call, a):
    return check_int(-a)


@define("__neg__(float) -> float")
def _neg_float(call, a):
    return make_float(-a.value)


@define("__pos__(int) -> int", "__pos__(float) -> float")
def _pos(call, a):
    return a


@define("__not__(bool) -> bool")
def _not(call, a):
    return not a


_ORDERED = ("int, int", "float, float", "string, string", "bool, bool", "list[T1], list[T2]")


def _ordering(name: str, test):
    @define(*(f"{name}({params}) -> bool" for params in _ORDERED))
    def implementation(call, a, b):
        return test(compare(a, b))

    return implementation


_ordering("__lt__", lambda order: order < 0)
_ordering("__le__", lambda order: order <= 0)
_ordering("__gt__", lambda order: order > 0)
_ordering("__ge__", lambda order: order >= 0)


# --- conversions --------------------------------------------------------------------------------


@define("bool(bool) -> bool", "bool(nulltype) -> bool", "bool(int) -> bool", "bool(float) -> bool", coerce=False)
def _bool(call, value):
    if value is None:
        return False
    return _f(value) != 0 if not isinstance(value, bool) else value


@define("bool(string) -> bool", coerce=False)
def _bool_string(call, text):
    word = text.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise EvalError(f"Cannot convert {text!r} to bool (expected one of 1, true, on, yes, 0, false, off, no)")


@define(
    "string(bool) -> string", "string(int) -> string", "string(float) -> string", "string(string) -> string",
    "string(path) -> string", "string(range_expr) -> string", "string(nulltype) -> string",
    "string(list[T]) -> string",
)  # fmt: skip
def _string(call, value):
    call.budget.allocate(memory_size(value))
    text = to_string(value)
    call.budget.charge_text(len(text))
    return text


@define("int(int) -> int")
def _int_identity(call, value):
    return value


@define("int(float) -> int")
def _int_float(call, value):
    return exact_int(value)


@define("int(string) -> int")
def _int_string(call, text):
    if not _INT_TEXT.fullmatch(text):
        raise EvalError(f"Cannot convert {text!r} to int")
    return exact_int(text)


@define("float(int) -> float")
def _float_int(call, value):
    return make_float(float(value))


@define("float(float) -> float")
def _float_identity(call, value):
    return value


@define("float(string) -> float")
def _float_string(call, text):
    if not _FLOAT_TEXT.fullmatch(text):
        raise EvalError(f"Cannot convert {text!r} to float")
    return parse_float(text)


@define("fail(string) -> noreturn")
def _fail(call, message):
    raise EvalError(message)


# --- math ---------------------------------------------------------------------------------------


@define("abs(int) -> int")
def _abs_int(call, value):
    return check_int(abs(value))


@define("abs(float) -> float")
def _abs_float(call, value):
    return make_float(abs(value.value))


def _extreme(name: str, pick):
    def over(call, items):
        if isinstance(items, RangeValue):
            if not items.segments:
                raise EvalError(f"{name}() requires a non-empty range")
            return items.segments[0][0] if name == "min" else items.segments[-1][1]
        call.budget.work(deep_length(items))
        items = list(items.items)
        if not items:
            raise EvalError(f"{name}() requires a non-empty list")
        call.budget.charge(len(items))
        best = items[0]
        for item in items[1:]:
            if pick(compare(item, best)):
                best = item
        return best

    define(f"{name}(list[T]) -> T", f"{name}(range_expr) -> int")(over)

    @define(
        f"{name}(int, int) -> int", f"{name}(float, float) -> float",
        f"{name}(int, int, int) -> int", f"{name}(float, float, float) -> float",
    )  # fmt: skip
    def among(call, *values):
        best = values[0]
        for value in values[1:]:
            if pick(compare(value, best)):
                best = value
        return best


_extreme("min", lambda order: order < 0)
_extreme("max", lambda order: order > 0)


def _range_sum(values) -> int:
    return sum((first + last) * ((last - first) // step + 1) // 2 for first, last, step in values.segments)


@define("sum(list[int]) -> int", "sum(list[float]) -> float", "sum(range_expr) -> int")
def _sum(call, items):
    if call.result == T.INT and not hasattr(items, "items"):
        return check_int(_range_sum(items))
    call.budget.charge(len(items))
    if call.result == T.INT:
        return check_int(sum(items.items))
    return make_float(math.fsum(_f(x) for x in items.items))


@define("floor(int) -> int", "ceil(int) -> int")
def _integral_identity(call, value):
    return value


@define("floor(float) -> int")
def _floor(call, value):
    return check_int(math.floor(value.value))


@define("ceil(float) -> int")
def _ceil(call, value):
    return check_int(math.ceil(value.value))


@define("round(int) -> int")
def _round_int(call, value):
    return value


@define("round(float) -> int")
def _round_float(call, value):
    return check_int(round(value.value))


@define("round(int, int) -> int")
def _round_int_digits(call, value, ndigits):
    if ndigits >= 0:
        return value
    return check_int(int(Decimal(value).quantize(Decimal(1).scaleb(-ndigits), rounding=ROUND_HALF_EVEN)))


@define("round(float, int) -> float")
def _round_float_digits(call, value, ndigits):
    # Decimal rounding of the shortest text (round(2.675, 2) == 2.68), half to even.
    if abs(ndigits) > 400:
        raise EvalError("round() ndigits is out of range")
    rounded = Decimal(repr(value.value)).quantize(Decimal(1).scaleb(-ndigits), rounding=ROUND_HALF_EVEN)
    if ndigits <= 0:
        return check_int(int(rounded))
    number = make_float(float(rounded))
    text = str(abs(rounded)) if number.value == 0 else str(rounded)
    return Float(number.value, text if "E" not in text else None)
