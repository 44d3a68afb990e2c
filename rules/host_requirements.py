"""Host requirements (spec §3.3): reserved capability scopes, the values of the standard attributes,
amount min <= max, single-valued standard attributes, the total number of requirements, and capability
names that are format strings, judged with the values the job parameters are known to take.

Other names and values holding `{{…}}` are only known at job creation and are skipped.
"""

from __future__ import annotations

import itertools
import math
import re

from openjd_lint.context import Context
from openjd_lint.findings import Related, Severity
from openjd_lint.model.capabilities import (
    KIND_WORDS, STANDARD_ATTRIBUTE_VALUES, STANDARD_NAMES, name_problem, reserved_scope,
)
from openjd_lint.model.parts import host_requirements, is_literal, items, mappings, scalar, text
from openjd_lint.rule_api import Rule
from openjd_lint.session import parameters
from openjd_lint.session.resolver import ResolveError, Resolver

MAX_REQUIREMENTS = 50
_VALUE_FORM = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,99}")
_NUMBER_TEXT = re.compile(r"[+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_PARAMETER_REFERENCE = re.compile(r"\b(?:Raw)?Param\.([A-Za-z_][A-Za-z0-9_]*)")
_KNOWN_TYPES = ("STRING", "INT")  # whose values a capability name can be built from as they are written
_MAX_ASSIGNMENTS = 64


def _job(requirements: str) -> str:
    return ("specificationVersion: jobtemplate-2023-09\nname: Job\nsteps:\n- name: Render\n  hostRequirements:\n"
            + requirements + "  script:\n    actions:\n      onRun:\n        command: render\n")


def _capabilities(ctx: Context, kind: str):
    for path, requirements in host_requirements(ctx):
        yield from mappings(requirements.get(kind), path + (kind,))


_KINDS = (("amounts", "amount"), ("attributes", "attr"))


def _check_reserved(ctx: Context):
    for kind, prefix in _KINDS:
        standard = STANDARD_NAMES[prefix]
        for path, capability in _capabilities(ctx, kind):
            name = text(capability, "name")
            if name is None or not is_literal(name):
                continue
            scope = reserved_scope(name, prefix)
            if scope is None:
                continue
            bare = name.lower().rpartition(":")[2]
            choices = ", ".join(sorted(standard))
            reason = "a vendor prefix cannot claim it" if bare in standard else f"the standard names are: {choices}"
            own_scope = ".".join([prefix, "studio", *bare.split(".")[2:]])
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


def _known_values(ctx: Context) -> dict:
    """For each STRING or INT job parameter with allowed values or a default: [(value, how it is known)]."""
    known = {}
    for definition in parameters.definitions(ctx):
        if definition.type not in _KNOWN_TYPES:
            continue
        allowed = definition.plain.get("allowedValues")
        if isinstance(allowed, list):
            candidates = [(value, "one of its allowed values") for value in allowed]
        elif "default" in definition.plain:
            candidates = [(definition.plain["default"], "its default")]
        else:
            continue
        coerced = [(parameters.coerce(definition.type, definition.plain, raw), how) for raw, how in candidates]
        values = [(value, how) for (value, error), how in coerced if error is None]
        if values:
            known[definition.name] = values
    return known


def _check_resolved_names(ctx: Context):
    known = None
    for kind, prefix in _KINDS:
        for path, capability in _capabilities(ctx, kind):
            name = text(capability, "name")
            if name is None or is_literal(name):
                continue
            known = _known_values(ctx) if known is None else known
            referenced = sorted(set(_PARAMETER_REFERENCE.findall(name)))
            if not referenced or any(parameter not in known for parameter in referenced):
                continue
            for assignment in itertools.islice(itertools.product(*(known[p] for p in referenced)), _MAX_ASSIGNMENTS):
                values = {}
                for parameter, (value, _) in zip(referenced, assignment):
                    values[f"Param.{parameter}"] = values[f"RawParam.{parameter}"] = value
                try:
                    resolved = Resolver(ctx, values, "posix", host=False).text(name)
                except ResolveError:  # the expression's own problem, which the X rules report
                    break
                problem = name_problem(resolved, prefix)
                if problem is not None:
                    given = ", ".join(f"{parameter} = {value!r} ({how})"
                                      for parameter, (value, how) in zip(referenced, assignment))
                    yield RESOLVED_NAME.finding(
                        f"with {given}, the capability name resolves to {resolved!r}, which is not a valid "
                        f"{KIND_WORDS[prefix]} name: {problem}", path + ("name",),
                        hint=f"make every value the job can be given produce a name such as `{prefix}.studio.x`")
                    break


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

_NAMED = "parameterDefinitions:\n- name: Licenses\n  type: STRING\n  allowedValues: [{values}]\n"

RESOLVED_NAME = Rule(
    "T306", "resolved-capability-name", Severity.ERROR,
    "A capability name that is a format string resolves, with a value its job parameter can take, to an "
    "invalid name.",
    "A capability `name` may be a format string such as `amount.{{Param.License}}`: it is resolved when the job "
    "is created, and the resolved name must be a valid capability name (the `amount.` or `attr.` form, at most "
    "100 characters, no reserved scope). When the parameters it uses have allowed values (each one is checked) "
    "or a default, the resolved names are known now; a value that makes an invalid name fails job creation.",
    bad=_job("    amounts:\n    - name: \"amount.{{Param.Licenses}}\"\n      min: 1\n").replace(
        "name: Job\n", "name: Job\n" + _NAMED.format(values="studio.nuke, 2d.katana")),
    good=_job("    amounts:\n    - name: \"amount.{{Param.Licenses}}\"\n      min: 1\n").replace(
        "name: Job\n", "name: Job\n" + _NAMED.format(values="studio.nuke, studio.katana")),
    check=_check_resolved_names,
)

RULES = [RESERVED_SCOPE, STANDARD_VALUE, AMOUNT_MIN_EXCEEDS_MAX, SINGLE_VALUED, TOO_MANY, RESOLVED_NAME]
