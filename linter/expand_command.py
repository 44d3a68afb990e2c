"""The `expand` command (`openjd-lint expand`): `add_parser(subparsers)` registers it on the command line;
the computation itself is `openjd_lint.session.expand`."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from typing import Optional

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "expand", help="show the actions a runtime would run for a job, without running anything",
        description="Compute the session a runtime would run for JOB: job parameters, each step's tasks, and every "
                    "action in session order with the argv of the process it would start (wrap hooks applied). "
                    "Nothing is executed.")
    parser.add_argument("job", metavar="JOB.yaml", help="the job template, or a Deadline Cloud job bundle directory "
                                                        "(its parameter_values apply under -p)")
    parser.add_argument("--env", action="append", default=[], metavar="ENV.yaml",
                        help="an environment template that encloses the job (repeatable, outermost first)")
    parser.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="a job parameter value (repeatable); @FILE.json reads a JSON object of values")
    parser.add_argument("--step", metavar="NAME", help="only this step (default: every step, dependencies first)")
    parser.add_argument("--task", default="all", metavar="all|N",
                        help="every task (default) or only task N of each step, counting from 0")
    parser.add_argument("--platform", choices=("posix", "windows"),
                        default="windows" if os.name == "nt" else "posix")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--workdir", metavar="DIR",
                        help="write the embedded files under DIR and use DIR as Session.WorkingDirectory")
    parser.add_argument("--allow-nested", action="store_true",
                        help="show two wrapping layers as nested hooks instead of rejecting them (not allowed by "
                             "either revision of the wrap extension)")
    parser.add_argument("--debug", action="store_true", help="print tracebacks of internal errors")
    parser.set_defaults(handler=handle)
    return parser


def handle(args) -> int:
    from openjd_lint.expr.library import metered
    from openjd_lint.pipeline import lint_bytes
    from openjd_lint.findings import Severity
    from openjd_lint.rules import REGISTRY
    from openjd_lint.session import render
    from openjd_lint.session.environments import EnvironmentFileError, load_environments
    from openjd_lint.session.expand import ExpandUsageError, Expansion, expand

    if args.task != "all" and not (args.task.isascii() and args.task.isdigit() and len(args.task) <= 18):
        return _usage(f"--task takes `all` or a task number, not {args.task!r}")
    try:
        given = parse_parameters(args.parameter)
        enclosing = load_environments(args.env)
        job = _bundle_template(args.job) if os.path.isdir(args.job) else args.job
        with open(job, "rb") as handle_:
            data = handle_.read()
    except (ValueError, EnvironmentFileError) as error:
        return _usage(str(error))
    except OSError as error:
        return _usage(f"cannot read {args.job}: {error.strerror}")
    bundle = _bundle(args.job, enclosing, given) if job != args.job else None
    if bundle is not None and bundle.job is None:
        return _usage(f"{job} is not a job template")
    tolerated = {"W001", "N001"} if args.allow_nested else set()
    diagnostics = []
    for index, context in enumerate(enclosing):
        diagnostics += lint_bytes(context.source.text.encode("utf-8"), args.env[index], REGISTRY).diagnostics
    result = lint_bytes(data, job, REGISTRY, enclosing=enclosing)
    diagnostics += result.diagnostics
    submitted = None
    if bundle is not None:
        from openjd_lint.bundle import stage
        from openjd_lint.bundle.submission import submission

        diagnostics += stage.check(bundle, REGISTRY).diagnostics
        submitted = submission(bundle)
        given = submitted.values
    errors = [d for d in diagnostics if d.severity == Severity.ERROR and d.rule not in tolerated]
    if result.context is None or not result.context.is_job:
        if not errors:
            return _usage(f"{job} is not a job template")
        expansion = Expansion(args.platform, args.workdir or "")
    elif errors:
        expansion = Expansion(args.platform, args.workdir or "")
    else:
        try:
            with metered():
                expansion = expand(result.context, given, step=args.step, task=args.task, platform=args.platform,
                                   workdir=args.workdir, allow_nested=args.allow_nested)
        except ExpandUsageError as error:
            return _usage(str(error))
    if submitted is not None:
        expansion.origins = {name: submitted.origins.get(name) for name in expansion.parameters}
        expansion.job_fields = submitted.job_fields
        expansion.notes[:0] = submitted.notes
    refused = write_files(expansion) if args.workdir and not expansion.failed else []
    if args.format == "json":
        sys.stdout.write(render.to_json(expansion, errors))
    else:
        sys.stdout.write(render.to_text(expansion, errors, color=_use_color(args.color)))
    for problem in refused:
        print(f"openjd-lint: error: {problem}", file=sys.stderr)
    return EXIT_FINDINGS if errors or expansion.failed or refused else EXIT_CLEAN


def _bundle_template(directory: str) -> str:
    """The template file of a job bundle directory; ValueError (a usage error) when it has none."""
    from openjd_lint.bundle import layout

    found = layout.find(directory)
    template = found.path(layout.TEMPLATE) if found is not None else None
    if template is None:
        raise ValueError(f"{directory} is not a job bundle: it has no template.yaml or template.json")
    return template


def _bundle(directory: str, enclosing: tuple, given: dict):
    from openjd_lint.bundle import layout, model

    return model.load(layout.find(directory), enclosing, given)


def parse_parameters(items) -> dict:
    """`NAME=VALUE` and `@FILE.json` items -> {name: value}. Raises ValueError with a usage message."""
    values = {}
    for item in items:
        if item.startswith("@"):
            try:
                with open(item[1:], encoding="utf-8") as handle_:
                    loaded = json.load(handle_)
            except OSError as error:
                raise ValueError(f"cannot read parameter file {item[1:]}: {error.strerror}") from None
            except ValueError as error:
                raise ValueError(f"parameter file {item[1:]} is not JSON: {error}") from None
            if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
                raise ValueError(f"parameter file {item[1:]} must hold a JSON object of name: value")
            values.update(loaded)
            continue
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"-p takes NAME=VALUE or @FILE.json, not {item!r}")
        values[name.strip()] = value
    return values


def write_files(expansion) -> list:
    """Write the session's files under the work directory; returns why each refused one was not written.
    The template names them, so only plain names are written (no empty, `.` or `..` part), never through
    a symbolic link inside the work directory, and never over anything but a regular file."""
    refused = []
    root = expansion.workdir
    for path, content in expansion.files.items():
        try:
            why = _write_under(root, path, content.encode("utf-8", "backslashreplace"), path in expansion.runnable)
        except OSError as error:
            why = error.strerror or str(error)
        if why is not None:
            refused.append(f"not writing {path}: {why}")
    return refused


def _write_under(root: str, path: str, data: bytes, runnable: bool) -> Optional[str]:
    prefix = root.rstrip(os.sep) + os.sep
    parts = path[len(prefix):].split(os.sep) if path.startswith(prefix) else []
    if not parts or any(part in ("", ".", "..") for part in parts):
        return "not a plain file name under the work directory"
    os.makedirs(root, exist_ok=True)
    directory = root
    for part in parts[:-1]:
        directory = os.path.join(directory, part)
        try:
            os.mkdir(directory)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(directory).st_mode):
                return f"{directory} is a symbolic link or a file, not a directory"
    if os.path.lexists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
        return "something other than a regular file is there (a symbolic link?)"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
    with os.fdopen(descriptor, "wb") as handle_:
        handle_.write(data)
        if runnable:
            os.fchmod(descriptor, os.fstat(descriptor).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return None


def _usage(message: str) -> int:
    print(f"openjd-lint: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()
