"""`openjd-lint lsp`: a language server over stdio. pygls is imported only here, when the server
starts, so `openjd-lint check` never pays for it."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Optional


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="openjd-lint lsp", description="Run the OpenJD language server on stdio.")
    parser.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the default")
    parser.add_argument("--log-file", metavar="PATH", help="write the server's log to PATH")
    args = parser.parse_args(argv)
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.INFO)
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("openjd-lint lsp needs pygls: pip install 'openjd-lint[lsp]'", file=sys.stderr)
        return 2
    from openjd_lint.lsp.server import build_server

    build_server().start_io()
    return 0
