"""The language server: documents in, diagnostics out, and the requests editors ask.

Edits are debounced per unit of work (an integration folder, or a lone JSON
file): each edit restarts a short timer, and only when it runs out does the
check run, in one worker thread, on a snapshot of the unsaved documents. When
the check ends, its result is published only if no edit of that unit arrived
meanwhile; otherwise it is dropped and the newer run publishes. A burst of edits
therefore publishes once, for the latest version.

For every unit the server remembers which files it published diagnostics for,
and publishes an empty list for a file whose findings went away (a case that
depended on a fixed payload, say).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from ldkit import __version__
from ldkit.core.findings import Finding
from ldkit.lsp import positions
from ldkit.lsp.diagnose import SETTINGS_FILES, Checker, Outcome, display, unit_of

#: How long after the last edit the check starts, in seconds: long enough to
#: merge the keystrokes of a word, short enough to feel immediate.
DEBOUNCE_SECONDS = 0.03
SOURCE = "ldkit"


class LdkitServer(LanguageServer):
    """pygls's server, plus what ldkit keeps between requests."""

    def __init__(self, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__("ldkit", __version__)
        self.debounce = debounce
        self.checker = Checker()
        #: One thread runs every check, so the checker is never used concurrently.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ldkit-check")
        self.pending: dict[Path, asyncio.Task[None]] = {}
        self.dirty: dict[Path, set[Path] | None] = {}
        self.edits: dict[Path, int] = {}
        #: Every unit checked so far (kept on the event loop's thread; the
        #: checker's own records belong to the worker thread).
        self.units: set[Path] = set()
        self.published: dict[Path, set[Path]] = {}
        #: The diagnostics last published for each file, for hover and code actions.
        self.diagnostics: dict[Path, list[types.Diagnostic]] = {}
        #: Documents edited since they were opened or saved: their text differs from the disk.
        self.modified: set[str] = set()

    @property
    def encoding(self) -> str:
        encoding = self.server_capabilities.position_encoding
        return str(encoding.value if hasattr(encoding, "value") else encoding or "utf-16")

    # -- the documents -------------------------------------------------------

    def unsaved(self) -> dict[str, bytes]:
        """The edited documents' text, by path, to read instead of the disk."""
        texts: dict[str, bytes] = {}
        for uri in self.modified:
            path = to_fs_path(uri)
            document = self.workspace.text_documents.get(uri)
            if path and document is not None:
                texts[path] = document.source.encode("utf-8", errors="surrogatepass")
        return texts

    def same_as_disk(self, uri: str, text: str) -> bool:
        """True when an opened document holds what its file holds. Editors drop a
        byte order mark from the text they show, so the disk's is not a difference
        (and LD003 still reports it, from the disk)."""
        from ldkit.fs import USER_NAMED, FileRefused, read_bytes

        path = to_fs_path(uri)
        if not path:
            return False
        try:
            data = read_bytes(path, root=USER_NAMED)
        except FileRefused:
            return False
        return data.decode("utf-8", errors="replace").removeprefix("\ufeff") == text

    def text_of(self, path: Path) -> str | None:
        """An open document's text, else the file's, else None."""
        uri = from_fs_path(str(path))
        document = self.workspace.text_documents.get(uri) if uri else None
        if document is not None:
            return document.source
        from ldkit.fs import USER_NAMED, FileRefused, read_text

        try:
            return read_text(path, root=USER_NAMED)
        except FileRefused:
            return None

    # -- scheduling ----------------------------------------------------------

    def changed(self, uri: str, *, everything: bool = False) -> None:
        """A document changed: schedule a check of whatever it can change."""
        path_text = to_fs_path(uri)
        if not path_text:
            return
        path = Path(os.path.abspath(path_text))
        if path.name in SETTINGS_FILES:
            for unit in sorted(self.units):
                self._schedule(unit, path, everything=False)
            return
        unit = unit_of(path)
        if unit is not None:
            self._schedule(unit, path, everything=everything)

    def _schedule(self, unit: Path, path: Path, *, everything: bool) -> None:
        self.edits[unit] = self.edits.get(unit, 0) + 1
        first = unit not in self.units
        self.units.add(unit)
        if everything or first:
            self.dirty[unit] = None
        elif self.dirty.get(unit, set()) is not None:
            self.dirty.setdefault(unit, set()).add(path)  # type: ignore[union-attr]
        waiting = self.pending.get(unit)
        if waiting is not None and not waiting.done():
            waiting.cancel()
        self.pending[unit] = asyncio.ensure_future(self._check_later(unit))

    async def _check_later(self, unit: Path) -> None:
        await asyncio.sleep(self.debounce)
        changed = self.dirty.pop(unit, None) if unit in self.dirty else set()
        edits = self.edits.get(unit, 0)
        unsaved = self.unsaved()
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(
                self.worker, self.checker.run, unit, changed, unsaved
            )
        except asyncio.CancelledError:
            self._requeue(unit, changed)
            raise
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the server
            self._requeue(unit, changed)
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error,
                    message=f"ldkit: checking {display(unit)} failed: {type(exc).__name__}: {exc}",
                )
            )
            return
        if self.edits.get(unit, 0) != edits:
            self._requeue(unit, changed)
            return  # an edit arrived meanwhile: its own run publishes
        self.publish(unit, outcome)

    def _requeue(self, unit: Path, changed: set[Path] | None) -> None:
        """Put back what a dropped run was to check, for the next run."""
        if changed is None:
            self.dirty[unit] = None
        elif self.dirty.get(unit, set()) is not None:
            self.dirty.setdefault(unit, set()).update(changed)  # type: ignore[union-attr]

    # -- publishing ----------------------------------------------------------

    def publish(self, unit: Path, outcome: Outcome) -> None:
        by_path: dict[Path, list[types.Diagnostic]] = {}
        for path, findings in outcome.findings.items():
            text = outcome.texts.get(path)
            if text is None:
                text = self.text_of(path) or ""
            by_path[path] = [self.diagnostic(finding, text) for finding in findings]
        for problem in outcome.problems:
            by_path.setdefault(problem.path, []).insert(
                0,
                types.Diagnostic(
                    range=types.Range(
                        start=types.Position(line=0, character=0),
                        end=types.Position(line=0, character=0),
                    ),
                    message=problem.message,
                    severity=types.DiagnosticSeverity.Error,
                    source=SOURCE,
                ),
            )
        # Open documents of the unit always hear the answer, findings or none,
        # and last: a client that sees its document's diagnostics has the run's.
        opened = {path for path in self._open_paths() if unit_of(path) == unit}
        for path in opened:
            by_path.setdefault(path, [])
        before = self.published.get(unit, set())
        for path in sorted(before - set(by_path)):
            self.diagnostics.pop(path, None)
            self._send(path, [])
        for path, diagnostics in sorted(
            by_path.items(), key=lambda item: (item[0] in opened, item[0])
        ):
            self.diagnostics[path] = diagnostics
            self._send(path, diagnostics)
        self.published[unit] = {path for path, found in by_path.items() if found}

    def _open_paths(self) -> set[Path]:
        paths: set[Path] = set()
        for uri in list(self.workspace.text_documents):
            path = to_fs_path(uri)
            if path:
                paths.add(Path(os.path.abspath(path)))
        return paths

    def diagnostics_at(self, path: Path, position: types.Position) -> list[types.Diagnostic]:
        """The published diagnostics of `path` whose range holds `position`."""
        return [
            diagnostic
            for diagnostic in self.diagnostics.get(Path(os.path.abspath(path)), [])
            if _holds(diagnostic.range, position)
        ]

    def _send(self, path: Path, diagnostics: list[types.Diagnostic]) -> None:
        uri = from_fs_path(str(path))
        if not uri:
            return
        document = self.workspace.text_documents.get(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                diagnostics=diagnostics,
                version=document.version if document is not None else None,
            )
        )

    def diagnostic(self, finding: Finding, text: str) -> types.Diagnostic:
        from ldkit.catalogue import get_rule
        from ldkit.core.findings import Severity
        from ldkit.lsp.explain import docs_link

        rule = get_rule(finding.rule)
        return types.Diagnostic(
            range=positions.finding_range(text, finding.line, finding.column, self.encoding),
            message=finding.message,
            severity=types.DiagnosticSeverity.Error
            if finding.severity is Severity.ERROR
            else types.DiagnosticSeverity.Warning,
            code=finding.rule,
            code_description=types.CodeDescription(href=docs_link(rule)) if rule else None,
            source=SOURCE,
            data={"pointer": finding.pointer},
        )


