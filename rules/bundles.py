"""The B family: Deadline Cloud job bundles, checked as the client reads them (job-bundles.md).

A bundle is a directory, not a template: these rules see its files (`template`, `parameter_values`,
`asset_references`), the parameter values a job would be submitted with (the values file and `-p`),
and the bundle-relative PATH defaults. The client checks almost none of this before uploading; the
service rejects the job afterwards, or the job runs without its inputs.

Each check yields `(file, Finding)`: the finding's path is resolved in that file (the values file for
a value, the template for a definition or a default, the offending file itself for the layout).
"""

from __future__ import annotations

import difflib
import json
import ntpath
import os
import posixpath
from typing import Iterator

from openjd_lint.bundle import layout as L
from openjd_lint.bundle.model import DEADLINE_PARAMETERS, Bundle, Entry
from openjd_lint.findings import Finding, Related, Severity
from openjd_lint.load.tree import MapNode, ScalarNode, SeqNode, node_at
from openjd_lint.rule_api import Rule
from openjd_lint.session import parameters as P

_INPUT_FLOWS = ("IN", "INOUT")

_TEMPLATE = """\
# file: template.yaml
specificationVersion: jobtemplate-2023-09
name: Shot render
parameterDefinitions:
- {name: SceneFile, type: PATH, objectType: FILE, dataFlow: IN, default: scenes/shot.blend}
- {name: Quality, type: INT, minValue: 1, maxValue: 100, default: 80}
steps:
- name: Render
  script:
    actions:
      onRun: {command: blender, args: ["-b", "{{Param.SceneFile}}", "-q", "{{Param.Quality}}"]}
# file: scenes/shot.blend
"""


def _bundle(values: str, template: str = _TEMPLATE) -> str:
    return template + ("# file: parameter_values.yaml\n" + values if values else "")


