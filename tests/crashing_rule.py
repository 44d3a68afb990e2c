"""A rule with a bug, for the tests of M004 internal-error: it raises on a step named `Crash`."""

import contextlib

import pytest

from openjd_lint.findings import Severity
from openjd_lint.rule_api import Registry, Rule


def _crash_on_a_step_named_crash(context):
    for step in context.plain.get("steps", []):
        if isinstance(step, dict) and step.get("name") == "Crash":
            raise KeyError("a bug in a rule")
    return []


CRASHING_RULE = Rule("Z999", "crashing-rule", Severity.ERROR, "A rule with a bug.", "", "x", "y",
                     check=_crash_on_a_step_named_crash)


@contextlib.contextmanager
def crashing_rule_registered():
    """Every registry runs CRASHING_RULE first, in this process and the workers it forks."""
    checks = Registry.checks
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Registry, "checks", lambda self: [CRASHING_RULE, *checks(self)])
        yield
