"""Decimal integer text of any length, converted in bounded time.

Python refuses to convert decimal text of more than 4,300 digits to an int (`int("9" * 5000)` raises
ValueError: the conversion takes quadratic time), and every integer OpenJD knows fits in 64 bits. Text with
more significant digits than that stands for a number beyond every 64-bit bound: `to_int` returns ±BEYOND
for it, so a range check reports it as the out-of-range number it is (messages show the text, never this
stand-in value).
"""

from __future__ import annotations

import re

MAX_DIGITS = 4300  # Python's default limit (sys.get_int_max_str_digits)
BEYOND = 2 ** 64
_DECIMAL = re.compile(r"\s*([+-]?)0*([0-9](?:_?[0-9])*)\s*")


def to_int(text: str) -> int:
    """int(text) for decimal text however long (ValueError for text that is no integer)."""
    match = _DECIMAL.fullmatch(text)
    if match is None:
        return int(text)  # what else int() accepts (other scripts' digits), or its ValueError
    digits = match[2].replace("_", "")
    if len(digits) > MAX_DIGITS:
        return -BEYOND if match[1] == "-" else BEYOND
    return int(match[1] + digits)


def abbreviated(text: str) -> str:
    """Numeral text for a message: a long one shows its ends and its length."""
    return text if len(text) <= 40 else f"{text[:20]}...{text[-10:]} ({len(text):,} characters)"


def is_too_long(digits: str) -> bool:
    """Whether decimal digits (no sign, no underscores) have more significant digits than MAX_DIGITS."""
    return len(digits) > MAX_DIGITS and len(digits.lstrip("0")) > MAX_DIGITS
