"""Command-line length limits per platform and the size of an argv against them.

Figures from RFC 0008's first revision (wrap-task-run.md): Linux caps argv plus environment at
about 2 MiB and each single string at 128 KiB (MAX_ARG_STRLEN); macOS caps the total at 262,144
bytes; Windows caps a CreateProcess command line at 32,767 UTF-16 characters and cmd.exe a command
at 8,191. POSIX limits count bytes (UTF-8), so non-ASCII text costs more there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from openjd_lint.shell.interpreters import CMD, PWSH

_POINTER_SIZE = 8


@dataclass(frozen=True)
class Limit:
    platform: str
    description: str
    size: int
    unit: str  # "bytes" or "characters"
    per_argument: bool = False

    def measure(self, argv: Sequence[str]) -> int:
        """The size of `argv` as this limit counts it (the largest element for a per-argument limit)."""
        if self.per_argument:
            return max((len(word.encode("utf-8", "surrogatepass")) + 1 for word in argv), default=0)
        if self.unit == "bytes":
            return posix_argv_bytes(argv)
        return windows_command_line_length(argv)


LINUX_TOTAL = Limit("Linux", "argv and environment together (ARG_MAX)", 2 * 1024 * 1024, "bytes")
LINUX_ARGUMENT = Limit("Linux", "one argument (MAX_ARG_STRLEN)", 128 * 1024, "bytes", per_argument=True)
MACOS_TOTAL = Limit("macOS", "argv and environment together (ARG_MAX)", 262_144, "bytes")
WINDOWS_COMMAND_LINE = Limit("Windows", "a CreateProcess command line", 32_767, "characters")
CMD_COMMAND_LINE = Limit("Windows", "a cmd.exe command line", 8_191, "characters")

POSIX_LIMITS = (LINUX_ARGUMENT, MACOS_TOTAL, LINUX_TOTAL)
WINDOWS_LIMITS = (CMD_COMMAND_LINE, WINDOWS_COMMAND_LINE)


def limits_for(interpreter) -> tuple:
    """The limits that apply to a command run by `interpreter` (None: a program of unknown platform)."""
    if interpreter == CMD:
        return WINDOWS_LIMITS
    if interpreter == PWSH:
        return (WINDOWS_COMMAND_LINE,)
    return POSIX_LIMITS + (WINDOWS_COMMAND_LINE,)


def posix_argv_bytes(argv: Sequence[str]) -> int:
    """What execve counts: each string with its NUL terminator plus one pointer per string."""
    return sum(len(word.encode("utf-8", "surrogatepass")) + 1 + _POINTER_SIZE for word in argv)


def windows_command_line_length(argv: Sequence[str]) -> int:
    """UTF-16 length of the argv joined the way CreateProcess receives it (quoted when needed)."""
    total = 0
    for word in argv:
        units = len(word.encode("utf-16-le", "surrogatepass")) // 2
        needs_quotes = not word or any(ch in word for ch in ' \t"')
        total += units + (2 + word.count('"') if needs_quotes else 0)
    return total + max(len(argv) - 1, 0)


def exceeded(argv: Sequence[str], limits: Sequence[Limit]) -> list:
    """(limit, measured size) for every limit the argv goes beyond."""
    found = []
    for limit in limits:
        size = limit.measure(argv)
        if size > limit.size:
            found.append((limit, size))
    return found
