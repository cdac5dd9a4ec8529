"""The page's state fragment, rendered off the event loop and once per change.

Rendering reads every trigger's recent bodies and pretty-prints them: real
work, and more of it the more a sender posted. Done on the event loop, twenty
open pages would delay every webhook call behind them. So the fragment is
rendered in a worker thread, on a read connection of its own (a SQLite
connection is not shared between threads here), and kept with the ETag of the
state it shows: any number of pages polling an unchanged server cost one render.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from ldkit.report.encode import utf8_safe
from ldkit.serve import store
from ldkit.serve.page import render_fragment


def database_path(conn: sqlite3.Connection) -> Path:
    """The file behind a connection (its `main` database)."""
    return Path(conn.execute("PRAGMA database_list").fetchone()[2])


class LiveFragment:
    def __init__(self, db: Path) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._etag: str | None = None
        self._html = ""

    async def get(self, etag: str) -> str:
        if self._etag == etag:
            return self._html
        return await run_in_threadpool(self._render, etag)

    def _render(self, etag: str) -> str:
        with self._lock:
            if self._etag != etag:
                if self._conn is None:
                    self._conn = store.connect(self._db, read_only=True)
                # A body may hold lone surrogates: shown as their escapes.
                self._html = utf8_safe(render_fragment(self._conn))
                self._etag = etag
            return self._html

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
