"""The values the Deadline Cloud client would submit for a bundle (job-bundles.md §2, "Precedence"): `-p` over
`parameter_values` over the job template's default over a queue environment's default. Prefixed names never
reach the job; `deadline:` names become job fields. Bundle-relative PATH defaults and the coercion to the
declared types are `expand`'s, which resolves defaults against the template's directory (the bundle)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from openjd_lint.bundle.model import DEADLINE_PARAMETERS, Bundle

GIVEN = "-p"
PRIORITY_NOTE = ("`deadline bundle submit` always passes --priority (default 50), which replaces deadline:priority "
                 "from parameter_values; the job gets this priority only when submitted another way")


@dataclass
class Submission:
    values: dict = field(default_factory=dict)  # name -> value given (-p or parameter_values), before coercion
    origins: dict = field(default_factory=dict)  # name -> where its value comes from
    job_fields: dict = field(default_factory=dict)  # CreateJob fields set by deadline: names
    notes: list = field(default_factory=list)


def submission(bundle: Bundle) -> Submission:
    result = Submission()
    definitions = bundle.definitions()
    values = bundle.document("parameter_values")
    for entry in bundle.entries():  # a later entry of a name wins, as in the client
        if entry.name is None or entry.value_node is None:
            continue
        if entry.name in DEADLINE_PARAMETERS:
            result.job_fields[entry.name.split(":", 1)[1]] = entry.value
        elif ":" not in entry.name and entry.name in definitions:
            result.values[entry.name] = entry.value
            result.origins[entry.name] = os.path.basename(values.path)
    for name, value in bundle.given.items():
        merged = definitions.get(name)
        if merged is not None and merged.type == "PATH" and value == "":
            continue  # the client ignores an empty -p value for a PATH
        result.values[name] = value
        result.origins[name] = GIVEN
    for name, merged in definitions.items():
        supplier = next((d for d in reversed(merged.sources) if "default" in d.plain), None)
        if name not in result.origins and supplier is not None:
            result.origins[name] = f"default in {os.path.basename(supplier.context.source.name)}"
    if "priority" in result.job_fields:
        result.notes.append(PRIORITY_NOTE)
    return result
