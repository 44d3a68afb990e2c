"""Generate the JSON Schema files of OpenJD 2023-09 templates (`schemas/*.schema.json`).

    python tools/generate_schemas.py          # rewrite the files
    python tools/generate_schemas.py --check  # exit 1 when the committed files are stale

Layout of each schema: the `properties` tree accepts everything that some extension enables (so editors
complete every field). For each extension, a root-level `allOf` item `if` the template does not declare
it `then` applies `$defs/without-<EXTENSION>`, a shadow of the tree that only forbids or tightens the
gated fields along their paths. Every gated restriction carries `x-openjd-requires` (the extension)
and `x-openjd-feature` (what it unlocks, `{value}` is the offending value) for the linter's messages.
Patterns carry `x-openjd-form` (a human description of the expected form) or `x-openjd-values` (the
enumerated values the pattern accepts, case-insensitively).

Only what JSON Schema expresses precisely lives here; uniqueness across items, references, min <= max,
default-in-allowedValues and format-string contents are rules of the linter.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
BASE_URI = "https://openjd-lint.github.io/schemas/"

TC, RED, FB1, EXPR, WTR, WA = (
    "TASK_CHUNKING", "REDACTED_ENV_VARS", "FEATURE_BUNDLE_1", "EXPR", "WRAP_TASK_RUN", "WRAP_ACTIONS")
EXTENSIONS = [TC, RED, FB1, EXPR, WTR, WA]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FLOAT_MAX = 1.7976931348623157e308
CC = r"\u0000-\u001F\u007F-\u009F"
CC_EXCEPT_WHITESPACE = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F"
FORMAT_STRING_MARK = r"\{\{"


def anchored(body: str) -> str:
    # Python's `$` also matches before a final newline; the lookahead makes it mean "end of string" there
    # too, and is a no-op in ECMAScript.
    return f"^(?:{body})$(?!\\n)"


def case_insensitive(word: str) -> str:
    out = []
    for char in word:
        if char.isalpha():
            out.append(f"[{char.upper()}{char.lower()}]")
        elif char in "[]":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def one_of_words(words, ignore_case: bool) -> str:
    spelled = [case_insensitive(w) if ignore_case else w.replace("[", "\\[").replace("]", "\\]") for w in words]
    return anchored("|".join(spelled))


def field(title: str, description: str, schema: dict) -> dict:
    return {"title": title, "description": description, **schema}


def gated(extension: str, feature: str, restriction: dict) -> dict:
    return {"x-openjd-requires": extension, "x-openjd-feature": feature, **restriction}


def forbidden(extension: str, feature: str) -> dict:
    return field(feature[0].upper() + feature[1:], f"Allowed only with the {extension} extension.",
                 gated(extension, feature, {"not": {}}))


def closed(properties: dict, required=(), **more) -> dict:
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    schema.update(more)
    return schema


def shadow(properties: dict, **more) -> dict:
    return {"properties": properties, **more}


def at_least_one_of(*keys) -> dict:
    return {"anyOf": [{"required": [key]} for key in keys]}


# ----------------------------------------------------------------------------------------- strings

def no_control_characters(min_length: int = 0, max_length=None, allow_whitespace: bool = False) -> dict:
    excluded = CC_EXCEPT_WHITESPACE if allow_whitespace else CC
    schema = {"type": "string", "minLength": min_length,
              "pattern": f"^[^{excluded}]*$(?!\\n)",
              "x-openjd-form": ("text without control characters other than line breaks and tabs"
                                if allow_whitespace else "text without control characters (no line breaks or tabs)")}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


IDENTIFIER_FORM = "an identifier: ASCII letters, digits and underscores, not starting with a digit"


def identifier(what: str) -> dict:
    return field("Name", f"The {what}'s name, an identifier (1-64 characters; 512 with FEATURE_BUNDLE_1).", {
        "type": "string", "minLength": 1, "maxLength": 512,
        "pattern": anchored("[A-Za-z_][A-Za-z0-9_]*"), "x-openjd-form": IDENTIFIER_FORM})


def description_field(what: str) -> dict:
    return field("Description", f"A description of the {what} (1-2048 characters).",
                 no_control_characters(1, 2048, allow_whitespace=True))


def positive_integer_or_format_string(minimum: int, maximum=None) -> dict:
    schema = {"type": ["integer", "string"], "minimum": minimum,
              "pattern": anchored("[0-9]+") + "|" + FORMAT_STRING_MARK,
              "x-openjd-form": f"an integer (at least {minimum}) or a format string such as \"{{{{Param.Seconds}}}}\""}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def numeric_or_format_string(**bounds) -> dict:
    return {"type": ["number", "string"], **bounds,
            "pattern": anchored(r"[+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?") + "|" + FORMAT_STRING_MARK,
            "x-openjd-form": "a number or a format string such as \"{{Param.Count}}\""}


INT_STRING = anchored(r"[+-]?[0-9]+")
FLOAT_STRING = anchored(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def int_value(title: str, description: str) -> dict:
    return field(title, description, {
        "type": ["integer", "string"], "minimum": INT64_MIN, "maximum": INT64_MAX,
        "pattern": INT_STRING, "x-openjd-form": "a base-10 integer"})


def float_value(title: str, description: str) -> dict:
    return field(title, description, {
        "type": ["number", "string"], "minimum": -FLOAT_MAX, "maximum": FLOAT_MAX,
        "pattern": FLOAT_STRING, "x-openjd-form": "a base-10 number"})


# ------------------------------------------------------------------------------------ parameters

JOB_PARAMETER_TYPES = ["STRING", "PATH", "INT", "FLOAT", "BOOL", "RANGE_EXPR", "LIST[STRING]", "LIST[PATH]",
                       "LIST[INT]", "LIST[FLOAT]", "LIST[BOOL]", "LIST[LIST[INT]]"]
EXPR_ONLY_PARAMETER_TYPES = JOB_PARAMETER_TYPES[4:]
TASK_PARAMETER_TYPES = ["INT", "FLOAT", "STRING", "PATH", "CHUNK[INT]"]

BOOL_TEXT = anchored("|".join(case_insensitive(w) for w in ["true", "yes", "on", "1", "false", "no", "off", "0"]))


def label(what: str) -> dict:
    return field(what, f"The {what.lower()} shown in a submitter's user interface (1-64 characters).",
                 no_control_characters(1, 64))


def user_interface(controls, extra: dict = None) -> dict:
    properties = {
        "control": field("Control", "The user-interface control that edits the parameter.", {"enum": controls}),
        "label": label("Label"),
        "groupLabel": label("Group label"),
        **(extra or {}),
    }
    return field("User interface", "Hints for how a submitter's user interface presents the parameter.",
                 closed(properties))


FILE_PATTERN_FORM = ("`*`, `*.*`, or `*.` followed by an extension without path separators, wildcards or "
                     "the characters # % & { } < > $ ! ' \" : @ ` | =")


def file_filter() -> dict:
    pattern = field("Pattern", "A file-dialog pattern such as `*.exr` (1-20 characters).", {
        "type": "string", "minLength": 1, "maxLength": 20,
        "pattern": anchored(r"\*|\*\.\*|\*\.[^" + CC + r"\\/*?\[\]#%&{}<>$!'" + '"' + r":@`|=]+"),
        "x-openjd-form": FILE_PATTERN_FORM})
    return closed({
        "label": label("Label"),
        "patterns": field("Patterns", "The file-name patterns of this filter (1-20).",
                          {"type": "array", "minItems": 1, "maxItems": 20, "items": pattern}),
    }, required=["label", "patterns"])


def file_filter_fields() -> dict:
    return {
        "fileFilters": field("File filters", "Filters offered by the file dialog (1-20).",
                             {"type": "array", "minItems": 1, "maxItems": 20, "items": file_filter()}),
        "fileFilterDefault": field("Default file filter", "The filter selected when the dialog opens.",
                                   file_filter()),
    }


def path_fields() -> dict:
    return {
        "objectType": field("Object type", "Whether the path names a file or a directory (default DIRECTORY).",
                            {"enum": ["FILE", "DIRECTORY"]}),
        "dataFlow": field("Data flow", "How the job uses the path: NONE (default), IN, OUT or INOUT.",
                          {"enum": ["NONE", "IN", "OUT", "INOUT"]}),
    }


def string_value(title: str, description: str) -> dict:
    return field(title, description, {"type": "string", "maxLength": 1024})


def length_bounds(what: str, unit: str) -> dict:
    return {
        "minLength": field("Minimum length", f"The minimum number of {unit} of {what}.",
                           {"type": "integer", "minimum": 0}),
        "maxLength": field("Maximum length", f"The maximum number of {unit} of {what}.",
                           {"type": "integer", "minimum": 1}),
    }


def value_bounds(value) -> dict:
    return {"minValue": value("Minimum value", "The smallest allowed value."),
            "maxValue": value("Maximum value", "The largest allowed value.")}


def allowed_values(item: dict) -> dict:
    return field("Allowed values", "The values the parameter may take (at least one).",
                 {"type": "array", "minItems": 1, "items": item})


def bool_value(title: str, description: str) -> dict:
    return field(title, description, {
        "type": ["boolean", "number", "string"],
        "if": {"type": "number"}, "then": {"enum": [0, 1], "x-openjd-values": ["0", "1"]},
        "else": {"pattern": BOOL_TEXT, "x-openjd-values": ["true", "false", "yes", "no", "on", "off", "1", "0"]}})


def list_default(item: dict) -> dict:
    return field("Default", "The default list.", {"type": "array", "items": item})


def typed_parameter(type_name: str, fields: dict) -> dict:
    common = {
        "name": identifier("parameter"),
        "type": field("Type", f"The parameter type, {type_name}.", {"type": "string"}),
        "description": description_field("parameter"),
    }
    return closed({**common, **fields}, required=["name", "type"])


def job_parameter_definitions() -> dict:
    int_item = {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX}
    int_item_bounds = value_bounds(lambda t, d: field(t, d, dict(int_item)))
    float_item_bounds = value_bounds(lambda t, d: field(t, d, {"type": "number"}))
    decimals = {"decimals": field("Decimals", "Digits shown after the decimal point.",
                                  {"type": "integer", "minimum": 1})}
    int_delta = {"singleStepDelta": field("Step", "How much one click of the spin box changes the value.",
                                          {"type": "integer", "minimum": 1})}
    float_delta = {"singleStepDelta": field("Step", "How much one click of the spin box changes the value.",
                                            {"type": "number", "exclusiveMinimum": 0})}
    by_type = {
        "STRING": {
            "default": string_value("Default", "The default value (0-1024 characters)."),
            "allowedValues": allowed_values(string_value("Allowed value", "An allowed value.")),
            **length_bounds("the value", "characters"),
            "userInterface": user_interface(["LINE_EDIT", "MULTILINE_EDIT", "DROPDOWN_LIST", "CHECK_BOX", "HIDDEN"]),
        },
        "PATH": {
            **path_fields(),
            "default": string_value("Default", "The default path (0-1024 characters)."),
            "allowedValues": allowed_values(string_value("Allowed value", "An allowed path.")),
            **length_bounds("the value", "characters"),
            "userInterface": user_interface(["CHOOSE_INPUT_FILE", "CHOOSE_OUTPUT_FILE", "CHOOSE_DIRECTORY",
                                             "DROPDOWN_LIST", "HIDDEN"], file_filter_fields()),
        },
        "INT": {
            "default": int_value("Default", "The default value: an integer or a base-10 integer string."),
            "allowedValues": allowed_values(int_value("Allowed value", "An allowed integer.")),
            **value_bounds(int_value),
            "userInterface": user_interface(["SPIN_BOX", "DROPDOWN_LIST", "HIDDEN"], int_delta),
        },
        "FLOAT": {
            "default": float_value("Default", "The default value: a number or a base-10 number string."),
            "allowedValues": allowed_values(float_value("Allowed value", "An allowed number.")),
            **value_bounds(float_value),
            "userInterface": user_interface(["SPIN_BOX", "DROPDOWN_LIST", "HIDDEN"], {**decimals, **float_delta}),
        },
        "BOOL": {
            "default": bool_value("Default", "The default value: true/false, yes/no, on/off or 1/0."),
            "userInterface": user_interface(["CHECK_BOX", "HIDDEN"]),
        },
        "RANGE_EXPR": {
            "default": field("Default", "The default range expression, such as `1-10` or `1,3,5-9:2`.",
                             {"type": "string"}),
            **length_bounds("the range expression", "characters"),
            "userInterface": user_interface(["LINE_EDIT", "HIDDEN"]),
        },
        "LIST[STRING]": {
            "default": list_default({"type": "string"}),
            **length_bounds("the list", "items"),
            "item": field("Item", "Constraints on each item.", closed({
                "allowedValues": allowed_values({"type": "string"}), **length_bounds("an item", "characters")})),
            "userInterface": user_interface(["LINE_EDIT_LIST", "HIDDEN"]),
        },
        "LIST[PATH]": {
            **path_fields(),
            "default": list_default({"type": "string"}),
            **length_bounds("the list", "items"),
            "item": field("Item", "Constraints on each item.", closed({
                "allowedValues": allowed_values({"type": "string"}), **length_bounds("an item", "characters")})),
            "userInterface": user_interface(["CHOOSE_INPUT_FILE_LIST", "CHOOSE_OUTPUT_FILE_LIST",
                                             "CHOOSE_DIRECTORY_LIST", "HIDDEN"], file_filter_fields()),
        },
        "LIST[INT]": {
            "default": list_default(int_item),
            **length_bounds("the list", "items"),
            "item": field("Item", "Constraints on each item.", closed({
                "allowedValues": allowed_values(int_item), **int_item_bounds})),
            "userInterface": user_interface(["SPIN_BOX_LIST", "HIDDEN"], int_delta),
        },
        "LIST[FLOAT]": {
            "default": list_default({"type": "number"}),
            **length_bounds("the list", "items"),
            "item": field("Item", "Constraints on each item.", closed({
                "allowedValues": allowed_values({"type": "number"}), **float_item_bounds})),
            "userInterface": user_interface(["SPIN_BOX_LIST", "HIDDEN"], {**decimals, **float_delta}),
        },
        "LIST[BOOL]": {
            "default": list_default(bool_value("Item", "true/false, yes/no, on/off or 1/0.")),
            **length_bounds("the list", "items"),
            "userInterface": user_interface(["CHECK_BOX_LIST", "HIDDEN"]),
        },
        "LIST[LIST[INT]]": {
            "default": list_default({"type": "array", "items": int_item}),
            **length_bounds("the list", "items"),
            "item": field("Item", "Constraints on each inner list.", closed({
                **length_bounds("an inner list", "items"),
                "item": field("Item", "Constraints on each integer of an inner list.", closed({
                    "allowedValues": allowed_values(int_item), **int_item_bounds})),
            })),
            "userInterface": user_interface(["HIDDEN"]),
        },
    }
    defs = {"parameter." + type_name: typed_parameter(type_name, fields) for type_name, fields in by_type.items()}
    defs["parameterDefinition"] = {
        "title": "Job parameter definition",
        "description": "A parameter of the job; its `type` selects the other fields.",
        "type": "object",
        "required": ["name", "type"],
        "properties": {"type": field("Type", "The parameter type.", {
            "type": "string", "pattern": one_of_words(JOB_PARAMETER_TYPES, True),
            "x-openjd-values": JOB_PARAMETER_TYPES, "examples": JOB_PARAMETER_TYPES})},
        **discriminated_by_type(list(by_type), "parameter."),
    }
    return defs


def discriminated_by_type(type_names: list, def_prefix: str) -> dict:
    """`if type is A then <A> else if type is B then <B> ...`: one test per item for the common first
    types (a flat `allOf` of `if`s would test every type for every item)."""
    chain: dict = {}
    for type_name in reversed(type_names):
        is_type = {"type": "string", "pattern": one_of_words([type_name], True)}
        link = {"if": {"properties": {"type": is_type}, "required": ["type"]},
                "then": {"$ref": f"#/$defs/{def_prefix}{type_name}"}}
        if chain:
            link["else"] = chain
        chain = link
    return chain


def parameter_definitions(max_items: int) -> dict:
    return field("Parameter definitions", f"The template's parameters (1-{max_items}).", {
        "type": "array", "minItems": 1, "maxItems": max_items, "items": {"$ref": "#/$defs/parameterDefinition"}})


# ---------------------------------------------------------------------------------------- actions

def cancelation() -> dict:
    mode = field("Mode", "TERMINATE or NOTIFY_THEN_TERMINATE (with FEATURE_BUNDLE_1 also a format string).", {
        "type": "string", "pattern": one_of_words(["TERMINATE", "NOTIFY_THEN_TERMINATE"], False) + "|" + FORMAT_STRING_MARK,
        "x-openjd-values": ["TERMINATE", "NOTIFY_THEN_TERMINATE"], "examples": ["TERMINATE", "NOTIFY_THEN_TERMINATE"]})
    notify = field("Notify period", "Seconds between the notification and the termination (1-600).",
                   positive_integer_or_format_string(1, 600))
    return field("Cancelation", "How a running action is canceled (default: TERMINATE).", closed(
        {"mode": mode, "notifyPeriodInSeconds": notify}, required=["mode"],
        **{"if": {"properties": {"mode": {"const": "TERMINATE"}}, "required": ["mode"]},
           "then": {"properties": {"notifyPeriodInSeconds": field(
               "Notify period", "Not allowed with mode TERMINATE.",
               {"not": {}, "x-openjd-message": "`notifyPeriodInSeconds` is only allowed with mode NOTIFY_THEN_TERMINATE"})}}}))


def arg_list() -> dict:
    return field("Arguments", "The arguments passed to the command (format strings).", {
        "type": "array", "minItems": 1, "items": no_control_characters(0, allow_whitespace=True)})


def timeout() -> dict:
    return field("Timeout", "Seconds the action may run before it is canceled (at least 1; a string or format "
                 "string needs FEATURE_BUNDLE_1).", positive_integer_or_format_string(1))


def action() -> dict:
    return closed({
        "command": field("Command", "The program to run (a format string).", no_control_characters(1)),
        "args": arg_list(),
        "timeout": timeout(),
        "cancelation": cancelation(),
    }, required=["command"], title="Action", description="A command to run.")


def action_ref(title: str, description: str) -> dict:
    return field(title, description, {"$ref": "#/$defs/action"})


def let_bindings(where: str) -> dict:
    return field("Let bindings", f"Named expressions (`name = expression`) visible in the {where}; requires EXPR.", {
        "type": "array", "minItems": 1, "maxItems": 50, "items": {"type": "string", "minLength": 1}})


def embedded_files() -> dict:
    embedded = closed({
        "name": identifier("embedded file"),
        "type": field("Type", "The kind of file: TEXT.", {"enum": ["TEXT"]}),
        "filename": field("File name", "The file's base name (1-64 characters; 256 with FEATURE_BUNDLE_1).", {
            "type": "string", "minLength": 1, "maxLength": 256, "pattern": r"^[^/\\]*$(?!\n)",
            "x-openjd-form": "a file name without `/` or `\\`"}),
        "runnable": field("Runnable", "Whether the file is made executable.", {"type": "boolean"}),
        "data": field("Data", "The file's contents (a format string).", {"type": "string", "minLength": 1}),
        "endOfLine": field("End of line", "Line endings written: AUTO (default), LF or CRLF; needs FEATURE_BUNDLE_1.",
                           {"enum": ["AUTO", "LF", "CRLF"]}),
    }, required=["name", "type", "data"], title="Embedded file", description="A file written before the actions run.")
    return field("Embedded files", "Files written to the session's working directory.",
                 {"type": "array", "minItems": 1, "items": embedded})


SIMPLE_ACTIONS = ["bash", "cmd", "node", "powershell", "python"]


def simple_action(interpreter: str) -> dict:
    return field(f"{interpreter} script", f"Runs `script` with {interpreter} (needs FEATURE_BUNDLE_1).", {
        "$ref": "#/$defs/simpleAction"})


# ------------------------------------------------------------------------------------ environment

def environment_defs() -> dict:
    actions = closed({
        "onEnter": action_ref("On enter", "Runs when the environment is entered."),
        "onExit": action_ref("On exit", "Runs when the environment is exited."),
        "onWrapEnvEnter": action_ref("On wrap environment enter", "Replaces the onEnter of inner environments "
                                     "(WRAP_ACTIONS)."),
        "onWrapTaskRun": action_ref("On wrap task run", "Replaces the onRun of every task run inside the "
                                    "environment (WRAP_ACTIONS or WRAP_TASK_RUN)."),
        "onWrapEnvExit": action_ref("On wrap environment exit", "Replaces the onExit of inner environments "
                                    "(WRAP_ACTIONS)."),
    }, title="Environment actions", description="The environment's actions.",
        **at_least_one_of("onEnter", "onExit", "onWrapTaskRun", "onWrapEnvEnter", "onWrapEnvExit"))
    script = closed({
        "actions": field("Actions", "What runs when the environment is entered and exited.", actions),
        "embeddedFiles": embedded_files(),
        "let": let_bindings("script's actions and embedded files"),
    }, required=["actions"])
    variables = field("Variables", "Environment variables set while the environment is active.", {
        "type": "object", "minProperties": 1,
        "propertyNames": {"minLength": 1, "maxLength": 256, "pattern": anchored("[A-Za-z_][A-Za-z0-9_]*"),
                          "x-openjd-form": "an environment variable name: ASCII letters, digits and underscores, "
                                           "not starting with a digit"},
        "additionalProperties": {"type": "string", "maxLength": 2048}})
    environment = closed({
        "name": field("Name", "The environment's name (1-64 characters; 512 with FEATURE_BUNDLE_1).",
                      no_control_characters(1, 512)),
        "description": description_field("environment"),
        "script": field("Script", "Actions run when the environment is entered and exited.", script),
        "variables": variables,
    }, required=["name"], title="Environment", description="An environment that wraps the tasks run inside it.",
        **at_least_one_of("script", "variables"))
    return {"action": action(), "environment": environment}


def environment_list(title: str, description: str) -> dict:
    return field(title, description, {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/environment"}})


# ------------------------------------------------------------------------------------------ steps

def host_requirements() -> dict:
    vendor = r"([A-Za-z_][A-Za-z0-9_]*:)?"
    segments = r"(\.[A-Za-z_][A-Za-z0-9_]*)+"
    amount = closed({
        "name": field("Name", "The capability name, such as `amount.worker.vcpu`.", {
            "type": "string", "minLength": 1, "maxLength": 100,
            "pattern": anchored(vendor + case_insensitive("amount") + segments) + "|" + FORMAT_STRING_MARK,
            "x-openjd-form": "`amount.` followed by dot-separated identifiers, optionally after a `vendor:` prefix "
                             "(or a format string, resolved when the job is created)",
            "examples": ["amount.worker.vcpu", "amount.worker.memory", "amount.worker.gpu",
                         "amount.worker.gpu.memory", "amount.worker.disk.scratch"]}),
        "min": field("Minimum", "The least amount required (at least 0).", numeric_or_format_string(minimum=0)),
        "max": field("Maximum", "The most amount usable (more than 0).", numeric_or_format_string(exclusiveMinimum=0)),
    }, required=["name"], title="Amount requirement", description="A quantity the worker must have.",
        **at_least_one_of("min", "max"))
    value = {"type": "string", "minLength": 1,
             "pattern": anchored("[A-Za-z_][A-Za-z0-9_-]{0,99}") + "|" + FORMAT_STRING_MARK,
             "x-openjd-form": "up to 100 letters, digits, `_` or `-`, not starting with a digit or `-`"}
    values = {"type": "array", "minItems": 1, "maxItems": 50, "items": value}
    attribute = closed({
        "name": field("Name", "The capability name, such as `attr.worker.os.family`.", {
            "type": "string", "minLength": 1, "maxLength": 100,
            "pattern": anchored(vendor + case_insensitive("attr") + segments) + "|" + FORMAT_STRING_MARK,
            "x-openjd-form": "`attr.` followed by dot-separated identifiers, optionally after a `vendor:` prefix "
                             "(or a format string, resolved when the job is created)",
            "examples": ["attr.worker.os.family", "attr.worker.cpu.arch"]}),
        "anyOf": field("Any of", "The worker must have at least one of these values.", values),
        "allOf": field("All of", "The worker must have all of these values.", values),
    }, required=["name"], title="Attribute requirement", description="A property the worker must have.",
        **at_least_one_of("anyOf", "allOf"))
    return field("Host requirements", "What a worker needs to run the step's tasks.", closed({
        "amounts": field("Amounts", "Required quantities.", {"type": "array", "minItems": 1, "maxItems": 50,
                                                             "items": amount}),
        "attributes": field("Attributes", "Required properties.", {"type": "array", "minItems": 1, "maxItems": 50,
                                                                   "items": attribute}),
    }, **at_least_one_of("amounts", "attributes")))


def task_parameter_defs() -> dict:
    int_item = {"type": ["integer", "string"], "minimum": INT64_MIN, "maximum": INT64_MAX, "minLength": 1,
                "pattern": INT_STRING + "|" + FORMAT_STRING_MARK,
                "x-openjd-form": "an integer or a format string"}
    float_item = {"type": ["number", "string"], "minimum": -FLOAT_MAX, "maximum": FLOAT_MAX, "minLength": 1,
                  "pattern": FLOAT_STRING + "|" + FORMAT_STRING_MARK, "x-openjd-form": "a number or a format string"}

    def value_range(item: dict, text: str) -> dict:
        return field("Range", text, {"type": ["array", "string"], "minItems": 1, "maxItems": 1024,
                                     "minLength": 1, "items": item})

    int_range = value_range(int_item, "A list of 1-1024 integers, or a range expression such as `1-100`.")
    list_text = "A list of 1-1024 values (with EXPR also one expression that yields a list)."
    chunks = field("Chunks", "How the range is split into chunks.", closed({
        "defaultTaskCount": field("Default task count", "Values per chunk (at least 1).",
                                  positive_integer_or_format_string(1)),
        "targetRuntimeSeconds": field("Target runtime", "Seconds a chunk should take (0 = use defaultTaskCount).",
                                      positive_integer_or_format_string(0)),
        "rangeConstraint": field("Range constraint", "CONTIGUOUS or NONCONTIGUOUS chunks.",
                                 {"enum": ["CONTIGUOUS", "NONCONTIGUOUS"]}),
    }, required=["defaultTaskCount", "rangeConstraint"]))
    by_type = {
        "INT": {"range": int_range},
        "FLOAT": {"range": value_range(float_item, list_text)},
        "STRING": {"range": value_range({"type": "string"}, list_text)},
        "PATH": {"range": value_range({"type": "string", "minLength": 1}, list_text)},
        "CHUNK[INT]": {"range": int_range, "chunks": chunks},
    }
    defs = {}
    for type_name, fields in by_type.items():
        defs["taskParameter." + type_name] = closed({
            "name": identifier("task parameter"),
            "type": field("Type", f"The task parameter type, {type_name}.", {"type": "string"}),
            **fields,
        }, required=["name", "type", "range", *(["chunks"] if "chunks" in fields else [])])
    defs["taskParameterDefinition"] = {
        "title": "Task parameter definition", "description": "A parameter whose values make the step's tasks.",
        "type": "object", "required": ["name", "type", "range"],
        "properties": {"type": field("Type", "The task parameter type.", {
            "type": "string", "pattern": one_of_words(TASK_PARAMETER_TYPES, True),
            "x-openjd-values": TASK_PARAMETER_TYPES, "examples": TASK_PARAMETER_TYPES})},
        **discriminated_by_type(list(by_type), "taskParameter."),
    }
    return defs


def step_defs() -> dict:
    parameter_space = closed({
        "taskParameterDefinitions": field("Task parameters", "The parameters whose values define the tasks (1-16).", {
            "type": "array", "minItems": 1, "maxItems": 16, "items": {"$ref": "#/$defs/taskParameterDefinition"}}),
        "combination": field("Combination", "How parameter values combine, such as `Frame * (Camera, Layer)`.", {
            "type": "string", "minLength": 1, "maxLength": 1280, "pattern": r"^[A-Za-z0-9_ *(),]*$(?!\n)",
            "x-openjd-form": "task parameter names joined by `*`, with `( , )` groups"}),
    }, required=["taskParameterDefinitions"])
    step_script = closed({
        "actions": field("Actions", "The step's actions.", closed({
            "onRun": action_ref("On run", "Runs once for each task.")}, required=["onRun"])),
        "embeddedFiles": embedded_files(),
        "let": let_bindings("script's actions and embedded files"),
    }, required=["actions"])
    simple = closed({
        "script": field("Script", "The script text (a format string).", {"type": "string", "minLength": 1}),
        "args": arg_list(),
        "timeout": timeout(),
        "cancelation": cancelation(),
        "let": let_bindings("script and args"),
    }, required=["script"], title="Simple action", description="A script run by an interpreter (FEATURE_BUNDLE_1).")
    runners = ["script", *SIMPLE_ACTIONS]
    step = closed({
        "name": field("Name", "The step's name (1-64 characters; 512 with FEATURE_BUNDLE_1).",
                      no_control_characters(1, 512)),
        "description": description_field("step"),
        "let": let_bindings("step"),
        "dependencies": field("Dependencies", "Steps that must finish before this one starts.", {
            "type": "array", "minItems": 1, "items": closed({
                "dependsOn": field("Depends on", "The name of the step this one waits for.", no_control_characters(1, 512)),
            }, required=["dependsOn"])}),
        "stepEnvironments": environment_list("Step environments", "Environments entered around this step's tasks."),
        "hostRequirements": host_requirements(),
        "parameterSpace": field("Parameter space", "The task parameters; absent means one task.", parameter_space),
        "script": field("Script", "The step's actions and embedded files.", step_script),
        **{name: simple_action(name) for name in SIMPLE_ACTIONS},
    }, required=["name"], title="Step", description="A step of the job.",
        oneOf=[{"required": [runner]} for runner in runners])
    step["x-openjd-message"] = "a step needs exactly one of `script`, " + ", ".join(f"`{n}`" for n in SIMPLE_ACTIONS)
    return {"step": step, "simpleAction": simple, **task_parameter_defs()}


# ------------------------------------------------------------------------------------------ gates

def has_extension(name: str) -> dict:
    return {"required": ["extensions"], "properties": {"extensions": {"type": "array", "contains": {"const": name}}}}


def lacks_extension(*names) -> dict:
    return {"not": {"anyOf": [has_extension(name) for name in names]}} if len(names) > 1 else {"not": has_extension(names[0])}


def gate(condition: dict, definition: str) -> dict:
    return {"if": condition, "then": {"$ref": f"#/$defs/{definition}"}}


def without_fb1_defs(job: bool) -> dict:
    def longer(what, limit):
        return gated(FB1, f"{what} longer than {limit} characters", {"maxLength": limit})

    string_time = {"not": {"type": "string"}}
    action = shadow({
        "timeout": gated(FB1, "a string or format-string `timeout`", string_time),
        "cancelation": shadow({
            "mode": gated(FB1, "a format-string cancelation `mode`", {"not": {"pattern": FORMAT_STRING_MARK}}),
            "notifyPeriodInSeconds": gated(FB1, "a string or format-string `notifyPeriodInSeconds`", string_time)}),
    })
    embedded = {"items": shadow({
        "name": longer("an embedded file name", 64),
        "filename": longer("a file name", 64),
        "endOfLine": forbidden(FB1, "the `endOfLine` field"),
    })}
    environment = shadow({
        "name": longer("an environment name", 64),
        "script": shadow({
            "actions": shadow({key: {"$ref": "#/$defs/without-FEATURE_BUNDLE_1.action"} for key in
                               ["onEnter", "onExit", "onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit"]}),
            "embeddedFiles": embedded}),
    })
    parameters = {"items": shadow({"name": longer("a parameter name", 64)})}
    defs = {"without-FEATURE_BUNDLE_1.action": action, "without-FEATURE_BUNDLE_1.environment": environment}
    if not job:
        defs["without-FEATURE_BUNDLE_1"] = shadow({
            "parameterDefinitions": parameters,
            "environment": {"$ref": "#/$defs/without-FEATURE_BUNDLE_1.environment"}})
        return defs
    environments = {"items": {"$ref": "#/$defs/without-FEATURE_BUNDLE_1.environment"}}
    amount_string = {"not": {"type": "string"}}
    step = shadow({
        "name": longer("a step name", 64),
        "dependencies": {"items": shadow({"dependsOn": longer("a step name", 64)})},
        "stepEnvironments": environments,
        "hostRequirements": shadow({"amounts": {"items": shadow({
            "min": gated(FB1, "a string or format-string amount `min`", amount_string),
            "max": gated(FB1, "a string or format-string amount `max`", amount_string)})}}),
        "parameterSpace": shadow({"taskParameterDefinitions": {"items": shadow({
            "name": longer("a task parameter name", 64)})}}),
        "script": shadow({"actions": shadow({"onRun": {"$ref": "#/$defs/without-FEATURE_BUNDLE_1.action"}}),
                          "embeddedFiles": embedded}),
        **{name: forbidden(FB1, f"the simple action `{name}`") for name in SIMPLE_ACTIONS},
    })
    defs["without-FEATURE_BUNDLE_1"] = shadow({
        "name": {"if": {"pattern": FORMAT_STRING_MARK}, "else": longer("a job name", 128)},
        "parameterDefinitions": {**gated(FB1, "having more than 50 parameter definitions", {"maxItems": 50}), **parameters},
        "jobEnvironments": environments,
        "steps": {"items": step},
    })
    return defs


def without_expr_defs(job: bool) -> dict:
    no_let = forbidden(EXPR, "a `let` block")
    lower_case = gated(EXPR, "the lower- or mixed-case type name {value!r}", {"not": {"pattern": "[a-z]"}})
    parameter_type = {"allOf": [
        lower_case,
        gated(EXPR, "the parameter type {value}",
              {"not": {"pattern": one_of_words(EXPR_ONLY_PARAMETER_TYPES, False)}})]}
    # A line break in an argument needs no extension: the conformance suite's own job tests pass multi-line
    # `python -c` programs in templates that declare none, and the reference accepts them.
    arg_text = gated(EXPR, "a tab in `args`", {"pattern": "^[^\\t]*$(?!\\n)"})
    action = shadow({"args": {"items": arg_text}})
    environment = shadow({"script": shadow({
        "let": no_let,
        "actions": shadow({key: {"$ref": "#/$defs/without-EXPR.action"} for key in
                           ["onEnter", "onExit", "onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit"]})})})
    parameters = {"items": shadow({"type": parameter_type})}
    defs = {"without-EXPR.action": action, "without-EXPR.environment": environment}
    if not job:
        defs["without-EXPR"] = shadow({"parameterDefinitions": parameters,
                                       "environment": {"$ref": "#/$defs/without-EXPR.environment"}})
        return defs
    list_typed = {"type": "string", "pattern": one_of_words(["FLOAT", "STRING", "PATH"], True)}
    single_expression = {"if": {"properties": {"type": list_typed}, "required": ["type"]},
                         "then": shadow({"range": gated(EXPR, "a single expression string as `range`",
                                                        {"not": {"type": "string"}})})}
    simple = shadow({"let": no_let, "args": {"items": arg_text}})
    step = shadow({
        "let": no_let,
        "stepEnvironments": {"items": {"$ref": "#/$defs/without-EXPR.environment"}},
        "parameterSpace": shadow({"taskParameterDefinitions": {"items": {
            **shadow({"type": lower_case}), **single_expression}}}),
        "script": shadow({"let": no_let, "actions": shadow({"onRun": {"$ref": "#/$defs/without-EXPR.action"}})}),
        **{name: simple for name in SIMPLE_ACTIONS},
    })
    defs["without-EXPR"] = shadow({
        "parameterDefinitions": parameters,
        "jobEnvironments": {"items": {"$ref": "#/$defs/without-EXPR.environment"}},
        "steps": {"items": step},
    })
    return defs


def without_task_chunking_defs() -> dict:
    chunk = gated(TC, "the task parameter type {value}", {"not": {"pattern": one_of_words(["CHUNK[INT]"], True)}})
    return {"without-TASK_CHUNKING": shadow({"steps": {"items": shadow({"parameterSpace": shadow({
        "taskParameterDefinitions": {"items": shadow({"type": chunk})}})})}})}


def wrap_defs(job: bool) -> dict:
    def around_environments(name: str, environment: dict) -> dict:
        defs = {f"{name}.environment": environment}
        if job:
            ref = {"items": {"$ref": f"#/$defs/{name}.environment"}}
            defs[name] = shadow({"jobEnvironments": ref, "steps": {"items": shadow({"stepEnvironments": ref})}})
        else:
            defs[name] = shadow({"environment": {"$ref": f"#/$defs/{name}.environment"}})
        return defs

    def hooks(schema_by_key: dict, **more) -> dict:
        return shadow({"script": shadow({"actions": shadow(schema_by_key, **more)})})

    return {
        **around_environments("without-WRAP_ACTIONS", hooks({
            "onWrapEnvEnter": forbidden(WA, "the `onWrapEnvEnter` hook"),
            "onWrapEnvExit": forbidden(WA, "the `onWrapEnvExit` hook")})),
        **around_environments("without-WRAP_ACTIONS-or-WRAP_TASK_RUN", hooks({
            "onWrapTaskRun": forbidden(WA, "the `onWrapTaskRun` hook")})),
        **around_environments("with-WRAP_ACTIONS", hooks({}, dependentRequired={
            "onWrapEnvEnter": ["onWrapTaskRun", "onWrapEnvExit"],
            "onWrapTaskRun": ["onWrapEnvEnter", "onWrapEnvExit"],
            "onWrapEnvExit": ["onWrapEnvEnter", "onWrapTaskRun"]})),
    }


def extension_list_defs() -> dict:
    def needs_expr(name):
        return shadow({"extensions": gated(EXPR, name, {"contains": {"const": EXPR}})})

    return {
        "with-WRAP_ACTIONS.extensions": needs_expr(WA),
        "with-WRAP_TASK_RUN.extensions": shadow({"extensions": {"allOf": [
            needs_expr(WTR)["properties"]["extensions"],
            {"not": {"contains": {"const": WA}},
             "x-openjd-message": "WRAP_TASK_RUN (the draft revision) and WRAP_ACTIONS cannot both be declared"}]}}),
    }


def extension_gates(job: bool) -> list:
    gates = [
        gate(lacks_extension(TC), "without-TASK_CHUNKING"),
        gate(lacks_extension(FB1), "without-FEATURE_BUNDLE_1"),
        gate(lacks_extension(EXPR), "without-EXPR"),
        gate(lacks_extension(WA), "without-WRAP_ACTIONS"),
        gate(lacks_extension(WA, WTR), "without-WRAP_ACTIONS-or-WRAP_TASK_RUN"),
        gate(has_extension(WA), "with-WRAP_ACTIONS"),
        gate(has_extension(WA), "with-WRAP_ACTIONS.extensions"),
        gate(has_extension(WTR), "with-WRAP_TASK_RUN.extensions"),
    ]
    return gates if job else gates[1:]


# ------------------------------------------------------------------------------------------ roots

def extensions_field() -> dict:
    return field("Extensions", "Extensions of the 2023-09 specification the template uses.", {
        "type": "array", "minItems": 1, "uniqueItems": True,
        "items": {"enum": EXTENSIONS}})


def job_schema() -> dict:
    defs = {**job_parameter_definitions(), **environment_defs(), **step_defs(),
            **without_task_chunking_defs(), **without_fb1_defs(True), **without_expr_defs(True), **wrap_defs(True),
            **extension_list_defs()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + "jobtemplate-2023-09.schema.json",
        "title": "OpenJD job template (2023-09)",
        "description": "An Open Job Description job template, specification version jobtemplate-2023-09.",
        **closed({
            "$schema": field("JSON Schema", "The schema that editors use to check this file; ignored otherwise.",
                             {"type": "string"}),
            "specificationVersion": field("Specification version", "Always `jobtemplate-2023-09`.",
                                          {"enum": ["jobtemplate-2023-09"]}),
            "extensions": extensions_field(),
            "name": field("Name", "The job's name, a format string (1-128 characters; 512 with FEATURE_BUNDLE_1).", {
                **no_control_characters(1), "if": {"pattern": FORMAT_STRING_MARK}, "else": {"maxLength": 512}}),
            "description": description_field("job"),
            "parameterDefinitions": parameter_definitions(200),
            "jobEnvironments": environment_list("Job environments", "Environments entered around all of the job's "
                                                "steps."),
            "steps": field("Steps", "The job's steps (at least one).", {
                "type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}}),
        }, required=["specificationVersion", "name", "steps"]),
        "allOf": extension_gates(job=True),
        "$defs": defs,
    }


def environment_schema() -> dict:
    defs = {**job_parameter_definitions(), **environment_defs(),
            **without_fb1_defs(False), **without_expr_defs(False), **wrap_defs(False),
            **extension_list_defs()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + "environment-2023-09.schema.json",
        "title": "OpenJD environment template (2023-09)",
        "description": "An Open Job Description environment template, specification version environment-2023-09.",
        **closed({
            "specificationVersion": field("Specification version", "Always `environment-2023-09`.",
                                          {"enum": ["environment-2023-09"]}),
            "extensions": extensions_field(),
            "parameterDefinitions": parameter_definitions(50),
            "environment": field("Environment", "The environment this template defines.",
                                 {"$ref": "#/$defs/environment"}),
        }, required=["specificationVersion", "environment"]),
        "allOf": extension_gates(job=False),
        "$defs": defs,
    }


def with_editor_messages(node):
    """Editors built on vscode-json-languageservice (yaml-language-server among them) show
    `patternErrorMessage` and `errorMessage` instead of a regex or a generic text; derive them from the
    linter's annotations."""
    if isinstance(node, list):
        for item in node:
            with_editor_messages(item)
    if not isinstance(node, dict):
        return node
    if "x-openjd-requires" in node:
        feature = node["x-openjd-feature"].replace(" {value!r}", " used here").replace(" {value}", " used here")
        node["errorMessage"] = f"{feature[0].upper()}{feature[1:]} requires the {node['x-openjd-requires']} extension."
    elif "x-openjd-message" in node and "not" in node:
        node["errorMessage"] = node["x-openjd-message"][0].upper() + node["x-openjd-message"][1:] + "."
    elif "pattern" in node and "x-openjd-form" in node:
        node["patternErrorMessage"] = f"Must be {node['x-openjd-form']}."
    elif "pattern" in node and "x-openjd-values" in node:
        node["patternErrorMessage"] = "Must be one of: " + ", ".join(node["x-openjd-values"]) + "."
    for value in node.values():
        with_editor_messages(value)
    return node


