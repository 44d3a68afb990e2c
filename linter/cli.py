"""The `openjd-lint` command line."""

from __future__ import annotations

import argparse
import difflib
import gc
import importlib
import os
import sys
import traceback
from typing import Optional

from openjd_lint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
_COMMANDS = ("check", "rules", "rule", "expand", "clean", "lsp")
FORMATS = ("text", "json", "sarif", "github")
_WITH_SUMMARY = ("text", "github")  # formats that end with a summary line (left out with --quiet)


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
    for stream in (sys.stdout, sys.stderr):
        # Text from a template can hold lone surrogates ("\ud800" in an expression), and file names that are
        # not UTF-8 decode to them: they are written as escapes, whatever the locale, instead of failing.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
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


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: an option it does not know is its own usage error (with its usage and the
    closest option it has), not the top-level parser's."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._suggestion(extras)}")
        return namespace, extras

    def _suggestion(self, extras: list) -> str:
        known = [option for option in self._option_string_actions if option.startswith("--")]
        for extra in extras:
            if extra.startswith("-"):
                close = difflib.get_close_matches(extra.split("=", 1)[0], known, n=1, cutoff=0.6)
                if close:
                    return f" (did you mean {close[0]}?)"
        return ""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="openjd-lint", description="Validate and lint Open Job Description templates.")
    parser.add_argument("--version", action="version", version=f"openjd-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)

    check = commands.add_parser("check", help="check templates (the default command)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or directories; - reads standard input")
    check.add_argument("--format", choices=FORMATS,
                       help="output format (default: github when GITHUB_ACTIONS=true, otherwise text)")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("--fail-on", choices=("error", "warning", "info"),
                       help="lowest severity that makes the exit code 1 (default: the configuration's, or error); "
                            "info also shows info findings")
    check.add_argument("--include-info", action="store_true",
                       help="also report info findings (advice that is off by default)")
    for option, meaning in (("--select", "check only these rules (replaces the configuration's select and ignore)"),
                            ("--extend-select", "also check these rules"),
                            ("--ignore", "do not check these rules")):
        check.add_argument(option, action="append", default=[], metavar="RULES",
                           help=f"{meaning}: comma-separated rule ids, names or prefixes (repeatable)")
    check.add_argument("--exit-zero", action="store_true",
                       help="exit with 0 even when findings reach the threshold (usage and internal errors still fail)")
    check.add_argument("--quiet", "-q", action="store_true",
                       help="print the findings and nothing else (no summary line, no notes on standard error)")
    check.add_argument("--statistics", action="store_true",
                       help="print how many findings each rule reported instead of the findings (text or json)")
    check.add_argument("--show-fixes", action="store_true",
                       help="with --fix or --diff, list the fixes applied per file and rule")
    check.add_argument("--sarif-file", metavar="FILE",
                       help="also write a SARIF report to FILE (one run gives both --format's output and SARIF)")
    check.add_argument("--config", metavar="FILE",
                       help="use this pyproject.toml or .openjd-lint.toml for every file instead of the nearest one")
    check.add_argument("--no-inline-suppressions", action="store_true",
                       help="ignore `# openjd-lint: disable=...` comments")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="also apply fixes that may change what a template means (implies --fix unless --diff)")
    check.add_argument("--diff", action="store_true", help="print the fixes as unified diffs; change no file")
    check.add_argument("--stdin-filename", metavar="NAME", help="file name to report for standard input")
    check.add_argument("--only-templates", action="store_true",
                       help="skip named files without `specificationVersion` (as when walking directories)")
    check.add_argument("--debug", action="store_true",
                       help="print tracebacks of internal errors (M004), linting every file afresh")
    check.add_argument("--env", action="append", default=[], metavar="ENV.yaml",
                       help="an environment template that encloses every job (repeatable, outermost first); "
                            "it is checked too")
    check.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                       help="a job parameter value to check against the definitions, as `expand` takes it "
                            "(repeatable; @FILE.json reads a JSON object of values); with --env, queue environments' "
                            "parameters too")
    check.add_argument("--jobs", "-j", type=_positive, metavar="N",
                       help="worker processes when there are many files (default: every core)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (.openjd-lint-cache)")
    check.add_argument("--max-file-size", type=_byte_size, default="10M", metavar="SIZE",
                       help="a larger file is reported (L011) without being read (default: 10M)")
    check.set_defaults(handler=_check)

    rules = commands.add_parser("rules", help="list every rule")
    rules.set_defaults(handler=_rules)

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("rule_id", metavar="RULE", help="rule id (e.g. S002) or name (e.g. unknown-key)")
    rule.set_defaults(handler=_rule)

    clean = commands.add_parser("clean", help="remove the cache (.openjd-lint-cache in the current directory)")
    clean.set_defaults(handler=_clean)

    from openjd_lint.lsp import add_parser as add_lsp_parser
    from openjd_lint.expand_command import add_parser as add_expand_parser

    add_expand_parser(commands)
    add_lsp_parser(commands)
    return parser


