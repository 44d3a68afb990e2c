"""Rules the JSON-schema layer reports: one per class of schema error (the cfn-lint way)."""

from openjd_lint.findings import Severity
from openjd_lint.rule_api import MINIMAL_JOB, Rule

_GOOD = MINIMAL_JOB + "        timeout: 600\n"

SPECIFICATION_VERSION = Rule(
    "S001", "specification-version", Severity.ERROR,
    "`specificationVersion` is missing or names an unknown version.",
    "The version selects the schema: `jobtemplate-2023-09` for job templates, `environment-2023-09` for "
    "environment templates. Files found while walking a directory are skipped when they have no "
    "`specificationVersion`; files named on the command line are always checked.",
    bad=_GOOD.replace("jobtemplate-2023-09", "jobtemplate-2024-01"),
    good=_GOOD,
)

UNKNOWN_KEY = Rule(
    "S002", "unknown-key", Severity.ERROR,
    "A mapping has a key the schema does not define.",
    "Every OpenJD object is closed: a misspelt or misplaced key is rejected by schedulers. "
    "The finding suggests the closest valid key.",
    bad=_GOOD.replace("        timeout: 600", "        timeOut: 600"),
    good=_GOOD,
)

MISSING_KEY = Rule(
    "S003", "missing-key", Severity.ERROR,
    "A required key is missing.",
    "The finding points at the mapping that lacks the key.",
    bad=_GOOD.replace("        command: render\n", ""),
    good=_GOOD,
)

WRONG_TYPE = Rule(
    "S004", "wrong-type", Severity.ERROR,
    "A value has the wrong type (for example a list where a mapping is expected).",
    "",
    bad=_GOOD.replace("timeout: 600", "timeout: [600]"),
    good=_GOOD,
)

INVALID_VALUE = Rule(
    "S005", "invalid-value", Severity.ERROR,
    "A value is not one of the allowed values.",
    "Enumerations such as parameter types, `objectType` or cancelation `mode` accept a fixed set of values.",
    bad=_GOOD.replace("        timeout: 600", "        cancelation:\n          mode: KILL"),
    good=_GOOD,
)

LENGTH = Rule(
    "S006", "length-limit", Severity.ERROR,
    "A string or list is shorter or longer than the specification allows.",
    "Limits such as 1..64 characters for names, 1..1024 items for task parameter ranges, or non-empty "
    "optional lists. Some limits are raised by FEATURE_BUNDLE_1.",
    bad=_GOOD.replace("name: Render", "name: ''"),
    good=_GOOD,
)

PATTERN = Rule(
    "S007", "pattern-mismatch", Severity.ERROR,
    "A string does not have the required form.",
    "Identifiers, extension names, capability names, environment variable names and similar fields "
    "follow fixed patterns; control characters are not allowed in most strings.",
    bad=_GOOD.replace("name: Render\n", "name: Render\nparameterDefinitions:\n- name: 1st\n  type: INT\n"),
    good=_GOOD,
)

OUT_OF_RANGE = Rule(
    "S008", "out-of-range", Severity.ERROR,
    "A number is outside the allowed range.",
    "For example `timeout` must be at least 1 and `notifyPeriodInSeconds` between 1 and 600.",
    bad=_GOOD.replace("timeout: 600", "timeout: 0"),
    good=_GOOD,
)

DUPLICATE_ITEMS = Rule(
    "S009", "duplicate-items", Severity.ERROR,
    "A list that must hold distinct values holds the same value twice.",
    "",
    bad=_GOOD.replace("name: Render\n", "extensions: [EXPR, EXPR]\nname: Render\n"),
    good=_GOOD,
)

REQUIRES_EXTENSION = Rule(
    "S010", "requires-extension", Severity.ERROR,
    "A field, value or limit is used that only an extension enables, and the template does not declare it.",
    "Add the named extension to the template's `extensions` list (and make sure the target scheduler "
    "supports it), or stop using the feature.",
    bad=_GOOD.replace("  script:\n    actions:\n      onRun:\n        command: render\n        timeout: 600\n",
                      "  bash:\n    script: render\n"),
    good=_GOOD,
)

INVALID_STRUCTURE = Rule(
    "S011", "invalid-structure", Severity.ERROR,
    "A value matches none, or more than one, of the forms the specification allows.",
    "Reported for alternatives: a step takes exactly one of `script` or a simple action (`bash`, `python`, ...), "
    "and two of them together are ambiguous. When an alternative is simply missing, the finding is S003 "
    "(missing-key) instead. For other alternatives the message describes the closest form.",
    bad=_GOOD.replace("name: Render\n", "extensions: [FEATURE_BUNDLE_1]\nname: Render\n")
    + "  bash:\n    script: render\n",
    good=_GOOD,
)

RULES = [SPECIFICATION_VERSION, UNKNOWN_KEY, MISSING_KEY, WRONG_TYPE, INVALID_VALUE, LENGTH, PATTERN,
         OUT_OF_RANGE, DUPLICATE_ITEMS, REQUIRES_EXTENSION, INVALID_STRUCTURE]