def _holds(area: types.Range, position: types.Position) -> bool:
    start, end = area.start, area.end
    after_start = (position.line, position.character) >= (start.line, start.character)
    before_end = (position.line, position.character) <= (end.line, end.character)
    return after_start and before_end


def build(debounce: float = DEBOUNCE_SECONDS) -> LdkitServer:
    """A server with every feature registered."""
    server = LdkitServer(debounce)
    for register in FEATURES:
        register(server)
    return server


def _documents(server: LdkitServer) -> None:
    @server.feature(types.INITIALIZED)
    def initialized(ls: LdkitServer, params: types.InitializedParams) -> None:
        root = ls.workspace.root_path
        if not root:
            folders = list(ls.workspace.folders.values())
            root = to_fs_path(folders[0].uri) if folders else None
        if root and os.path.isdir(root):
            # Paths in findings are relative to the working directory, as when
            # `ldkit validate` runs in the workspace's root.
            os.chdir(root)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LdkitServer, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        if not ls.same_as_disk(document.uri, document.text):
            ls.modified.add(document.uri)
        ls.changed(document.uri, everything=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LdkitServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.modified.add(params.text_document.uri)
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LdkitServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.modified.discard(params.text_document.uri)
        ls.changed(params.text_document.uri, everything=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LdkitServer, params: types.DidCloseTextDocumentParams) -> None:
        # The disk's text counts again: check what it changes.
        if params.text_document.uri in ls.modified:
            ls.modified.discard(params.text_document.uri)
            ls.changed(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: LdkitServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            ls.changed(change.uri, everything=True)


def _formatting(server: LdkitServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: LdkitServer, params: types.DocumentFormattingParams
    ) -> list[types.TextEdit] | None:
        from ldkit.lsp.fixes import formatted_edits

        uri = params.text_document.uri
        path = to_fs_path(uri)
        if not path:
            return None
        document = ls.workspace.get_text_document(uri)
        return formatted_edits(Path(path), document.source, ls.encoding)


def _hover(server: LdkitServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LdkitServer, params: types.HoverParams) -> types.Hover | None:
        from ldkit.lsp.explain import context_markdown, rule_markdown

        uri = params.text_document.uri
        path = to_fs_path(uri)
        if not path:
            return None
        document = ls.workspace.get_text_document(uri)
        parts: list[str] = []
        for diagnostic in ls.diagnostics_at(Path(path), params.position):
            text = rule_markdown(str(diagnostic.code)) if diagnostic.code else None
            if text is not None and text not in parts:
                parts.append(text)
        offset = positions.offset_at(document.source, params.position, ls.encoding)
        about = context_markdown(Path(path), document.source, offset)
        if about is not None:
            parts.append(about)
        if not parts:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
            )
        )


