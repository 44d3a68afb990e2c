"""Rules the loader reports: the file is not a readable YAML or JSON mapping."""

from openjd_lint.findings import Severity
from openjd_lint.rule_api import MINIMAL_JOB, Rule

_GOOD = MINIMAL_JOB
_FRAMES = "parameterDefinitions:\n- name: Frames\n  type: INT\n  default: %s\nsteps:"

YAML_SYNTAX = Rule(
    "L001", "yaml-syntax", Severity.ERROR,
    "The file is not valid YAML (or JSON).",
    "The parser stopped at the reported position. Nothing else in the file can be checked until it parses.",
    bad="specificationVersion: jobtemplate-2023-09\nname: [Render\nsteps: []\n",
    good=_GOOD,
)

DUPLICATE_KEY = Rule(
    "L002", "duplicate-key", Severity.ERROR,
    "A mapping defines the same key twice.",
    "YAML loaders silently keep one of the two values, so the template does not say what it seems to. "
    "The finding is at the second key and names the first.",
    bad=_GOOD.replace("name: Render\n", "name: Render\nname: Render2\n"),
    good=_GOOD,
)

MULTIPLE_DOCUMENTS = Rule(
    "L003", "multiple-documents", Severity.ERROR,
    "The file holds more than one YAML document.",
    "A template is exactly one document; schedulers read the first and ignore or reject the rest.",
    bad=_GOOD + "---\nname: Other\n",
    good=_GOOD,
)

EMPTY_DOCUMENT = Rule(
    "L004", "empty-document", Severity.ERROR,
    "The file is empty or holds only comments.",
    "A named template file must contain a template.",
    bad="# nothing here\n",
    good=_GOOD,
)

TAB_INDENTATION = Rule(
    "L005", "tab-indentation", Severity.ERROR,
    "A tab character is used for indentation.",
    "YAML forbids tabs in indentation; editors often show them as spaces, which hides the mistake.",
    bad=_GOOD.replace("  script:", "\tscript:"),
    good=_GOOD,
)

ENCODING = Rule(
    "L006", "encoding", Severity.ERROR,
    "The file is not valid UTF-8.",
    "OpenJD templates are UTF-8 (a byte order mark is accepted). UTF-16 files and stray bytes of other "
    "encodings are reported at the first offending byte.",
    bad=_GOOD.replace("Render", "Caf\udce9"),
    good=_GOOD,
)

BINARY_FILE = Rule(
    "L007", "binary-file", Severity.ERROR,
    "The file contains NUL bytes.",
    "A file with NUL bytes is binary; it cannot be a template.",
    bad=_GOOD.replace("Render", "Ren\x00der"),
    good=_GOOD,
)

ALIAS_BOMB = Rule(
    "L008", "alias-expansion", Severity.ERROR,
    "Aliases expand the document beyond a safe size.",
    "Nested anchors and aliases can describe an exponentially large document (a 'billion laughs' attack). "
    "The linter measures the expanded size without expanding it and refuses documents above one million nodes.",
    bad=("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"),
    good=_GOOD,
)

ROOT_NOT_MAPPING = Rule(
    "L009", "root-not-mapping", Severity.ERROR,
    "The document root is a list or a scalar.",
    "A template is a mapping whose keys are `specificationVersion`, `name`, `steps` and so on.",
    bad="- specificationVersion: jobtemplate-2023-09\n",
    good=_GOOD,
)

TOO_DEEP = Rule(
    "L010", "nesting-too-deep", Severity.ERROR,
    "The document is nested more deeply than any template can be.",
    "OpenJD templates are a few levels deep; a document nested hundreds of levels deep is refused "
    "rather than walked.",
    bad=_GOOD + "x: " + "[" * 300 + "]" * 300 + "\n",
    good=_GOOD,
)

FILE_TOO_LARGE = Rule(
    "L011", "file-too-large", Severity.ERROR,
    "The file is larger than `--max-file-size`.",
    "Templates are a few kilobytes; a file above the limit (10 MB unless `--max-file-size` says otherwise) is "
    "reported without being read, so a stray data file cannot stall a run or exhaust its memory. (The "
    "examples assume a limit of exactly the good example's size.)",
    bad=_GOOD + "# ... and on, past the limit\n",
    good=_GOOD,
)

TOO_MANY_NODES = Rule(
    "L012", "too-many-nodes", Severity.ERROR,
    "The document holds more values than any template can.",
    "A large job template has a few thousand keys and values; a document with more than 200,000 is refused "
    "before it is built, so it cannot stall a run. (The examples assume a limit of 20 nodes.)",
    bad=_GOOD + "frames: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n",
    good=_GOOD,
)

INTEGER_TOO_LONG = Rule(
    "L013", "integer-too-long", Severity.ERROR,
    "A number has more digits than any template value can.",
    "OpenJD integers are 64-bit (at most 19 digits), and an integer of more than 4,300 digits is not even "
    "converted (that takes time quadratic in its length). The value is kept as its text, so the rest of the "
    "file is still checked. (The examples assume a limit of 20 digits.)",
    bad=_GOOD.replace("steps:", _FRAMES % "123456789012345678901234567890"),
    good=_GOOD.replace("steps:", _FRAMES % "240"),
)

RULES = [YAML_SYNTAX, DUPLICATE_KEY, MULTIPLE_DOCUMENTS, EMPTY_DOCUMENT, TAB_INDENTATION, ENCODING,
         BINARY_FILE, ALIAS_BOMB, ROOT_NOT_MAPPING, TOO_DEEP, FILE_TOO_LARGE,
         TOO_MANY_NODES, INTEGER_TOO_LONG]