def _check(args) -> int:
    from openjd_lint.config import ConfigError
    from openjd_lint.discover import MissingPath, Target, UnreadablePath, discover
    from openjd_lint.findings import Severity
    from openjd_lint.rules import REGISTRY
    from openjd_lint.cache import Cache, cache_directory, refusal
    from openjd_lint.config import config_finder
    from openjd_lint.run import Options, run_targets
    from openjd_lint.session.environments import EnvironmentFileError, load_environments

    if args.statistics and args.format in ("sarif", "github"):
        return _usage_error("--statistics prints text or json, not " + args.format)
    fix = args.fix or (args.unsafe_fixes and not args.diff)
    if fix and "-" in args.paths:
        return _usage_error("--fix cannot rewrite standard input (use --diff to see the fixes)")
    from openjd_lint.bundle.stage import UnknownParameters
    from openjd_lint.expand_command import parse_parameters

    try:
        enclosing = load_environments(args.env)
        given = parse_parameters(args.parameter)
    except (EnvironmentFileError, ValueError) as error:
        return _usage_error(str(error))
    paths = args.paths + [path for path in args.env if path not in args.paths]
    try:
        finder = config_finder(REGISTRY, args.config, _command_line_settings(args, REGISTRY))
        skipped: list = []
        targets = discover([p for p in paths if p != "-"], named_are_explicit=not args.only_templates,
                           skipped=skipped)
    except (ConfigError, UnreadablePath) as error:
        return _usage_error(str(error))
    except MissingPath as missing:
        command = difflib.get_close_matches(str(missing), _COMMANDS, n=1)
        hint = f" (did you mean the `{command[0]}` command?)" if command and str(missing) == args.paths[0] else ""
        return _usage_error(f"no such file or directory: {missing}{hint}")
    if "-" in args.paths:
        data = sys.stdin.buffer.read(args.max_file_size + 1)  # more than the limit is reported (L011) unread
        targets.append(Target(args.stdin_filename or "-", explicit=True, data=data))
    options = Options(finder, inline_suppressions=not args.no_inline_suppressions,
                      fail_on=Severity.parse(args.fail_on) if args.fail_on else None,
                      fix=fix and not args.diff, diff=args.diff, unsafe_fixes=args.unsafe_fixes, enclosing=enclosing,
                      jobs=args.jobs or default_jobs(), max_file_size=args.max_file_size, given=given)
    if args.debug:
        from openjd_lint.rules import meta

        meta.print_tracebacks()
    if not (args.no_cache or fix or args.diff or args.debug):  # --debug lints afresh, to show every traceback
        directory = cache_directory(args.config)
        problem = refusal(directory)
        if problem is None:
            options.cache = Cache(directory, REGISTRY, options.inline_suppressions, enclosing)
        else:
            _warn(f"not using the cache: {problem} (remove it, or pass --no-cache)")
    collect_garbage_rarely()
    try:
        run = run_targets(targets, REGISTRY, options)
    except (ConfigError, UnknownParameters) as error:
        return _usage_error(str(error))
    if args.sarif_file:
        from openjd_lint.reporters import sarif

        try:
            with open(args.sarif_file, "w", encoding="utf-8") as handle:
                handle.write(sarif.render(run))
        except OSError as error:
            return _usage_error(f"cannot write the SARIF report to {args.sarif_file}: {error.strerror}")
    if not args.quiet:
        for warning in _warnings(run, args, targets):
            _warn(warning)
        for path, why in skipped + run.skipped:
            print(f"openjd-lint: note: skipped {path}: {why}", file=sys.stderr)
    for path, why in run.unfixed:
        _warn(f"did not fix {path}: {why}")
    notes = []
    if args.diff:
        sys.stdout.write("".join(run.diffs))
        noun = "fix" if run.fixes_applied == 1 else "fixes"
        notes.append(f"{run.fixes_applied} {noun} would be applied.")
    elif args.statistics:
        from openjd_lint.reporters import statistics

        sys.stdout.write(statistics.render(run, as_json=args.format == "json"))
    else:
        chosen = _format(args.format)
        reporter = importlib.import_module(f"openjd_lint.reporters.{chosen}")
        render_options = {"quiet": True} if args.quiet and chosen in _WITH_SUMMARY else {}
        sys.stdout.write(reporter.render(run, color=_use_color(args.color), **render_options))
        if run.fixes_applied and not args.quiet:
            notes.append(f"Fixed {run.fixes_applied} problem{'s' if run.fixes_applied != 1 else ''}.")
    if args.show_fixes and run.fixed:
        notes.append(_fixed_listing(run.fixed, applied=not args.diff))
    for note in notes:
        print(note, file=sys.stderr)
    if args.diff:
        failed = bool(run.diffs)
    else:
        failed = run.failed
    if run.internal_errors:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if failed and not args.exit_zero else EXIT_CLEAN