def _completion(server: LdkitServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=['"', "/", "{", "."]),
    )
    def completion(ls: LdkitServer, params: types.CompletionParams) -> types.CompletionList:
        from ldkit.lsp.complete import completions

        path = to_fs_path(params.text_document.uri)
        items: list[types.CompletionItem] = []
        if path:
            document = ls.workspace.get_text_document(params.text_document.uri)
            offset = positions.offset_at(document.source, params.position, ls.encoding)
            items = completions(Path(path), document.source, offset, ls.encoding)
        return types.CompletionList(is_incomplete=False, items=items)


def _code_actions(server: LdkitServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: LdkitServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        from ldkit.lsp.fixes import code_actions

        uri = params.text_document.uri
        path = to_fs_path(uri)
        if not path:
            return []
        document = ls.workspace.get_text_document(uri)
        # The server's own diagnostics at the range (the client's copy may lack `data`).
        at = ls.diagnostics_at(Path(path), params.range.start)
        if params.range.end != params.range.start:
            at += [d for d in ls.diagnostics_at(Path(path), params.range.end) if d not in at]
        return code_actions(Path(path), document.source, at, uri, ls.encoding)


def _definition(server: LdkitServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LdkitServer, params: types.DefinitionParams) -> types.Location | None:
        from ldkit.lsp.definition import definition as find

        path = to_fs_path(params.text_document.uri)
        if not path:
            return None
        document = ls.workspace.get_text_document(params.text_document.uri)
        offset = positions.offset_at(document.source, params.position, ls.encoding)
        return find(Path(path), document.source, offset)


FEATURES: tuple[Callable[[LdkitServer], None], ...] = (
    _documents,
    _formatting,
    _hover,
    _completion,
    _code_actions,
    _definition,
)


def serve() -> None:
    """Speak LSP over stdin and stdout until the client says exit."""
    build().start_io()
