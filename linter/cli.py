"""The `openjd-lint` command line."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Optional

from openjd_lint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
_COMMANDS = ("check", "rules", "rule")


def main(argv: Optional[list] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in _COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "check")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_CLEAN if exit_.code in (0, None) else EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except BrokenPipeError:
        return EXIT_CLEAN
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the one place that turns a bug into exit code 3
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            print(f"openjd-lint: internal error: {type(error).__name__}: {error}. This is a bug in openjd-lint; "
                  "please report it with the file that triggers it (rerun with --debug for the traceback).",
                  file=sys.stderr)
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="openjd-lint", description="Validate and lint Open Job Description templates.")
    parser.add_argument("--version", action="version", version=f"openjd-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check templates (the default command)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or directories; - reads standard input")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                       help="lowest severity that makes the exit code 1 (default: error)")
    check.add_argument("--stdin-filename", metavar="NAME", help="file name to report for standard input")
    check.add_argument("--only-templates", action="store_true",
                       help="skip named files without `specificationVersion` (as when walking directories)")
    check.add_argument("--debug", action="store_true", help="print tracebacks of internal errors")
    check.set_defaults(handler=_check)

    rules = commands.add_parser("rules", help="list every rule")
    rules.set_defaults(handler=_rules)

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("rule_id", metavar="RULE", help="rule id (e.g. S002) or name (e.g. unknown-key)")
    rule.set_defaults(handler=_rule)
    return parser


def _check(args) -> int:
    from openjd_lint.discover import MissingPath, Target, discover
    from openjd_lint.findings import Severity
    from openjd_lint.rules import REGISTRY
    from openjd_lint.run import run_targets

    try:
        targets = discover([p for p in args.paths if p != "-"], named_are_explicit=not args.only_templates)
    except MissingPath as missing:
        print(f"openjd-lint: error: no such file or directory: {missing}", file=sys.stderr)
        return EXIT_USAGE
    if "-" in args.paths:
        targets.append(Target(args.stdin_filename or "-", explicit=True, data=sys.stdin.buffer.read()))
    run = run_targets(targets, REGISTRY)
    if args.format == "json":
        from openjd_lint.reporters import json as reporter
    else:
        from openjd_lint.reporters import text as reporter
    sys.stdout.write(reporter.render(run, color=_use_color(args.color)))
    return EXIT_FINDINGS if run.fails(Severity.parse(args.fail_on)) else EXIT_CLEAN


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _rules(args) -> int:
    from openjd_lint.rules import REGISTRY

    width = max(len(rule.name) for rule in REGISTRY)
    for rule in REGISTRY:
        print(f"{rule.id:<6} {rule.name:<{width}}  {rule.severity.label:<7}  {rule.summary}")
    return EXIT_CLEAN


def _rule(args) -> int:
    from openjd_lint.rules import REGISTRY

    rule = REGISTRY.get(args.rule_id)
    if rule is None:
        print(f"openjd-lint: error: unknown rule {args.rule_id!r} (see `openjd-lint rules`)", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(rule_page(rule))
    return EXIT_CLEAN


def rule_page(rule) -> str:
    parts = [f"{rule.id} {rule.name} ({rule.severity.label})", "", rule.summary, ""]
    if rule.doc:
        parts += [rule.doc, ""]
    parts += ["Bad:", "", _indent(rule.bad), "Good:", "", _indent(rule.good)]
    return "\n".join(parts)


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.splitlines()) + "\n"
