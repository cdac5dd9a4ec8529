"""Drives `ldkit lsp` as an editor does: the installed console script in a
subprocess, a real LSP client (pytest-lsp's, on pygls) over JSON-RPC on its
stdio. Every wait is bounded, so a silent server fails a test instead of
hanging it."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


def ldkit_script() -> str:
    """The console script of the environment running the tests."""
    found = shutil.which("ldkit", path=str(Path(sys.executable).parent))
    assert found, "the ldkit console script is not installed in this environment"
    return found


@dataclass
class Published:
    """Every publishDiagnostics the client received, in order."""

    log: list[types.PublishDiagnosticsParams] = field(default_factory=list)

    def latest(self, uri: str) -> types.PublishDiagnosticsParams | None:
        return next((p for p in reversed(self.log) if p.uri == uri), None)


class Editor:
    """A client session with the helpers tests need."""

    def __init__(self, client: LanguageClient, root: Path, published: Published) -> None:
        self.client = client
        self.root = root
        self.published = published
        self.versions: dict[str, int] = {}

    def uri(self, relative: str) -> str:
        return (self.root / relative).as_uri()

    def open(self, relative: str, text: str | None = None, language: str = "json") -> str:
        uri = self.uri(relative)
        if text is None:
            text = (self.root / relative).read_bytes().decode("utf-8", errors="replace")
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=text
                )
            )
        )
        return uri

    def change(self, relative: str, text: str) -> int:
        """Replace the whole text of an open document (unsaved); its new version."""
        uri = self.uri(relative)
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    async def diagnostics(
        self, relative: str, version: int | None = None, *, after: int = 0
    ) -> list[types.Diagnostic]:
        """The diagnostics published for a document (at `version`, when given),
        waiting for a publication past log entry `after`."""
        uri = self.uri(relative)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            for params in self.published.log[after:]:
                if params.uri == uri and (version is None or params.version == version):
                    return list(params.diagnostics)
            await asyncio.sleep(0.01)
        raise AssertionError(f"no diagnostics for {relative} (version {version}) in time")

    def all_latest(self) -> dict[str, list[types.Diagnostic]]:
        """The latest diagnostics of every file the server published for."""
        latest: dict[str, list[types.Diagnostic]] = {}
        for params in self.published.log:
            latest[params.uri] = list(params.diagnostics)
        return {uri: found for uri, found in latest.items() if found}


@asynccontextmanager
async def editor(
    root: Path, *, capabilities: str = "visual-studio-code", command: list[str] | None = None
) -> AsyncIterator[Editor]:
    """A session with `ldkit lsp`, its workspace folder `root`."""
    client = LanguageClient(converter_factory=default_converter)
    published = Published()

    def on_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        published.log.append(params)
        client.diagnostics[params.uri] = params.diagnostics

    # pytest-lsp's client, with a publishDiagnostics handler that keeps every
    # publication (its own keeps only the latest per file).
    register_lsp_features(
        client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: on_publish}
    )

    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    await client.start_io(*(command or [ldkit_script(), "lsp"]), env=env)
    try:
        await asyncio.wait_for(
            client.initialize_session(
                types.InitializeParams(
                    capabilities=client_capabilities(capabilities),
                    root_uri=root.as_uri(),
                    workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                )
            ),
            WAIT_SECONDS,
        )
        yield Editor(client, root, published)
    finally:
        await asyncio.wait_for(client.shutdown_session(), WAIT_SECONDS)
        await client.stop()
