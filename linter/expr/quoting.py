"""The `repr_*` serialisers of functions.md §8: text that a shell, cmd.exe, PowerShell, Python or a
JSON parser reads back as the original value."""

from __future__ import annotations

import json
import re
from typing import Any

from openjd_lint.expr.values import Float, ListValue, PathValue, RangeValue, to_string

_SH_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_CMD_SPECIAL = re.compile(r"[&|<>^\"()%!\s]")
_CMD_ESCAPES = {"^": "^^", '"': '^"', "%": "%%", "!": "^^!"}


def _sequence(value: Any) -> list:
    return list(value.items) if isinstance(value, ListValue) else [value]


def sh_quote(text: str) -> str:
    """Python's shlex.quote."""
    if not text:
        return "''"
    if _SH_SAFE.fullmatch(text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def repr_sh(value: Any) -> str:
    """A string or path (or a list of them) as POSIX shell words, like shlex.quote / shlex.join."""
    return " ".join(sh_quote(to_string(item)) for item in _sequence(value))


def cmd_quote(text: str) -> str:
    text = text.replace("\r", "").replace("\n", "")
    if text and not _CMD_SPECIAL.search(text):
        return text
    return '"' + "".join(_CMD_ESCAPES.get(ch, ch) for ch in text) + '"'


def repr_cmd(value: Any) -> str:
    """A string (or list of strings) as cmd.exe arguments (RFC 0006 rules)."""
    return " ".join(cmd_quote(to_string(item)) for item in _sequence(value))


def repr_pwsh(value: Any) -> str:
    """A PowerShell literal."""
    if value is None:
        return "$null"
    if isinstance(value, bool):
        return "$true" if value else "$false"
    if isinstance(value, ListValue):
        return "@(" + ", ".join(repr_pwsh(item) for item in value.items) + ")"
    if isinstance(value, (str, PathValue, RangeValue)):
        return "'" + to_string(value).replace("'", "''") + "'"
    return to_string(value)


def repr_py(value: Any) -> str:
    """Python `repr` of the value."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, ListValue):
        return "[" + ", ".join(repr_py(item) for item in value.items) + "]"
    if isinstance(value, (str, PathValue, RangeValue)):
        return repr(to_string(value))
    return to_string(value)


def repr_json(value: Any) -> str:
    """JSON text; non-ASCII characters are written as \\uXXXX, floats keep their source text."""
    if isinstance(value, ListValue):
        return "[" + ", ".join(repr_json(item) for item in value.items) + "]"
    if isinstance(value, (str, PathValue, RangeValue)):
        return json.dumps(to_string(value), ensure_ascii=True)
    if isinstance(value, Float):
        return value.render()
    return to_string(value)
