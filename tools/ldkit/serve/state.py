"""What the request handlers share while the server runs: the catalog of
integrations, the writer, a read connection, the token and the public URL.
One object, made by `ldkit.serve.server` and handed to the app."""

from __future__ import annotations

import sqlite3
import sys
import time
from dataclasses import dataclass

from ldkit.report.encode import printable, utf8_safe
from ldkit.serve.catalog import IntegrationCatalog
from ldkit.serve.writer import GroupCommitWriter


def now_millis() -> int:
    return int(time.time() * 1000)


@dataclass
class Changes:
    """Counts commits (the writer calls `committed` after each), so the page
    can tell "nothing changed" without reading the database."""

    boot_id: str
    generation: int = 0

    def committed(self) -> None:
        self.generation += 1

    @property
    def etag(self) -> str:
        return f'"{self.boot_id}-{self.generation}"'


@dataclass
class ServerState:
    catalog: IntegrationCatalog
    writer: GroupCommitWriter
    reader: sqlite3.Connection
    token: str
    url_base: str
    changes: Changes
    quiet: bool = False

    def log(self, line: str) -> None:
        """One line on stderr. Callers never pass a secret: webhook paths are
        logged with the id only."""
        if not self.quiet:
            sys.stderr.write(utf8_safe(printable(f"ldkit serve: {line}")) + "\n")
            sys.stderr.flush()