def _warnings(run, args, targets) -> list:
    """What the run did not do that a user would otherwise miss."""
    if run.files_checked:
        return []
    where = " ".join(args.paths)
    if targets:
        return [f"no template checked under {where} ({len(targets)} file{'s' if len(targets) != 1 else ''} found: "
                "none has `specificationVersion`, or all are excluded)"]
    return [f"no template found under {where} (looked for *.yaml, *.yml, *.json)"]


def _fixed_listing(fixed: list, applied: bool) -> str:
    """`Fixed N problems:` (or `Would fix`), then per file how many fixes of each rule, as ruff's --show-fixes."""
    from collections import Counter

    from openjd_lint.rules import REGISTRY

    by_file: dict = {}
    for file, rule in fixed:
        by_file.setdefault(file, Counter())[rule] += 1
    lines = [f"{'Fixed' if applied else 'Would fix'} {len(fixed)} problem{'s' if len(fixed) != 1 else ''}:"]
    for file in sorted(by_file):
        lines.append(f"- {file}:")
        for rule, count in sorted(by_file[file].items()):
            lines.append(f"    {count} × {rule} ({REGISTRY.get(rule).name})")
    return "\n".join(lines)


def _command_line_settings(args, registry) -> tuple:
    """The (Config field, value) pairs the command line sets for every file. As in ruff, `--select` replaces
    the configuration's selection (select, extend-select and ignore); otherwise `--extend-select` and
    `--ignore` add to it. Raises ConfigError for a selector that matches no rule."""
    from openjd_lint.config import ConfigError, Extend, selector
    from openjd_lint.findings import Severity

    rule_ids = tuple(rule.id for rule in registry)
    rule_names = {rule.name: rule.id for rule in registry}

    def selectors(option: str) -> tuple:
        values = getattr(args, option.lstrip("-").replace("-", "_"))
        try:
            return tuple(selector(text.strip(), rule_ids, rule_names) for value in values for text in value.split(","))
        except ValueError as problem:
            raise ConfigError(f"{option}: {problem}") from None

    select, extend, ignore = selectors("--select"), selectors("--extend-select"), selectors("--ignore")
    if args.select:
        settings = [("select", select), ("extend_select", extend), ("ignore", ignore)]
    else:
        settings = [(name, Extend(value)) for name, value in (("extend_select", extend), ("ignore", ignore)) if value]
    if args.fail_on:
        settings.append(("fail_on", Severity.parse(args.fail_on)))
    if args.include_info:
        settings.append(("include_info", True))
    return tuple(settings)


def _format(chosen: Optional[str]) -> str:
    if chosen is not None:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _warn(message: str) -> None:
    print(f"openjd-lint: warning: {message}", file=sys.stderr)


def _usage_error(message: str) -> int:
    print(f"openjd-lint: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _byte_size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size such as 10M, 512K or 1048576, got {text!r}") from None


def parse_size(text: str) -> int:
    """`10485760`, `512K`, `10M`, `1G` (powers of 1024) as bytes; ValueError otherwise."""
    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    text = text.strip().upper().removesuffix("B")
    factor = units.get(text[-1:], 1)
    number = int(text[:-1] if factor != 1 else text)
    if number <= 0:
        raise ValueError("the size must be positive")
    return number * factor


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def collect_garbage_rarely() -> None:
    """For a command-line run: what the imports built lives until exit, so the cyclic collector stops
    scanning it, and runs less often; with the defaults, collections take about a fifth of a cold run
    over many files. Reference counting still frees the trees of each file as soon as it is done."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


def _clean(args) -> int:
    from openjd_lint.cache import cache_directory, clean

    directory = cache_directory(None)
    removed, problem = clean(directory)
    if problem is not None:
        _warn(problem)
    elif removed:
        print(f"removed {directory}", file=sys.stderr)
    return EXIT_CLEAN


def _rules(args) -> int:
    from openjd_lint.rules import REGISTRY

    width = max(len(rule.name) for rule in REGISTRY)
    severity_width = max(len(rule.severities) for rule in REGISTRY)
    for rule in REGISTRY:
        print(f"{rule.id:<6} {rule.name:<{width}}  {rule.severities:<{severity_width}}  {rule.summary}")
    return EXIT_CLEAN


def _rule(args) -> int:
    from openjd_lint.docs import rule_page
    from openjd_lint.rules import REGISTRY

    rule = REGISTRY.get(args.rule_id)
    if rule is None:
        return _usage_error(f"unknown rule {args.rule_id!r} (see `openjd-lint rules`)")
    sys.stdout.write(rule_page(rule))
    return EXIT_CLEAN
