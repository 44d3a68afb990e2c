"""Wording shared by the error mappers: how to name a place in the template, a type, a suggestion."""

from __future__ import annotations

import difflib
from typing import Iterable, Optional

TYPE_NAMES = {
    "string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping", "null": "null",
}


def subject(path: tuple) -> str:
    """How a message names the value at `path`: `timeout`, `args[1]`, `default[0][2]`, or the template."""
    if not path:
        return "the template"
    indexes = ""
    position = len(path)
    while position > 0 and isinstance(path[position - 1], int):
        position -= 1
        indexes = f"[{path[position]}]" + indexes
    return f"`{path[position - 1]}{indexes}`" if position > 0 else f"item {indexes}"


def owner(path: tuple) -> str:
    """How a message names the mapping at `path` when talking about its keys."""
    if not path:
        return "the template root"
    return subject(path)


def type_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def expected_types(types) -> str:
    names = [TYPE_NAMES.get(t, t) for t in ([types] if isinstance(types, str) else types)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def closest(word: str, candidates: Iterable[str]) -> Optional[str]:
    options = [c for c in candidates if isinstance(c, str)]
    for option in options:
        if option.lower() == word.lower():
            return option
    prefixed = [option for option in options if len(word) >= 3 and option.lower().startswith(word.lower())]
    if len(prefixed) == 1:
        return prefixed[0]
    by_lower = {option.lower(): option for option in options}
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def listing(values: Iterable) -> str:
    return ", ".join(str(v) for v in values)


def shown(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