DUPLICATE_FILE = Rule(
    "B001", "duplicate-bundle-file", Severity.ERROR,
    "A bundle has both the .json and the .yaml file of one stem.",
    "The client reads `template`, `parameter_values` and `asset_references` as `<stem>.json` or `<stem>.yaml` "
    "and refuses a bundle that has both (\"Job bundle directory has both X.json and X.yaml, only one is "
    "permitted\"). Reported at the `.yaml` file. Keep one of them.",
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n")
    + "# file: parameter_values.json\n{\"parameterValues\": [{\"name\": \"Quality\", \"value\": 95}]}\n",
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n"))

UNREAD_FILE = Rule(
    "B002", "unread-yml-bundle-file", Severity.WARNING,
    "A bundle file ends in .yml, which the client does not read.",
    "The client looks for `<stem>.yaml` and `<stem>.json` only: `parameter_values.yml` is silently ignored (the "
    "job gets the defaults), and a bundle whose template is `template.yml` is refused. Rename the file to `.yaml`.",
    _TEMPLATE + "# file: parameter_values.yml\nparameterValues:\n- {name: Quality, value: 90}\n",
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n"))

PATH_OUTSIDE = Rule(
    "B003", "bundle-path-outside", Severity.ERROR,
    "A file or directory of the bundle resolves outside it (a symbolic link).",
    "Before submitting, the client resolves every file and directory entry of the bundle and refuses the bundle "
    "when one lies outside it (\"Job bundle cannot contain a path that resolves outside of the resolved bundle "
    "directory\"). Links to directories are checked but not followed. Copy the files into the bundle, or pass "
    "the outside location as a PATH parameter value.",
    _TEMPLATE + "# link: assets -> /\n",
    _TEMPLATE + "# link: scenes/current.blend -> shot.blend\n")

VALUES_SHAPE = Rule(
    "B004", "parameter-values-shape", Severity.ERROR,
    "The parameter values file does not have the shape the client reads.",
    "The client reads `parameterValues`, a list of `{name, value}` mappings; it fails with a bare KeyError on an "
    "entry without `name` or `value`, and ignores other top-level keys. Names are strings.",
    _bundle("parameterValues:\n- {name: Quality}\n- {value: 90}\n"),
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n"))

UNKNOWN_NAME = Rule(
    "B005", "unknown-parameter-value", Severity.WARNING,
    "A parameter value names no parameter of the template.",
    "A name without a `prefix:` that the template does not define is submitted only when a queue environment "
    "of the target queue defines it; otherwise the submission fails (\"Parameter value was provided for an "
    "undefined parameter\"). Without the queue's environments this is a warning; pass them with `--env` (then "
    "it is an error when none defines the name), or list the names your queue environments define in "
    "`queue-parameters` of the configuration. Values meant only for a submitter take a prefix "
    "(`myapp:Name`), which the client drops.",
    _bundle("parameterValues:\n- {name: Qualty, value: 90}\n"),
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n- {name: 'blender:renderEngine', value: CYCLES}\n"),
    other_severities=(Severity.ERROR,))

UNKNOWN_DEADLINE = Rule(
    "B006", "unknown-deadline-parameter", Severity.ERROR,
    "A `deadline:` name is not one of the job fields the client accepts.",
    "`deadline:priority`, `deadline:targetTaskRunStatus`, `deadline:maxFailedTasksCount` and "
    "`deadline:maxRetriesPerTask` set fields of the job; any other `deadline:` name makes the submission fail "
    "(\"Unrecognized parameter named 'deadline:…' from job bundle\").",
    _bundle("parameterValues:\n- {name: 'deadline:prority', value: 70}\n"),
    _bundle("parameterValues:\n- {name: 'deadline:priority', value: 70}\n"))

VALUE_MISMATCH = Rule(
    "B007", "parameter-value-mismatch", Severity.ERROR,
    "A parameter value does not fit its definition.",
    "The value of a job or queue-environment parameter must have the parameter's type and meet its `minValue`/"
    "`maxValue`, `minLength`/`maxLength` and `allowedValues` (BOOL, RANGE_EXPR and LIST types by the EXPR "
    "extension's rules). The client sends every value as text and the service rejects the job after the upload; "
    "the newest clients check it before. Values from `-p NAME=VALUE` are checked the same way and reported at the "
    "parameter's definition. `deadline:priority` is a whole number from 0 to 100, `deadline:targetTaskRunStatus` "
    "READY or SUSPENDED, the `deadline:max…` counts whole numbers of at least 0 (YAML numbers: the client passes "
    "them on unconverted).",
    _bundle("parameterValues:\n- {name: Quality, value: high}\n- {name: 'deadline:priority', value: 150}\n"),
    _bundle("parameterValues:\n- {name: Quality, value: 95}\n- {name: 'deadline:priority', value: 70}\n"))

DUPLICATE_VALUE = Rule(
    "B008", "duplicate-parameter-value", Severity.WARNING,
    "A parameter is given a value twice in the values file.",
    "The client keeps the last value of a name and drops the others without a word. Keep one entry.",
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n- {name: Quality, value: 95}\n"),
    _bundle("parameterValues:\n- {name: Quality, value: 95}\n"))

MISSING_VALUE = Rule(
    "B009", "missing-parameter-value", Severity.WARNING,
    "A parameter has no default and the submission described gives it no value.",
    "When the bundle has a parameter values file, or values are given with `-p`, that is the submission: a job "
    "parameter without a default that neither gives a value fails it (\"No parameter value provided for Job "
    "Template parameter …, and it has no default value\") unless `-p NAME=VALUE` supplies one at submit time. A "
    "bundle without values is a form the submitter fills in, and is not reported.",
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n", _TEMPLATE.replace(", default: scenes/shot.blend", "")),
    _bundle("parameterValues:\n- {name: Quality, value: 90}\n- {name: SceneFile, value: /mnt/shots/shot.blend}\n",
            _TEMPLATE.replace(", default: scenes/shot.blend", "")))

PATH_DEFAULT = Rule(
    "B010", "bundle-path-default", Severity.ERROR,
    "A PATH default is absolute or leads out of the bundle.",
    "The client joins the default of a PATH parameter without `allowedValues` to the bundle directory, and "
    "refuses the bundle when the default is absolute or resolves outside it (\"PATH values must be relative, and "
    "must resolve within the Job Bundle directory\"), even when `-p` gives a value. A default the values file "
    "overrides is not used. For a fixed location outside the bundle, list it in `allowedValues` (then the value "
    "is used as written) or give it in the values file.",
    _TEMPLATE.replace("scenes/shot.blend", "/mnt/shots/shot.blend"),
    _TEMPLATE)

MISSING_INPUT = Rule(
    "B011", "missing-input-default", Severity.WARNING,
    "The default of an input PATH parameter does not exist in the bundle.",
    "A PATH default with `dataFlow: IN` or `INOUT` names what the job attachments upload; when it does not "
    "exist in the bundle, the client only warns (\"Adding to referenced paths\"), nothing is uploaded, and the "
    "job fails on the worker. Add the file or fix the default.",
    _TEMPLATE.replace("scenes/shot.blend}", "scenes/shott.blend}"),
    _TEMPLATE)

FILE_IS_DIRECTORY = Rule(
    "B012", "input-file-is-directory", Severity.ERROR,
    "The default of an input PATH parameter of objectType FILE is a directory.",
    "Job attachments refuse an input file that is a directory (\"Job submission contains missing input files or "
    "directories specified as files\"). Point the default at a file, or declare `objectType: DIRECTORY`.",
    _TEMPLATE.replace("scenes/shot.blend}", "scenes}"),
    _TEMPLATE)

ASSETS_SHAPE = Rule(
    "B013", "asset-references-shape", Severity.ERROR,
    "The asset references file does not have the shape the client reads.",
    "`asset_references` holds `assetReferences` with `inputs: {filenames: [...], directories: [...]}`, "
    "`outputs: {directories: [...]}` and `referencedPaths: [...]`, every list of path strings (all optional). "
    "Another shape fails the submission with a bare error; unknown keys are ignored (a warning).",
    _TEMPLATE + "# file: asset_references.yaml\nassetReferences:\n  inputs:\n    files: [scenes/shot.blend]\n",
    _TEMPLATE + "# file: asset_references.yaml\nassetReferences:\n  inputs:\n    filenames: [scenes/shot.blend]\n",
    other_severities=(Severity.WARNING,))

RELATIVE_VALUE = Rule(
    "B014", "relative-path-value", Severity.WARNING,
    "A PATH value in the values file is relative: it resolves against the submitter's current directory.",
    "Unlike a template default, a value in `parameter_values` is submitted exactly as written, and job "
    "attachments resolve a relative path against the directory `deadline bundle submit` runs in, not the "
    "bundle. Write an absolute path, or leave the value out so the bundle-relative default applies.",
    _bundle("parameterValues:\n- {name: SceneFile, value: scenes/shot.blend}\n"),
    _bundle("parameterValues:\n- {name: SceneFile, value: /mnt/shots/shot.blend}\n"))

RULES = [DUPLICATE_FILE, UNREAD_FILE, PATH_OUTSIDE, VALUES_SHAPE, UNKNOWN_NAME, UNKNOWN_DEADLINE, VALUE_MISMATCH,
         DUPLICATE_VALUE, MISSING_VALUE, PATH_DEFAULT, MISSING_INPUT, FILE_IS_DIRECTORY, ASSETS_SHAPE, RELATIVE_VALUE]


# --- the bundle's files ---------------------------------------------------------------------------


def check_layout(bundle: Bundle) -> Iterator[tuple]:
    for stem, json_path, yaml_path in bundle.layout.duplicates:
        yield yaml_path, DUPLICATE_FILE.finding(
            f"both {os.path.basename(json_path)} and {os.path.basename(yaml_path)} exist; Deadline Cloud refuses a "
            "bundle with more than one", hint=f"keep one of them ({os.path.basename(json_path)} is the other)")
    for path in bundle.layout.unread:
        stem = os.path.splitext(os.path.basename(path))[0]
        effect = "refuses the bundle" if stem == L.TEMPLATE and bundle.layout.path(L.TEMPLATE) is None else \
            "ignores this file"
        yield path, UNREAD_FILE.finding(f"Deadline Cloud reads {stem}.yaml or {stem}.json, not .yml: it {effect}",
                                        hint=f"rename it to {stem}.yaml")
    for path, resolved in L.escaping_paths(bundle.directory):
        yield path, PATH_OUTSIDE.finding(
            f"this path resolves outside the bundle, to {resolved}; Deadline Cloud refuses the bundle",
            hint="copy what it points to into the bundle, or pass the outside location as a PATH parameter value")


# --- parameter values ------------------------------------------------------------------------------


def check_values(bundle: Bundle) -> Iterator[tuple]:
    """The values file's entries, the `-p` values, and parameters left without any value."""
    values = bundle.document(L.VALUES)
    definitions = bundle.definitions()
    if values is not None and values.root is not None:
        yield from ((values.path, f) for f in _values_file(bundle, values.root, definitions))
    yield from _given(bundle, definitions)
    yield from _missing(bundle, definitions)


def _values_file(bundle: Bundle, root, definitions: dict) -> Iterator[Finding]:
    if not isinstance(root, MapNode):
        yield VALUES_SHAPE.finding("the parameter values file must be a mapping with `parameterValues`")
        return
    items = root.get("parameterValues")
    if items is None:
        return  # the client reads no values
    if not isinstance(items, SeqNode):
        yield VALUES_SHAPE.finding("`parameterValues` must be a list of {name, value} mappings", ("parameterValues",))
        return
    first: dict = {}
    for entry in bundle.entries():
        yield from _entry_shape(entry)
        if entry.name is None:
            continue
        if entry.name in first:
            earlier = first[entry.name]
            yield DUPLICATE_VALUE.finding(
                f'"{entry.name}" is given a value again; Deadline Cloud keeps the last one and drops the other',
                entry.path + ("name",), hint="keep one entry",
                related=(Related("the earlier value", earlier.path + ("name",)),))
        first.setdefault(entry.name, entry)
        if entry.value_node is not None:
            yield from _entry_value(bundle, entry, definitions)


def _entry_shape(entry: Entry) -> Iterator[Finding]:
    if not isinstance(entry.node, MapNode):
        yield VALUES_SHAPE.finding("each entry of `parameterValues` must be a mapping with `name` and `value`",
                                   entry.path)
        return
    name = entry.node.get("name")
    if name is None:
        yield VALUES_SHAPE.finding("this entry has no `name`; the client fails on it", entry.path,
                                   hint="add `name: <parameter name>`")
    elif entry.name is None:
        yield VALUES_SHAPE.finding("`name` must be a string", entry.path + ("name",))
    if entry.value_node is None:
        yield VALUES_SHAPE.finding(f"{_subject(entry)} has no `value`; the client fails on it", entry.path,
                                   hint="add `value: ...`, or remove the entry to use the default")


def _subject(entry: Entry) -> str:
    return f'the entry for "{entry.name}"' if entry.name is not None else "this entry"


def _entry_value(bundle: Bundle, entry: Entry, definitions: dict) -> Iterator[Finding]:
    name, at = entry.name, entry.path + ("value",)
    if name.startswith("deadline:"):
        if name not in DEADLINE_PARAMETERS:
            yield UNKNOWN_DEADLINE.finding(
                f'unknown Deadline parameter "{name}"; expected {", ".join(DEADLINE_PARAMETERS)}',
                entry.path + ("name",), hint=_close(name, DEADLINE_PARAMETERS) or None)
            return
        kind, definition = DEADLINE_PARAMETERS[name]
        value = entry.value
        if kind == "INT" and (isinstance(value, bool) or not isinstance(value, int)):
            yield VALUE_MISMATCH.finding(f'"{name}" must be a whole number, not {json.dumps(value)}; the client '
                                         "passes it to the job unconverted", at, hint="write a YAML or JSON number")
            return
        _, error = P.coerce(kind, definition, value)
        if error is not None:
            yield VALUE_MISMATCH.finding(f'value of "{name}": {error}', at)
        return
    if ":" in name:
        return  # another prefix: a submitter's own value, which the client drops
    merged = definitions.get(name)
    if merged is None:
        if name not in bundle.queue_parameters:
            yield _unknown(bundle, entry, definitions)
        return
    _, error = P.coerce(merged.type, merged.definition, entry.value)
    if error is not None:
        yield VALUE_MISMATCH.finding(f'value of {merged.type} parameter "{name}" does not fit: {error}', at,
                                     hint=_defined(merged), related=_definition_related(merged))
    elif merged.type == "PATH" and _relative_path(entry.value) and "allowedValues" not in merged.definition:
        yield RELATIVE_VALUE.finding(
            f'PATH value "{entry.value}" for "{name}" is relative: it is submitted as written and resolves against '
            "the directory the submission runs in, not the bundle", at,
            hint="write an absolute path, or remove the entry so the bundle-relative default applies")


def _unknown(bundle: Bundle, entry: Entry, definitions: dict) -> Finding:
    name = entry.name
    names = list(definitions)
    listed = ", ".join(names[:6]) + (", …" if len(names) > 6 else "") if names else "no parameters"
    close = _close(name, names)
    message = f'unknown parameter "{name}"; the template defines {listed}{" (" + close + ")" if close else ""}'
    if bundle.queue_known:
        return UNKNOWN_NAME.finding(
            message + "; no queue environment given with --env defines it either", entry.path + ("name",),
            severity=Severity.ERROR, hint=f'the submission fails; use a prefix such as "myapp:{name}" for a value '
                                          "only your submitter reads")
    return UNKNOWN_NAME.finding(
        message, entry.path + ("name",),
        hint=f'use a prefix such as "myapp:{name}" for a submitter-only value; if a queue environment consumes it, '
             "pass that environment with --env or list the name in `queue-parameters` of the configuration")


def _close(name: str, candidates) -> str:
    found = difflib.get_close_matches(name, list(candidates), n=1)
    return f'did you mean "{found[0]}"?' if found else ""


def _relative_path(value) -> bool:
    return isinstance(value, str) and value != "" and "://" not in value and not _absolute(value)


def _absolute(path: str) -> bool:
    return posixpath.isabs(path) or ntpath.isabs(path)


def _defined(merged: P.Merged) -> str:
    definition = merged.definition
    constraints = [f"{key} {json.dumps(definition[key], ensure_ascii=False)}"
                   for key in ("minValue", "maxValue", "minLength", "maxLength", "allowedValues") if key in definition]
    return f'"{merged.name}" is {merged.type}{", " if constraints else ""}{", ".join(constraints)}'


def _definition_related(merged: P.Merged) -> tuple:
    definition = merged.sources[-1]
    node = node_at(definition.context.root, definition.path + ("name",))[0]
    return (Related(f'the definition of "{merged.name}"', span=node.span, file=definition.context.source.name),)


def _given(bundle: Bundle, definitions: dict) -> Iterator[tuple]:
    for name, value in bundle.given.items():
        merged = definitions.get(name)
        if merged is None:
            continue  # names no checked job defines are a usage error of the command line
        if merged.type in ("PATH", "LIST[PATH]") and value == "":
            continue  # the client ignores an empty -p value for a PATH (the bundle value or default stays)
        _, error = P.coerce(merged.type, merged.definition, value)
        if error is not None:
            definition = merged.sources[-1]
            yield definition.context.source.name, VALUE_MISMATCH.finding(
                f'-p {name}={value}: value of {merged.type} parameter "{name}" does not fit: {error}',
                definition.path + ("name",), hint=_defined(merged))


def _missing(bundle: Bundle, definitions: dict) -> Iterator[tuple]:
    values = bundle.document(L.VALUES)
    if values is None and not bundle.given:
        return  # a bundle without values is a form the submitter fills in
    given = set(bundle.given) | {entry.name for entry in bundle.entries() if entry.value_node is not None}
    source = f"{os.path.basename(values.path)} gives no value" if values is not None else "no -p value gives one"
    for definition in bundle.job_definitions():
        merged = definitions.get(definition.name)
        if definition.name in given or merged is None or "default" in merged.definition:
            continue
        yield definition.context.source.name, MISSING_VALUE.finding(
            f'parameter "{definition.name}" has no default and {source}; the submission fails unless it '
            f"is passed with -p {definition.name}=…", definition.path + ("name",),
            hint="add it to the parameter values, or give the definition a default")


# --- bundle-relative PATH defaults -----------------------------------------------------------------


def check_defaults(bundle: Bundle) -> Iterator[tuple]:
    if bundle.job is None:
        return
    in_file = {entry.name for entry in bundle.entries() if entry.value_node is not None}
    given = {name for name, value in bundle.given.items() if value != ""}
    for definition in bundle.job_definitions():
        plain = definition.plain
        default = plain.get("default")
        if definition.type != "PATH" or "allowedValues" in plain or not isinstance(default, str) or not default:
            continue
        if definition.name in in_file:
            continue  # the values file's value replaces the default before it is resolved
        yield from ((definition.context.source.name, finding)
                    for finding in _default(bundle, definition, default, definition.name in given))


def _default(bundle: Bundle, definition: P.Definition, default: str, overridden: bool) -> Iterator[Finding]:
    at = definition.path + ("default",)
    name = definition.name
    rule_text = "bundle PATH defaults must be relative and stay inside the bundle"
    if _absolute(default):
        yield PATH_DEFAULT.finding(f'default PATH "{default}" for "{name}" is absolute; {rule_text}', at,
                                   hint="make it relative to the bundle, or list the fixed paths in `allowedValues`")
        return
    joined, inside = L.resolve_inside(bundle.directory, default)
    if not inside:
        yield PATH_DEFAULT.finding(f'default PATH "{default}" for "{name}" resolves outside the bundle '
                                   f"({os.path.realpath(joined)}); {rule_text}", at,
                                   hint="move what it names into the bundle, or give the value in parameter_values")
        return
    flow = definition.plain.get("dataFlow")
    if overridden or flow not in _INPUT_FLOWS:
        return
    if not os.path.exists(joined):
        yield MISSING_INPUT.finding(
            f'default PATH "{default}" for {flow} parameter "{name}" does not exist in the bundle; it will only be '
            "a referenced path and nothing is uploaded", at,
            hint="add it to the bundle or correct the default")
    elif definition.plain.get("objectType") == "FILE" and os.path.isdir(joined):
        yield FILE_IS_DIRECTORY.finding(
            f'default PATH "{default}" for "{name}" is a directory, but the parameter has objectType FILE; job '
            "attachments refuse the submission", at, hint="point it at a file, or declare objectType: DIRECTORY")


# --- asset references ------------------------------------------------------------------------------

_ASSET_KEYS = {"inputs": ("filenames", "directories"), "outputs": ("directories",), "referencedPaths": None}


def check_assets(bundle: Bundle) -> Iterator[tuple]:
    assets = bundle.document(L.ASSETS)
    if assets is None or assets.root is None:
        return
    yield from ((assets.path, finding) for finding in _assets(assets.root))


def _assets(root) -> Iterator[Finding]:
    references = root.get("assetReferences") if isinstance(root, MapNode) else None
    if not isinstance(references, MapNode):
        yield ASSETS_SHAPE.finding("the asset references file must be a mapping with an `assetReferences` mapping",
                                   ("assetReferences",) if isinstance(root, MapNode) and references is not None else ())
        return
    for key, node in references.items():
        path = ("assetReferences", key)
        if key not in _ASSET_KEYS:
            yield ASSETS_SHAPE.finding(f"unknown key `{key}` in `assetReferences`; the client ignores it", path,
                                       on_key=True, severity=Severity.WARNING,
                                       hint=f"expected {', '.join(_ASSET_KEYS)}{_hint(key, _ASSET_KEYS)}")
            continue
        lists = _ASSET_KEYS[key]
        if lists is None:
            yield from _path_list(node, path)
            continue
        if not isinstance(node, MapNode):
            yield ASSETS_SHAPE.finding(f"`{key}` must be a mapping of {' and '.join(lists)}", path)
            continue
        for inner, value in node.items():
            if inner not in lists:
                yield ASSETS_SHAPE.finding(f"unknown key `{inner}` in `{key}`; the client ignores it",
                                           path + (inner,), on_key=True, severity=Severity.WARNING,
                                           hint=f"expected {' or '.join(lists)}{_hint(inner, lists)}")
            else:
                yield from _path_list(value, path + (inner,))


def _hint(key, known) -> str:
    close = _close(str(key), known)
    return f" ({close})" if close else ""


def _path_list(node, path: tuple) -> Iterator[Finding]:
    if not isinstance(node, SeqNode):
        yield ASSETS_SHAPE.finding(f"`{path[-1]}` must be a list of paths", path)
        return
    for index, item in enumerate(node.items):
        if not (isinstance(item, ScalarNode) and isinstance(item.value, str)):
            yield ASSETS_SHAPE.finding("each path must be a string", path + (index,))
