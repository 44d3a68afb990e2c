"""Host requirements (spec §3.3): reserved capability scopes, the values of the standard attributes,
amount min <= max, single-valued standard attributes, and the total number of requirements.

Names and values holding `{{…}}` are only known at job creation and are skipped.
"""

from __future__ import annotations

import math
import re

from openjd_lint.context import Context
from openjd_lint.findings import Related, Severity
from openjd_lint.rule_api import Rule
from openjd_lint.model.parts import host_requirements, is_literal, items, mappings, scalar, text

RESERVED_SCOPES = ("worker", "job", "step", "task")
STANDARD_AMOUNTS = {"amount.worker.vcpu", "amount.worker.memory", "amount.worker.gpu", "amount.worker.gpu.memory",
                    "amount.worker.disk.scratch"}
STANDARD_ATTRIBUTE_VALUES = {"attr.worker.os.family": ("linux", "windows", "macos"),
                             "attr.worker.cpu.arch": ("x86_64", "arm64")}
MAX_REQUIREMENTS = 50
_VALUE_FORM = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,99}")
_NUMBER_TEXT = re.compile(r"[+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _job(requirements: str) -> str:
    return ("specificationVersion: jobtemplate-2023-09\nname: Job\nsteps:\n- name: Render\n  hostRequirements:\n"
            + requirements + "  script:\n    actions:\n      onRun:\n        command: render\n")


def _capabilities(ctx: Context, kind: str):
    for path, requirements in host_requirements(ctx):
        yield from mappings(requirements.get(kind), path + (kind,))


def _check_reserved(ctx: Context):
    for kind, prefix, standard in (("amounts", "amount", STANDARD_AMOUNTS),
                                   ("attributes", "attr", set(STANDARD_ATTRIBUTE_VALUES))):
        for path, capability in _capabilities(ctx, kind):
            name = text(capability, "name")
            if name is None or not is_literal(name):
                continue
            vendor, _, bare = name.lower().rpartition(":")
            segments = bare.split(".")
            if len(segments) < 2 or segments[0] != prefix or segments[1] not in RESERVED_SCOPES:
                continue
            if bare in standard and not vendor:
                continue
            scope = f"{prefix}.{segments[1]}"
            choices = ", ".join(sorted(standard))
            reason = "a vendor prefix cannot claim it" if bare in standard else f"the standard names are: {choices}"
            own_scope = ".".join([prefix, "studio", *segments[2:]])
            yield RESERVED_SCOPE.finding(
                f"capability name {name!r} uses the reserved scope `{scope}`, which only names the capabilities "
                f"OpenJD defines; {reason}", path + ("name",),
                hint=f"use a standard name, or a scope of your own such as `{own_scope}`")


def _check_standard_values(ctx: Context):
    for path, capability in _capabilities(ctx, "attributes"):
        name = text(capability, "name")
        allowed = STANDARD_ATTRIBUTE_VALUES.get(name.lower()) if name else None
        if allowed is None:
            continue
        for key in ("anyOf", "allOf"):
            for index, item in items(capability.get(key)):
                value = getattr(item, "value", None)
                # Values of the wrong form are the schema's finding.
                if isinstance(value, str) and _VALUE_FORM.fullmatch(value) and value.lower() not in allowed:
                    yield STANDARD_VALUE.finding(
                        f"{value!r} is not a value of {name}; it is one of: {', '.join(allowed)}",
                        path + (key, index), hint=f"use one of: {', '.join(allowed)} (any case)")


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return float(value)
    return None


def _check_min_max(ctx: Context):
    for path, amount in _capabilities(ctx, "amounts"):
        low, high = _number(scalar(amount, "min")), _number(scalar(amount, "max"))
        if low is None or high is None or math.isnan(low) or math.isnan(high) or low <= high:
            continue
        yield AMOUNT_MIN_EXCEEDS_MAX.finding(
            f"min {scalar(amount, 'min')!r} is greater than max {scalar(amount, 'max')!r}, so no worker qualifies",
            path + ("min",), hint="lower min or raise max", related=(Related("max", path=path + ("max",)),))


def _check_single_valued(ctx: Context):
    for path, capability in _capabilities(ctx, "attributes"):
        name = text(capability, "name")
        values = items(capability.get("allOf"))
        if name and name.lower() in STANDARD_ATTRIBUTE_VALUES and len(values) > 1:
            yield SINGLE_VALUED.finding(
                f"{name} has one value per worker, so `allOf` cannot require {len(values)} values at once",
                path + ("allOf",), on_key=True,
                hint="use `anyOf` to accept any of these values, or keep a single value in `allOf`")


def _check_total(ctx: Context):
    for path, requirements in host_requirements(ctx):
        total = len(items(requirements.get("amounts"))) + len(items(requirements.get("attributes")))
        if total > MAX_REQUIREMENTS:
            yield TOO_MANY.finding(
                f"{total} requirements (amounts and attributes together); at most {MAX_REQUIREMENTS} are allowed",
                path, hint="drop or merge requirements")


RESERVED_SCOPE = Rule(
    "T301", "reserved-capability-scope", Severity.ERROR,
    "A capability name uses a reserved scope (`worker`, `job`, `step`, `task`) but is not a standard capability.",
    "Names such as `amount.worker.*` and `attr.job.*` are reserved for the capabilities OpenJD defines: "
    "amount.worker.vcpu, amount.worker.memory, amount.worker.gpu, amount.worker.gpu.memory, "
    "amount.worker.disk.scratch, attr.worker.os.family and attr.worker.cpu.arch. The reservation also holds "
    "behind a vendor prefix (`acme:amount.worker.x`). Names are compared case-insensitively.",
    bad=_job("    amounts:\n    - name: amount.worker.licenses\n      min: 1\n"),
    good=_job("    amounts:\n    - name: amount.studio.licenses\n      min: 1\n"),
    check=_check_reserved,
)

STANDARD_VALUE = Rule(
    "T302", "standard-attribute-value", Severity.ERROR,
    "A standard attribute is given a value it cannot have.",
    "`attr.worker.os.family` is one of linux, windows, macos; `attr.worker.cpu.arch` is one of x86_64, arm64 "
    "(compared case-insensitively). A requirement on any other value can never be met.",
    bad=_job("    attributes:\n    - name: attr.worker.os.family\n      anyOf: [ubuntu]\n"),
    good=_job("    attributes:\n    - name: attr.worker.os.family\n      anyOf: [linux]\n"),
    check=_check_standard_values,
)

AMOUNT_MIN_EXCEEDS_MAX = Rule(
    "T303", "amount-min-exceeds-max", Severity.ERROR,
    "An amount requirement's min is greater than its max.",
    "No worker can have at least `min` and at most `max` of the capability when min > max.",
    bad=_job("    amounts:\n    - name: amount.worker.vcpu\n      min: 8\n      max: 4\n"),
    good=_job("    amounts:\n    - name: amount.worker.vcpu\n      min: 4\n      max: 8\n"),
    check=_check_min_max,
)

SINGLE_VALUED = Rule(
    "T304", "single-valued-attribute", Severity.ERROR,
    "`allOf` lists several values of a standard attribute that has one value per worker.",
    "A worker has exactly one operating-system family and one CPU architecture, so `allOf` with two values "
    "can never be met. Use `anyOf` to accept any of them.",
    bad=_job("    attributes:\n    - name: attr.worker.cpu.arch\n      allOf: [x86_64, arm64]\n"),
    good=_job("    attributes:\n    - name: attr.worker.cpu.arch\n      anyOf: [x86_64, arm64]\n"),
    check=_check_single_valued,
)

_MANY = "".join(f"    - name: amount.studio.a{i}\n      min: 1\n" for i in range(26))
_MORE = "".join(f"    - name: attr.studio.a{i}\n      anyOf: [x]\n" for i in range(25))

TOO_MANY = Rule(
    "T305", "too-many-requirements", Severity.ERROR,
    "A step has more than 50 host requirements.",
    "Amounts and attributes together may number at most 50 per step.",
    bad=_job("    amounts:\n" + _MANY + "    attributes:\n" + _MORE),
    good=_job("    amounts:\n" + _MANY + "    attributes:\n" + _MORE.split("    - name: attr.studio.a24")[0]),
    check=_check_total,
)

RULES = [RESERVED_SCOPE, STANDARD_VALUE, AMOUNT_MIN_EXCEEDS_MAX, SINGLE_VALUED, TOO_MANY]