def for_completion(schema: dict) -> dict:
    """Editors (yaml-language-server) offer every key of every subschema that applies, so a key the
    extension overlays (`without-*`, `with-*`) repeat would be offered once per overlay, and a gated key
    even where it is forbidden. Overlay keys get `doNotSuggest`; a gated key is not suggested by the
    base schema but by a `with-*.suggested-keys` overlay that applies only where its extension is declared."""
    defs = schema["$defs"]
    suggestions = {}
    for gate_item in list(schema["allOf"]):
        name = gate_item["then"]["$ref"].rsplit("/", 1)[-1]
        for step_path, key_schema in _forbidden_keys(defs, defs[name], ()):
            _not_suggested(_property_at(schema, step_path))
            suggested = "with-" + name[len("without-"):] + ".suggested-keys"
            _add_suggestion(suggestions.setdefault(suggested, (gate_item["if"]["not"], {}))[1], step_path, key_schema)
    for name, overlay in defs.items():
        if name.startswith(("without-", "with-")):
            _quiet_properties(overlay)
    for name, (condition, tree) in suggestions.items():
        defs[name] = tree
        schema["allOf"].append(gate(condition, name))
    return schema


def _forbidden_keys(defs: dict, node: dict, steps: tuple):
    """(path of property names and `[]` for items, schema) of every key an overlay forbids outright."""
    if "$ref" in node:
        yield from _forbidden_keys(defs, defs[node["$ref"].rsplit("/", 1)[-1]], steps)
    for key, child in node.get("properties", {}).items():
        if child.get("not") == {} and "x-openjd-requires" in child:
            yield steps + (key,), child
        else:
            yield from _forbidden_keys(defs, child, steps + (key,))
    if isinstance(node.get("items"), dict):
        yield from _forbidden_keys(defs, node["items"], steps + ("[]",))


