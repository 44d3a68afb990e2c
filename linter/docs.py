"""Rule documentation: the page `openjd-lint rule ID` prints, and docs/rules.md (regenerate it with
`python tools/generate_rule_docs.py`; a test fails while it is out of date); `lint_example` lints a
rule's example the way its page shows it."""

from __future__ import annotations

import dataclasses

from openjd_lint.config import PROJECT_FILE, Config, config_finder, parse
from openjd_lint.pipeline import FileResult, lint_file
from openjd_lint.rule_api import Registry, is_bundle_rule
from openjd_lint.rules import REGISTRY
from openjd_lint.session.environments import load_environment

# the published docs/rules.md: each rule is an anchor on it
RULE_DOCUMENTATION_URL = "https://github.com/OpenJobDescription/openjd-lint/blob/main/docs/rules.md"

_FAMILIES = {"L": "Loading", "S": "Schema", "T": "Template semantics", "X": "Format strings and expressions",
             "N": "Sessions across templates", "W": "Environment wrap extension", "Q": "Quoting in wrap hooks", "H": "Wrap hook hazards",
             "I": "Injection: parameter values an interpreter parses",
             "B": "Job bundles", "M": "openjd-lint itself"}


def rule_page(rule) -> str:
    parts = [f"{rule.id} {rule.name} ({rule.severities})", "", rule.summary, ""]
    if rule.doc:
        parts += [rule.doc, ""]
    for heading, text, _ in _prerequisites(rule):
        parts += [f"{heading}:", "", _indent(text)]
    parts += ["Bad:", "", _indent(rule.bad), "Good:", "", _indent(rule.good)]
    return "\n".join(parts)


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in _printable(text).splitlines()) + "\n"


def _printable(text: str) -> str:
    """Examples of broken files hold undecodable bytes (as lone surrogates) and control characters:
    show them as `\\xNN` so the page stays text."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(f"\\x{ord(ch):02x}" if ch < " " and ch not in "\n\t" or ch == "\x7f" else ch for ch in text)


def rules_markdown(registry=REGISTRY) -> str:
    rules = list(registry)
    lines = ["# openjd-lint rules", "",
             "Generated from the rule registry by `python tools/generate_rule_docs.py`; do not edit by hand. "
             "`openjd-lint rule ID` prints the same page in a terminal.", "",
             "| id | name | severity | summary |", "|---|---|---|---|"]
    lines += [f"| [{r.id}](#{_anchor(r)}) | {r.name} | {r.severities} | {_cell(r.summary)} |" for r in rules]
    family = None
    for rule in rules:
        if rule.id[0] != family:
            family = rule.id[0]
            lines += ["", f"## {_FAMILIES.get(family, family)} ({family})"]
        lines += ["", f"### {rule.id} {rule.name}", "", rule_markdown(rule).rstrip("\n")]
    return "\n".join(lines) + "\n"


def rule_markdown(rule) -> str:
    """The body of a rule's section in docs/rules.md (also SARIF's `help.markdown`)."""
    lines = [f"Default severity: **{rule.severity.label}**"
             + (f" (some findings: {rule.severities.split('/', 1)[1]})" if rule.other_severities else "") + ".",
             "", rule.summary]
    if rule.doc:
        lines += ["", rule.doc]
    for heading, text, language in _prerequisites(rule):
        lines += ["", f"{heading}:", "", *_fenced(text, language)]
    lines += ["", "Bad:", "", *_fenced(rule.bad, "yaml"), "", "Good:", "", *_fenced(rule.good, "yaml")]
    return "\n".join(lines) + "\n"


def _prerequisites(rule) -> list:
    """(heading, text, language) of what the examples are linted with besides themselves."""
    shown = [("With this configuration", rule.example_config, "toml")] if rule.example_config else []
    count = len(rule.example_enclosing)
    for number, environment in enumerate(rule.example_enclosing, start=1):
        where = f" ({number} of {count}, outermost first)" if count > 1 else ""
        shown.append((f"Enclosed by this environment template (`--env`){where}", environment, "yaml"))
    return shown


def _anchor(rule) -> str:
    return f"{rule.id}-{rule.name}".lower()


def rule_url(rule, page: str = RULE_DOCUMENTATION_URL) -> str:
    """The rule's section of docs/rules.md (SARIF's helpUri, the editor's link)."""
    return f"{page}#{_anchor(rule)}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _fenced(text: str, language: str) -> list:
    fence = "````" if "```" in text else "```"
    return [f"{fence}{language}", *_printable(text).rstrip("\n").splitlines(), fence]


def lint_example(rule, text: str, registry: Registry = REGISTRY) -> FileResult:
    """Lint one of a rule's examples the way its page shows it: with the configuration and the enclosing
    environment templates it assumes (`Rule.example_config`, `Rule.example_enclosing`), if any."""
    if is_bundle_rule(rule.id):
        from openjd_lint.bundle import example

        return example.lint_example(text, registry)
    config = Config(include_info=True)
    if rule.example_config:
        finder = config_finder(registry)
        config = parse(rule.example_config, PROJECT_FILE, finder.rule_ids, finder.known_extensions,
                       rule_names=finder.rule_names)
        config = dataclasses.replace(config, include_info=True)
    enclosing = tuple(load_environment(f"environment-{number}.yaml", environment.encode())
                      for number, environment in enumerate(rule.example_enclosing, start=1))
    return lint_file(text.encode("utf-8", errors="surrogateescape"), "example.yaml", registry, config,
                     enclosing=enclosing)
