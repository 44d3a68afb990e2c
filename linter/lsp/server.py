"""The language server: diagnostics as you type, fixes and suppressions as code actions, hover and
completion inside expressions. Every handler answers even when the document, or the linter, is
broken: the failure is logged to the client and the request gets an empty answer. Documents are
analysed on a background thread (`Worker`), so a slow analysis never holds up `shutdown`, another
request or the next change; a request waits for the current text's analysis at most `ANSWER_WITHIN`."""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
from pathlib import Path
from typing import Any, Callable, Optional

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from openjd_lint import __version__
from openjd_lint.config import Config, ConfigError
from openjd_lint.lsp.code_actions import code_actions
from openjd_lint.lsp import bundle_values
from openjd_lint.lsp.completion import completion
from openjd_lint.lsp.conversions import to_lsp_diagnostic
from openjd_lint.lsp.documents import Analysis, EnvironmentTemplates, analyse, half_typed
from openjd_lint.lsp.hover import definition, hover
from openjd_lint.lsp.positions import UTF16, lsp_to_offset
from openjd_lint.lsp.settings import CONFIG_SECTION, Settings, load_settings
from openjd_lint.lsp.worker import Worker
from openjd_lint.rules import REGISTRY
from openjd_lint.config import config_finder

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.2
ANSWER_WITHIN = 2.0  # seconds a request waits for the analysis of the text it is about; then an empty answer


# The editor shows informational findings too, as hints (the command line shows them only when asked).
EDITOR_SETTINGS = (("include_info", True),)


class OpenJDLanguageServer(LanguageServer):
    def __init__(self, debounce: float = DEBOUNCE_SECONDS):
        super().__init__("openjd-lint", __version__)
        self.debounce = debounce
        self.settings = Settings()
        self.environments = EnvironmentTemplates()
        self._initialization_options: Any = None
        self._analyses: dict = {}  # uri -> Analysis of the latest version linted
        self._running: dict = {}  # uri -> (version, asyncio.Future) of the analysis submitted last
        self._pending: dict = {}  # uri -> asyncio.TimerHandle of a debounced lint
        self._worker = Worker()
        self._finder = config_finder(REGISTRY, command_line=EDITOR_SETTINGS)
        self._broken_configs: set = set()

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding or UTF16
        return getattr(encoding, "value", encoding)  # PositionEncodingKind is an enum of the names

    # Settings and enclosing environments.

    def configure(self, options: Any) -> None:
        """Read the settings again, and lint every open document anew when they changed."""
        root = self.workspace.root_path
        settings = load_settings(Path(root) if root else None, options)
        for problem in settings.problems:
            self.log(problem, lsp.MessageType.Warning)
        reloaded = self.environments.refresh(settings.environments)
        if reloaded:
            for problem in self.environments.problems:
                self.log(problem, lsp.MessageType.Warning)
        self._finder = config_finder(REGISTRY, command_line=EDITOR_SETTINGS)  # configuration files are re-read on demand
        self._broken_configs.clear()
        if reloaded or settings != self.settings:
            self.settings = settings
            self._analyses.clear()
            for document_uri in list(self.workspace.text_documents):
                self.lint_now(document_uri)

    def config_for(self, name: str) -> Config:
        """The file's configuration as the command line finds it; a broken configuration file is
        reported once and linting goes on with the defaults."""
        try:
            return self._finder.for_file(name)
        except ConfigError as error:
            if str(error) not in self._broken_configs:
                self._broken_configs.add(str(error))
                self.log(f"openjd-lint configuration ignored: {error}", lsp.MessageType.Warning)
            return Config(**dict(EDITOR_SETTINGS))

    # Linting.

    async def analysis(self, uri: str) -> Optional[Analysis]:
        """The analysis of the document's current text, waiting for it at most `ANSWER_WITHIN`; None
        for a document the client has not opened, or one still being analysed."""
        if uri not in self.workspace.text_documents:
            return None
        cached = self._analyses.get(uri)
        if cached is not None and cached.version == self.workspace.get_text_document(uri).version:
            return cached
        try:
            return await asyncio.wait_for(asyncio.shield(self._submit(uri)), ANSWER_WITHIN)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            return None

    def _submit(self, uri: str, fresh: bool = False) -> asyncio.Future:
        """The analysis of the document's current text, submitted unless it already is; once done it is
        kept and published. An analysis a newer text has superseded before its turn is skipped."""
        document = self.workspace.get_text_document(uri)
        version = document.version
        running = self._running.get(uri)
        if running is not None and running[0] == version and not fresh:
            return running[1]
        name = to_fs_path(uri) or uri
        config, enclosing = self.config_for(name), tuple(self.environments.contexts)
        future = asyncio.wrap_future(self._worker.submit(
            lambda: analyse(document.source, name, version, config, enclosing=enclosing),
            wanted=lambda: self._running.get(uri, (None, None))[1] is future))
        self._running[uri] = (version, future)
        future.add_done_callback(lambda done: self._finished(uri, done))
        return future

    def _finished(self, uri: str, future: asyncio.Future) -> None:
        if self._running.get(uri, (None, None))[1] is future:
            del self._running[uri]
        if future.cancelled() or uri not in self.workspace.text_documents:
            return
        if future.exception() is not None:  # a linter bug must not take the editor's server down
            error = future.exception()
            trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            self.log(f"openjd-lint failed on {uri}:\n{trace}", lsp.MessageType.Error)
            return
        analysis = future.result()
        cached = self._analyses.get(uri)
        if cached is None or cached.version is None or analysis.version is None or cached.version <= analysis.version:
            self._analyses[uri] = analysis
            self.publish(uri, analysis)

    def lint_now(self, uri: str, fresh: bool = False) -> None:
        """Analyse and publish; `fresh` analyses again even an unchanged text (its configuration may have changed)."""
        self._cancel_pending(uri)
        if fresh:
            self._analyses.pop(uri, None)
        if uri in self.workspace.text_documents:
            self._submit(uri, fresh)

    def lint_later(self, uri: str) -> None:
        """Debounce: each change restarts the timer, and the lint reads the text current when it fires."""
        self._cancel_pending(uri)
        self._pending[uri] = asyncio.get_running_loop().call_later(self.debounce, self._fire, uri)

    def _fire(self, uri: str) -> None:
        self._pending.pop(uri, None)
        if uri in self.workspace.text_documents:
            self.lint_now(uri)

    def _cancel_pending(self, uri: str) -> None:
        handle = self._pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def forget(self, uri: str) -> None:
        self._cancel_pending(uri)
        self._analyses.pop(uri, None)
        self._running.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def publish(self, uri: str, analysis: Analysis) -> None:
        diagnostics = [self.convert(uri, analysis, d) for d in analysis.diagnostics]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=analysis.version))

    def convert(self, uri: str, analysis: Analysis, diagnostic) -> lsp.Diagnostic:
        own_name = analysis.result.name

        def uri_of(name: str) -> str:
            return uri if name == own_name else (from_fs_path(name) or name)

        return to_lsp_diagnostic(diagnostic, analysis.source, docs_url=self.settings.rule_documentation_url,
                                 uri_of=uri_of, source_of=self.environments.source_of, encoding=self.encoding)

    def offset(self, analysis: Analysis, position: lsp.Position) -> int:
        return lsp_to_offset(analysis.source, position.line, position.character, self.encoding)

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        log.log(logging.ERROR if kind == lsp.MessageType.Error else logging.INFO, message)
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))


