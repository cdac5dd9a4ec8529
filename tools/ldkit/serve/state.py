"""What the request handlers share while the server runs: the catalog of
integrations, the writer, a read connection, the token and the public URL.
One object, made by `ldkit.serve.server` and handed to the app."""

from __future__ import annotations

import sqlite3
import sys
import time
from dataclasses import dataclass, field

from ldkit.serve.catalog import IntegrationCatalog
from ldkit.serve.writer import GroupCommitWriter


def now_millis() -> int:
    return int(time.time() * 1000)


@dataclass
class ServerState:
    catalog: IntegrationCatalog
    writer: GroupCommitWriter
    reader: sqlite3.Connection
    token: str
    url_base: str
    boot_id: str
    quiet: bool = False
    generation: int = field(default=0)

    def committed(self) -> None:
        """Called by the writer after each commit: the page's ETag moves on."""
        self.generation += 1

    @property
    def etag(self) -> str:
        return f'"{self.boot_id}-{self.generation}"'

    def log(self, line: str) -> None:
        """One line on stderr. Callers never pass a secret: webhook paths are
        logged with the id only."""
        if not self.quiet:
            sys.stderr.write(f"ldkit serve: {line}\n")
            sys.stderr.flush()
