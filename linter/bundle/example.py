"""A B rule's example is a whole bundle written as one text: `# file: NAME` starts a file (its lines follow),
`# link: NAME -> TARGET` is a symbolic link. `lint_example` writes it to a temporary directory and checks it
the way `openjd-lint check BUNDLE_DIR` does."""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile

from openjd_lint.bundle import layout

_FILE = re.compile(r"^# file: (?P<name>\S+)$")
_LINK = re.compile(r"^# link: (?P<name>\S+) -> (?P<target>\S+)$")


def files(text: str) -> tuple:
    """({name: text}, {name: link target}) of an example."""
    contents, links, current = {}, {}, None
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        file_match, link_match = _FILE.match(stripped), _LINK.match(stripped)
        if file_match:
            current = file_match.group("name")
            contents[current] = ""
        elif link_match:
            links[link_match.group("name")] = link_match.group("target")
            current = None
        elif current is not None:
            contents[current] += line
    return contents, links


def write(text: str, directory: str) -> None:
    contents, links = files(text)
    for name, content in contents.items():
        path = os.path.join(directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(content)
    for name, target in links.items():
        path = os.path.join(directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(target, path)


def run(text: str, registry):
    """The RunResult of checking the example's bundle, with file names relative to the bundle."""
    from openjd_lint.config import config_finder
    from openjd_lint.discover import discover
    from openjd_lint.load.source import Source
    from openjd_lint.run import Options, run_targets

    with tempfile.TemporaryDirectory() as directory:
        bundle = os.path.join(directory, "bundle")
        os.mkdir(bundle)
        write(text, bundle)
        result = run_targets(discover([bundle]), registry, Options(config_finder(registry)))

        def relative(path: str) -> str:
            return os.path.relpath(path, bundle) if os.path.isabs(path) else path

        result.diagnostics = [dataclasses.replace(d, file=relative(d.file), related=tuple(
            dataclasses.replace(r, file=relative(r.file)) for r in d.related)) for d in result.diagnostics]
        result.sources = {relative(path): Source(relative(path), source.text) for path, source in result.sources.items()}
    return result


def lint_example(text: str, registry):
    """The example's diagnostics as one FileResult (every file's, named relative to the bundle)."""
    from openjd_lint.pipeline import FileResult

    return FileResult(layout.TEMPLATE + ".yaml", run(text, registry).diagnostics)
