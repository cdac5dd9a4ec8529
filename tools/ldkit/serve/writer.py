"""Group commit: the one thread that writes to the database.

Every change (a webhook call, a trigger created, a flag turned on) is a job.
The writer takes whatever jobs are waiting, runs each inside its own savepoint
of one transaction, commits once, and only then resolves the jobs' futures:
an HTTP answer sent after the future resolves means the change is on disk.
One fsync serves every call that arrived while the previous one ran, so
`synchronous=FULL` stays fast under load; a job that raises is rolled back to
its savepoint alone and its caller gets the exception.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

MAX_BATCH = 256

Job = Callable[[sqlite3.Connection], Any]


@dataclass
class _Pending:
    job: Job
    future: Future = field(default_factory=Future)


class _Stop:
    """Queued by `close`: everything submitted before it is still written."""


class GroupCommitWriter:
    def __init__(self, conn: sqlite3.Connection, on_commit: Callable[[], None] | None = None):
        self._conn = conn
        self._queue: queue.SimpleQueue[_Pending | _Stop] = queue.SimpleQueue()
        self._on_commit = on_commit
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="ldkit-serve-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> Future:
        """The job's result (or exception) once its transaction is committed."""
        if self._closed:
            raise RuntimeError("the writer is closed")
        pending = _Pending(job)
        self._queue.put(pending)
        return pending.future

    def close(self) -> None:
        """Writes everything already submitted, then stops the thread."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_Stop())
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if isinstance(first, _Stop):
                break
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(item, _Stop):
                    stopping = True
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list[_Pending]) -> None:
        conn = self._conn
        outcomes: list[tuple[_Pending, Any, BaseException | None]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for pending in batch:
                conn.execute("SAVEPOINT job")
                try:
                    result = pending.job(conn)
                except Exception as exc:  # noqa: BLE001 - handed to the caller
                    conn.execute("ROLLBACK TO job")
                    conn.execute("RELEASE job")
                    outcomes.append((pending, None, exc))
                else:
                    conn.execute("RELEASE job")
                    outcomes.append((pending, result, None))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(exc)
            return
        for pending, result, error in outcomes:
            if error is None:
                pending.future.set_result(result)
            else:
                pending.future.set_exception(error)
        if self._on_commit is not None:
            self._on_commit()