def _property_at(schema: dict, steps: tuple) -> dict:
    node = schema
    for step in steps:
        while "$ref" in node or ("properties" not in node and "items" not in node and "$ref" in node.get("allOf", [{}])[0]):
            reference = node["$ref"] if "$ref" in node else node["allOf"][0]["$ref"]
            node = schema["$defs"][reference.rsplit("/", 1)[-1]]
        node = node["items"] if step == "[]" else node["properties"][step]
    return node


def _add_suggestion(tree: dict, steps: tuple, forbidden_schema: dict) -> None:
    for step in steps[:-1]:  # the keys on the way are the base schema's to offer
        tree = tree.setdefault("items", {}) if step == "[]" else tree.setdefault("properties", {}).setdefault(
            step, {"doNotSuggest": True})
    tree.setdefault("properties", {})[steps[-1]] = {
        "title": forbidden_schema["title"],
        "description": forbidden_schema["description"].replace("Allowed only with", "Allowed with")}


def _not_suggested(property_schema: dict) -> None:
    # yaml-language-server drops the siblings of a `$ref` when it resolves it: the reference moves into
    # an `allOf` so that `doNotSuggest` stays with the property
    if "$ref" in property_schema:
        property_schema.setdefault("allOf", []).insert(0, {"$ref": property_schema.pop("$ref")})
    property_schema["doNotSuggest"] = True


def _quiet_properties(node) -> None:
    if isinstance(node, list):
        for item in node:
            _quiet_properties(item)
    elif isinstance(node, dict):
        for child in node.get("properties", {}).values():
            _not_suggested(child)
        for value in node.values():
            _quiet_properties(value)


SCHEMAS = {"jobtemplate-2023-09.schema.json": lambda: for_completion(with_editor_messages(job_schema())),
           "environment-2023-09.schema.json": lambda: for_completion(with_editor_messages(environment_schema()))}


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2) + "\n"


def main(argv: list) -> int:
    stale = []
    for file_name, build in SCHEMAS.items():
        text = render(build())
        path = SCHEMA_DIR / file_name
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(file_name)
        else:
            path.write_text(text, encoding="utf-8")
    for file_name in stale:
        print(f"{file_name} is out of date: run tools/generate_schemas.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
