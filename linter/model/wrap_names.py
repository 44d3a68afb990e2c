"""The spellings the wrap extension went through (wrap-history.md §1) and the hints that name the final one.

`final_name` maps a draft (WRAP_TASK_RUN) or intermediate RFC 0008 variable name to its WRAP_ACTIONS
spelling; `name_hint` and `key_hint` are the hints of an undefined name or an unknown action key that
some revision of the extension (or an open point that neither adopted) spells that way.
"""

from __future__ import annotations

from typing import Optional

from openjd_lint.model.symbols import WRAP_ACTIONS, WRAP_TASK_RUN

# Draft (WRAP_TASK_RUN) and intermediate RFC 0008 names -> final WRAP_ACTIONS names.
RENAMED_NAMES = {
    "Task.Command": "WrappedAction.Command",
    "Task.Args": "WrappedAction.Args",
    "Task.Environment": "WrappedAction.Environment",
    "Task.Timeout": "WrappedAction.Timeout",
    "Env.Action.Timeout": "WrappedAction.Timeout",
    "Env.Wrapped.Name": "WrappedEnv.Name",
}
RENAMED_PREFIXES = {"Env.Wrapped.Action.": "WrappedAction.", "Task.Action.": "WrappedAction.",
                    "Env.Wrapped.": "WrappedAction."}
RENAMED_KEYS = {"onWrapEnter": "onWrapEnvEnter", "onWrapExit": "onWrapEnvExit"}
# The names of the draft itself (the rest are intermediate RFC 0008 spellings).
DRAFT_VALUES = frozenset({"Task.Command", "Task.Args", "Task.Environment", "Env.Action.Timeout"})
_DRAFT_FOR_FINAL = {"WrappedAction.Command": "Task.Command", "WrappedAction.Args": "Task.Args",
                    "WrappedAction.Environment": "Task.Environment", "WrappedAction.Timeout": "Env.Action.Timeout"}
MONITOR = ("no revision of the wrap extension defines a monitor (`Task.Monitor`, `onMonitor`): it was split off "
           "into a separate proposal (openjd-specifications issue #133)")
_MONITOR_NAMES = ("Task.Monitor", "Env.Monitor", "WrappedAction.Monitor")


def final_name(name: str) -> Optional[str]:
    """The WRAP_ACTIONS spelling of a draft or intermediate wrap variable name, if `name` is one."""
    if name in RENAMED_NAMES:
        return RENAMED_NAMES[name]
    for prefix, replacement in RENAMED_PREFIXES.items():
        if name.startswith(prefix):
            return replacement + name[len(prefix):]
    return None


def name_hint(extensions, name: str) -> Optional[str]:
    """A hint for an undefined name that belongs to some revision of the wrap extension."""
    if name.startswith(_MONITOR_NAMES):
        return MONITOR
    draft_only = WRAP_TASK_RUN in extensions and WRAP_ACTIONS not in extensions
    if draft_only:
        if "Cancelation" in name or "Cancellation" in name:
            return ("the WRAP_TASK_RUN draft names no variable for the wrapped action's cancelation; WRAP_ACTIONS "
                    "provides `WrappedAction.Cancelation.Mode` and `WrappedAction.Cancelation.NotifyPeriodInSeconds`")
        if name in _DRAFT_FOR_FINAL:
            return f"`{name}` is the WRAP_ACTIONS spelling; the WRAP_TASK_RUN draft calls it `{_DRAFT_FOR_FINAL[name]}`"
        if name.startswith(("WrappedAction.", "WrappedEnv.", "WrappedStep.")):
            return f"`{name.split('.')[0]}.*` exists only with WRAP_ACTIONS (migrate the template to use it)"
        return None
    final = final_name(name)
    if final is None:
        return None
    origin = "the WRAP_TASK_RUN draft" if name in DRAFT_VALUES else "an earlier RFC 0008 draft"
    return f"`{name}` is the spelling of {origin}; WRAP_ACTIONS calls it `{final}`"


def key_hint(key: str) -> Optional[str]:
    """A hint for an unknown action key that belongs to some revision of the wrap extension."""
    if key in RENAMED_KEYS:
        return f"`{key}` is an earlier RFC 0008 spelling; WRAP_ACTIONS calls it `{RENAMED_KEYS[key]}`"
    if key == "runOnHost":
        return ("`runOnHost` was dropped from RFC 0008: a wrapping environment wraps every action; do host-side "
                "work in the wrapping environment's own `onEnter`/`onExit`")
    if key == "onMonitor":
        return MONITOR
    return None