def answering(default: Any = None) -> Callable:
    """Run a handler so that any exception is logged and the request still gets `default`."""

    def decorate(handler: Callable) -> Callable:
        def failed(server: OpenJDLanguageServer) -> Any:
            server.log(f"{handler.__name__} failed:\n{traceback.format_exc()}", lsp.MessageType.Error)
            return default() if callable(default) else default

        if asyncio.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def guarded_async(server: OpenJDLanguageServer, params):
                try:
                    return await handler(server, params)
                except Exception:
                    return failed(server)

            return guarded_async

        @functools.wraps(handler)
        def guarded(server: OpenJDLanguageServer, params):
            try:
                return handler(server, params)
            except Exception:
                return failed(server)

        return guarded

    return decorate


def build_server(debounce: float = DEBOUNCE_SECONDS) -> OpenJDLanguageServer:
    server = OpenJDLanguageServer(debounce)

    @server.feature(lsp.INITIALIZE)
    @answering()
    def initialize(ls: OpenJDLanguageServer, params: lsp.InitializeParams):
        ls._initialization_options = params.initialization_options

    @server.feature(lsp.INITIALIZED)
    @answering()
    def initialized(ls: OpenJDLanguageServer, params: lsp.InitializedParams):
        ls.configure(ls._initialization_options)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @answering()
    def did_change_configuration(ls: OpenJDLanguageServer, params: lsp.DidChangeConfigurationParams):
        settings = params.settings
        has_section = isinstance(settings, dict) and CONFIG_SECTION in settings
        ls.configure(settings if has_section else ls._initialization_options)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @answering()
    def did_open(ls: OpenJDLanguageServer, params: lsp.DidOpenTextDocumentParams):
        ls.lint_now(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @answering()
    def did_change(ls: OpenJDLanguageServer, params: lsp.DidChangeTextDocumentParams):
        ls.lint_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @answering()
    def did_save(ls: OpenJDLanguageServer, params: lsp.DidSaveTextDocumentParams):
        ls.configure(ls._initialization_options)  # a configuration file or an environment template may have changed
        ls.lint_now(params.text_document.uri, fresh=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @answering()
    def did_close(ls: OpenJDLanguageServer, params: lsp.DidCloseTextDocumentParams):
        ls.forget(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @answering()
    async def on_hover(ls: OpenJDLanguageServer, params: lsp.HoverParams):
        analysis = await ls.analysis(params.text_document.uri)
        if analysis is None:
            return None
        offset = ls.offset(analysis, params.position)
        if analysis.values_root is not None:
            return bundle_values.hover(analysis, offset, ls.encoding)
        return hover(half_typed(analysis, offset), offset, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @answering()
    async def on_definition(ls: OpenJDLanguageServer, params: lsp.DefinitionParams):
        analysis = await ls.analysis(params.text_document.uri)
        if analysis is None:
            return None
        target = definition(analysis, ls.offset(analysis, params.position), ls.encoding)
        return lsp.Location(params.text_document.uri, target) if target is not None else None

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["{", "."]))
    @answering()
    async def on_completion(ls: OpenJDLanguageServer, params: lsp.CompletionParams):
        analysis = await ls.analysis(params.text_document.uri)
        if analysis is None:
            return None
        offset = ls.offset(analysis, params.position)
        if analysis.bundle is not None:
            return bundle_values.completion(analysis, offset, ls.encoding) if analysis.is_values_file else None
        return completion(half_typed(analysis, offset), offset, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    @answering(list)
    async def on_code_action(ls: OpenJDLanguageServer, params: lsp.CodeActionParams):
        uri = params.text_document.uri
        analysis = await ls.analysis(uri)
        if analysis is None:
            return []
        start = ls.offset(analysis, params.range.start)
        end = ls.offset(analysis, params.range.end)
        return code_actions(analysis, uri, start, end, ls.encoding,
                            lambda diagnostic: ls.convert(uri, analysis, diagnostic))

    return server
