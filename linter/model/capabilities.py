"""Capability names (spec §3.3.1.1, §3.3.2.1): their form, the reserved scopes and the standard capabilities.

A name may be a format string, resolved when the job is created; `name_problem` judges a resolved name.
"""

from __future__ import annotations

import re
from typing import Optional

RESERVED_SCOPES = ("worker", "job", "step", "task")
STANDARD_AMOUNTS = {"amount.worker.vcpu", "amount.worker.memory", "amount.worker.gpu", "amount.worker.gpu.memory",
                    "amount.worker.disk.scratch"}
STANDARD_ATTRIBUTE_VALUES = {"attr.worker.os.family": ("linux", "windows", "macos"),
                             "attr.worker.cpu.arch": ("x86_64", "arm64")}
STANDARD_NAMES = {"amount": STANDARD_AMOUNTS, "attr": set(STANDARD_ATTRIBUTE_VALUES)}
KIND_WORDS = {"amount": "amount", "attr": "attribute"}
MAX_NAME_LENGTH = 100
_FORMS = {prefix: re.compile(rf"([A-Za-z_][A-Za-z0-9_]*:)?{prefix}(\.[A-Za-z_][A-Za-z0-9_]*)+", re.IGNORECASE)
          for prefix in STANDARD_NAMES}


def reserved_scope(name: str, prefix: str) -> Optional[str]:
    """The reserved scope (`amount.worker`, …) a name of kind `prefix` (`amount` or `attr`) uses without being
    a standard capability, or None. Names compare case-insensitively; a vendor prefix cannot claim a scope."""
    vendor, _, bare = name.lower().rpartition(":")
    segments = bare.split(".")
    if len(segments) < 2 or segments[0] != prefix or segments[1] not in RESERVED_SCOPES:
        return None
    if bare in STANDARD_NAMES[prefix] and not vendor:
        return None
    return f"{prefix}.{segments[1]}"


def name_problem(name: str, prefix: str) -> Optional[str]:
    """Why `name` is not a valid capability name of kind `prefix`, or None."""
    if len(name) > MAX_NAME_LENGTH:
        return f"it is {len(name)} characters long; the maximum is {MAX_NAME_LENGTH}"
    if not _FORMS[prefix].fullmatch(name):
        return f"it is not `{prefix}.` followed by dot-separated identifiers, optionally after a `vendor:` prefix"
    scope = reserved_scope(name, prefix)
    if scope is not None:
        return f"it uses the reserved scope `{scope}`, which only names the capabilities OpenJD defines"
    return None
