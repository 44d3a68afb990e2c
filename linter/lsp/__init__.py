"""`openjd-lint lsp`: a language server over stdio. pygls (and logging) are imported only by `run`,
when the server starts, so `openjd-lint check` never pays for them."""

from __future__ import annotations

import argparse
from typing import Optional

_DESCRIPTION = "Run the OpenJD language server on standard input and output."


def add_parser(subcommands) -> argparse.ArgumentParser:
    """Register `lsp` on the command line's subparsers (`openjd_lint.cli`)."""
    parser = subcommands.add_parser("lsp", help="run the language server on stdio",
                                    description=_DESCRIPTION)
    _add_arguments(parser)
    parser.set_defaults(handler=run)
    return parser


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="openjd-lint lsp", description=_DESCRIPTION)
    _add_arguments(parser)
    return run(parser.parse_args(argv))


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the default")
    parser.add_argument("--log-file", metavar="PATH", help="write the server's log to PATH")


def run(args: argparse.Namespace) -> int:
    if args.log_file:
        import logging

        logging.basicConfig(filename=args.log_file, level=logging.INFO)
    from openjd_lint.lsp.server import build_server

    build_server().start_io()
    return 0
