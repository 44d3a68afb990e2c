"""Linting the text of an open document, and loading the environment templates that enclose it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from openjd_lint.bundle import layout, model, stage
from openjd_lint.bundle.model import Bundle
from openjd_lint.config import Config
from openjd_lint.context import ENVIRONMENT, SPECIFICATION_VERSIONS, template_context
from openjd_lint.pipeline import FileResult, lint_bytes, lint_file
from openjd_lint.load.source import Source
from openjd_lint.load.yaml_loader import load_bytes
from openjd_lint.rules import REGISTRY


@dataclass
class Analysis:
    """One version of a document and what the linter made of it. `source` is the text the
    diagnostics' positions and the fixes' offsets refer to."""

    version: Optional[int]
    source: Source
    result: FileResult
    excluded: bool = False  # the configuration's `exclude` names the file
    bundle: Optional[Bundle] = None  # the job bundle of a parameter values or asset references file

    @property
    def is_values_file(self) -> bool:
        return self.bundle is not None and layout.member_stem(self.result.name) == layout.VALUES

    @property
    def values_root(self):
        """The tree of the document when it is a job bundle's parameter values file, else None."""
        values = self.bundle.document(layout.VALUES) if self.bundle is not None else None
        return values.root if values is not None and values.path == self.result.name else None

    @property
    def context(self):
        return self.result.context

    @property
    def diagnostics(self) -> list:
        """Files without `specificationVersion` are not templates: an editor opens every YAML file,
        and a compose file should not be told it lacks a specification version."""
        return self.result.diagnostics if self.result.is_template and not self.excluded else []


def analyse(text: str, name: str, version: Optional[int], config: Config = Config(),
            enclosing: tuple = ()) -> Analysis:
    """Lint `text` as the command line lints the file `name`: with its configuration's selection and
    severities, the inline suppressions in the text, and the configured enclosing environment
    templates (`check --env`)."""
    data = text.encode("utf-8", errors="surrogatepass")
    stem = layout.member_stem(name)
    if stem not in (None, layout.TEMPLATE):
        return _bundle_file(data, text, name, version, config, enclosing)
    result = lint_file(data, name, REGISTRY, config, enclosing=enclosing)
    if stem == layout.TEMPLATE:  # the B findings of a bundle's template
        bundle = _bundle(data, name, config, enclosing)
        if bundle is not None:
            own = [d for d in stage.check(bundle, REGISTRY, lambda path: config).diagnostics if d.file == name]
            result.diagnostics = sorted(result.diagnostics + own, key=lambda d: d.sort_key)
    return Analysis(version, result.source or Source(name, text), result, config.is_excluded(name))


def _bundle(data: bytes, name: str, config: Config, enclosing: tuple) -> Optional[Bundle]:
    found = layout.find(os.path.dirname(name))
    bundle = model.load(found, enclosing, queue_parameters=config.queue_parameters, texts={name: data}) \
        if found is not None else None
    return bundle if bundle is not None and bundle.job is not None else None


def _bundle_file(data: bytes, text: str, name: str, version: Optional[int], config: Config,
                 enclosing: tuple) -> Analysis:
    """A bundle's parameter values or asset references file: its findings of the bundle stage."""
    bundle = _bundle(data, name, config, enclosing)
    source = Source(name, text)
    if bundle is None:  # not the bundle of a job template: not a file openjd-lint checks
        return Analysis(version, source, FileResult(name, source=source, is_template=False))
    document = bundle.document(os.path.splitext(os.path.basename(name))[0])
    source = document.loaded.source if document is not None and document.loaded.source is not None else source
    diagnostics = [d for d in stage.check(bundle, REGISTRY, lambda path: config).diagnostics if d.file == name]
    return Analysis(version, source, FileResult(name, diagnostics, source=source), config.is_excluded(name), bundle)


def half_typed(analysis: Analysis, offset: int) -> Analysis:
    """While an expression is being typed the line is often not YAML yet (`args: ["{{ Ta`). When the
    text does not load, complete the cursor's line as it will probably end (close the
    interpolation, the quote and the brackets opened on it) and load that instead, so completion and
    hover still know where they are. Only loaded, never linted: no rule runs on the guess."""
    if analysis.context is not None:
        return analysis
    text = analysis.source.text
    line_end = text.find("\n", offset)
    line_start = text.rfind("\n", 0, offset) + 1
    guess = text[:offset] + _closing(text[line_start:offset]) + (text[line_end:] if line_end != -1 else "")
    loaded = load_bytes(guess.encode("utf-8", errors="surrogatepass"), analysis.result.name,
                        is_json=analysis.result.name.lower().endswith(".json"))
    kind = SPECIFICATION_VERSIONS.get(getattr(loaded.root and loaded.root.get("specificationVersion"), "value", None))
    if kind is None:
        return analysis
    context = template_context(loaded.source, loaded.root, kind)
    return Analysis(analysis.version, loaded.source, FileResult(analysis.result.name, source=loaded.source,
                                                                context=context))


def _closing(line: str) -> str:
    """What closes the interpolation, the quoted string and the flow brackets open at the end of `line`.
    Quotes and brackets inside a plain scalar (`echo it's {{ x`) are text, as YAML reads them."""
    quote, brackets, plain = None, [], False
    index = 0
    while index < len(line):
        char = line[index]
        after = line[index + 1: index + 2]
        if quote is not None:
            if quote == '"' and char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            break
        elif plain and not (char == ":" and after in ("", " ") or brackets and char in ",]}"):
            pass
        elif char in "\"'":
            quote, plain = char, False
        elif char in "[{":
            brackets.append("]" if char == "[" else "}")
        elif char in "]}":
            plain = False
            if brackets:
                brackets.pop()
        elif char in ",:?-" and (after in ("", " ") or char == "," and brackets):
            plain = False
        elif char not in " \t":
            plain = True
        index += 1
    opening = line.rfind("{{")
    interpolation = "}}" if opening != -1 and "}}" not in line[opening:] else ""
    return interpolation + (quote or "") + "".join(reversed(brackets))


@dataclass
class EnvironmentTemplates:
    """The configured enclosing environments, reloaded when a file changes on disk."""

    paths: tuple = ()
    results: list = field(default_factory=list)  # FileResult of each file that could be read
    problems: list = field(default_factory=list)
    _stamps: dict = field(default_factory=dict)

    def refresh(self, paths: tuple) -> bool:
        """Load `paths` again if the list or any file changed; True when something was reloaded."""
        stamps = {path: _stamp(path) for path in paths}
        if paths == self.paths and stamps == self._stamps:
            return False
        self.paths, self._stamps = paths, stamps
        self.results, self.problems = [], []
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                self.problems.append(f"environment template {path}: {error.strerror or error}")
                continue
            result = lint_bytes(data, path, REGISTRY)
            if result.context is not None and result.context.kind != ENVIRONMENT:
                self.problems.append(f"{path} is a job template, not an environment template; ignored")
                continue
            self.results.append(result)
        return True

    @property
    def contexts(self) -> list:
        return [result.context for result in self.results if result.context is not None]

    def source_of(self, path: str) -> Optional[Source]:
        for result in self.results:
            if result.name == path:
                return result.source
        return None


def _stamp(path: str) -> Optional[tuple]:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size
