"""The server's state in one SQLite database (WAL): flags per project and
environment, triggers, their counts and last ten bodies, the change history.

Reads and writes are plain functions over a connection. Writes run inside the
group-commit writer's transaction (`ldkit.serve.writer`), so a function here
never begins or commits. Opening checks the file before the server listens:
a database another process holds, or one that is not a database or fails
SQLite's quick check, is a `StoreError` (the command exits 2).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ldkit.report.encode import utf8_safe
from ldkit.trigger.core import RECENT_BODIES_KEPT

SCHEMA_VERSION = 2
# What each older schema version lacks, added in place when a database written
# by an earlier ldkit is opened (columns only: nothing is rewritten).
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE flags ADD COLUMN created INTEGER NOT NULL DEFAULT 0",
        "UPDATE flags SET created = last_modified",
        "ALTER TABLE recent_bodies ADD COLUMN outcome TEXT",
        "ALTER TABLE recent_bodies ADD COLUMN flag_on INTEGER",
    ),
}
BUSY_TIMEOUT_MS = 1000

# synchronous=FULL: in WAL mode every commit is fsynced, so an acknowledged
# call survives a power cut as well as `kill -9`. The group-commit writer
# shares one fsync among all the calls waiting at that moment, which is what
# keeps FULL affordable (see docs/commands/serve.md, "Durability").
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flags (
    project TEXT NOT NULL, flag TEXT NOT NULL, environment TEXT NOT NULL,
    is_on INTEGER NOT NULL, version INTEGER NOT NULL, last_modified INTEGER NOT NULL,
    created INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project, flag, environment)
);
CREATE TABLE IF NOT EXISTS triggers (
    id TEXT PRIMARY KEY, project TEXT NOT NULL, flag TEXT NOT NULL,
    environment TEXT NOT NULL, integration_key TEXT NOT NULL, action TEXT NOT NULL,
    secret_hash BLOB NOT NULL, enabled INTEGER NOT NULL, version INTEGER NOT NULL,
    created INTEGER NOT NULL, trigger_count INTEGER NOT NULL DEFAULT 0,
    last_triggered INTEGER
);
CREATE TABLE IF NOT EXISTS recent_bodies (
    seq INTEGER PRIMARY KEY,
    trigger_id TEXT NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
    timestamp INTEGER NOT NULL, json_body TEXT NOT NULL, headers TEXT NOT NULL,
    outcome TEXT, flag_on INTEGER
);
CREATE INDEX IF NOT EXISTS recent_by_trigger ON recent_bodies (trigger_id, seq);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, date INTEGER NOT NULL,
    project TEXT NOT NULL, flag TEXT NOT NULL, environment TEXT NOT NULL,
    action TEXT NOT NULL, title_verb TEXT NOT NULL, title TEXT NOT NULL,
    description TEXT NOT NULL, short_description TEXT NOT NULL, actor TEXT NOT NULL,
    trigger_id TEXT, trigger_body TEXT NOT NULL
);
"""


class StoreError(Exception):
    """The database cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class FlagState:
    project: str
    flag: str
    environment: str
    on: bool
    version: int
    last_modified: int
    created: int


@dataclass(frozen=True)
class TriggerRow:
    id: str
    project: str
    flag: str
    environment: str
    integration_key: str
    action: str
    secret_hash: bytes
    enabled: bool
    version: int
    created: int
    trigger_count: int
    last_triggered: int | None


@dataclass(frozen=True)
class RecentBody:
    """One kept call. `outcome` and `flag_on` (the flag's state after the
    call) are what the trigger core decided when the call arrived; None for
    calls recorded by an ldkit that did not keep them."""

    timestamp: int
    json_body: object
    headers: list[list[str]]
    outcome: str | None = None
    flag_on: bool | None = None


@dataclass(frozen=True)
class AuditRow:
    seq: int
    id: str
    date: int
    project: str
    flag: str
    environment: str
    action: str
    title_verb: str
    title: str
    description: str
    short_description: str
    actor: dict[str, object]
    trigger_id: str | None
    trigger_body: object


def dump_json(value: object) -> str:
    """Compact JSON for a column. A body may hold lone surrogates (valid JSON
    escapes that UTF-8 cannot encode); those are kept as escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text


# --- opening -------------------------------------------------------------------


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) usable from
    the thread that owns it; `read_only` ones serve the API and the page."""
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    conn = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    for pragma in _PRAGMAS[2:] if read_only else _PRAGMAS:
        conn.execute(pragma)
    return conn


def _explain(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        why = "is locked by another process (another `ldkit serve`, or an open sqlite3 session)"
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        why = f"is not a usable SQLite database ({text}); move it away or pass another --db"
    else:
        why = f"cannot be opened ({text})"
    return StoreError(f"{path}: {why}")


def _refuse_foreign(path: Path) -> None:
    """A database that exists but is not ours is refused before anything (the
    WAL pragma included) changes it."""
    try:
        if path.stat().st_size == 0:
            return
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot be opened ({exc.strerror or exc})") from None
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error as exc:
        raise _explain(path, exc) from None
    try:
        tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as exc:
        raise _explain(path, exc) from None
    finally:
        probe.close()
    if tables and "meta" not in tables:
        raise StoreError(
            f"{path}: a SQLite database of something else, not of ldkit serve; "
            "it is left untouched: pass another --db"
        )


def open_store(path: Path) -> sqlite3.Connection:
    """The writer's connection, after checking and migrating the database.
    Raises StoreError with a one-line reason."""
    from ldkit.fs import USER_NAMED, WriteRefused, make_folders

    try:
        make_folders(path.parent, root=USER_NAMED)
    except WriteRefused as refused:
        raise StoreError(f"{path.parent}: cannot create folder: {refused.detail}") from None
    _refuse_foreign(path)
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path)
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            problems = "; ".join(str(row[0]) for row in check[:3])
            raise StoreError(f"{path}: the database is corrupt ({problems}); move it away")
        conn.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif row[0].isdigit() and int(row[0]) in _MIGRATIONS:
            for version in range(int(row[0]), SCHEMA_VERSION):
                for statement in _MIGRATIONS[version]:
                    conn.execute(statement)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
        elif row[0] != str(SCHEMA_VERSION):
            raise StoreError(
                f"{path}: written by another ldkit version (schema {row[0]}, this one reads "
                f"{SCHEMA_VERSION}); pass another --db"
            )
        conn.execute("COMMIT")
    except StoreError:
        if conn is not None:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()
        raise
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise _explain(path, exc) from None
    return conn


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Holds `<db>.lock` for the server's lifetime so that a second server on
    the same database stops with a clear error instead of competing for it."""
    from ldkit.fs import USER_NAMED, WriteRefused, make_folders

    lock_path = Path(f"{path}.lock")
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own locking is all there is
        yield
        return
    try:
        make_folders(lock_path.parent, root=USER_NAMED)
        handle = open(lock_path, "a+")  # noqa: SIM115 - held until the server stops
    except WriteRefused as refused:
        raise StoreError(f"{lock_path}: cannot open: {refused.detail}") from None
    except OSError as exc:
        raise StoreError(f"{lock_path}: cannot open: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(
                f"{path}: is locked by another process (another `ldkit serve` uses it)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


# --- reads ---------------------------------------------------------------------

_TRIGGER_COLUMNS = (
    "id, project, flag, environment, integration_key, action, secret_hash, enabled, "
    "version, created, trigger_count, last_triggered"
)


def _trigger(row: tuple) -> TriggerRow:
    return TriggerRow(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        bytes(row[6]),
        bool(row[7]),
        row[8],
        row[9],
        row[10],
        row[11],
    )


def get_trigger(conn: sqlite3.Connection, trigger_id: str) -> TriggerRow | None:
    row = conn.execute(
        f"SELECT {_TRIGGER_COLUMNS} FROM triggers WHERE id = ?", (trigger_id,)
    ).fetchone()
    return None if row is None else _trigger(row)


def list_triggers(
    conn: sqlite3.Connection,
    project: str | None = None,
    flag: str | None = None,
    environment: str | None = None,
) -> list[TriggerRow]:
    clauses, params = [], []
    for column, value in (("project", project), ("flag", flag), ("environment", environment)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        f"SELECT {_TRIGGER_COLUMNS} FROM triggers {where} ORDER BY created, id", params
    ).fetchall()
    return [_trigger(row) for row in rows]


def recent_bodies(conn: sqlite3.Connection, trigger_id: str) -> list[RecentBody]:
    """Newest first, at most RECENT_BODIES_KEPT."""
    rows = conn.execute(
        "SELECT timestamp, json_body, headers, outcome, flag_on FROM recent_bodies "
        "WHERE trigger_id = ? ORDER BY seq DESC LIMIT ?",
        (trigger_id, RECENT_BODIES_KEPT),
    ).fetchall()
    return [
        RecentBody(
            row[0],
            json.loads(row[1]),
            json.loads(row[2]),
            row[3],
            None if row[4] is None else bool(row[4]),
        )
        for row in rows
    ]


_FLAG_COLUMNS = "project, flag, environment, is_on, version, last_modified, created"


def _flag(row: tuple) -> FlagState:
    return FlagState(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6])


def get_flag(conn: sqlite3.Connection, project: str, flag: str) -> list[FlagState]:
    rows = conn.execute(
        f"SELECT {_FLAG_COLUMNS} FROM flags WHERE project = ? AND flag = ? ORDER BY environment",
        (project, flag),
    ).fetchall()
    return [_flag(row) for row in rows]


def list_flags(conn: sqlite3.Connection) -> list[FlagState]:
    rows = conn.execute(
        f"SELECT {_FLAG_COLUMNS} FROM flags ORDER BY project, flag, environment"
    ).fetchall()
    return [_flag(row) for row in rows]


def list_projects(conn: sqlite3.Connection) -> list[str]:
    """Projects exist once a flag in them does (ldkit serve makes flags when a
    trigger names them)."""
    return [row[0] for row in conn.execute("SELECT DISTINCT project FROM flags ORDER BY project")]


def project_environments(conn: sqlite3.Connection, project: str) -> list[str]:
    """The environments any flag of `project` has, sorted."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT environment FROM flags WHERE project = ? ORDER BY environment",
            (project,),
        )
    ]


def flag_keys(conn: sqlite3.Connection, project: str) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT flag FROM flags WHERE project = ? ORDER BY flag", (project,)
        )
    ]


@dataclass(frozen=True)
class AuditScope:
    """Which flags' entries to list (None: any): what a resource specifier
    like `proj/default:env/production:flag/checkout` selects."""

    project: str | None = None
    environment: str | None = None
    flag: str | None = None


_AUDIT_COLUMNS = (
    "seq, id, date, project, flag, environment, action, title_verb, title, description, "
    "short_description, actor, trigger_id, trigger_body"
)


def _audit(row: tuple) -> AuditRow:
    return AuditRow(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        json.loads(row[11]),
        row[12],
        json.loads(row[13]),
    )


def list_audit(
    conn: sqlite3.Connection,
    limit: int,
    *,
    before: int | None = None,
    after: int | None = None,
    below_seq: int | None = None,
    query: str | None = None,
    scope: AuditScope | None = None,
) -> list[AuditRow]:
    """Newest first. `before`/`after` are Unix milliseconds (exclusive);
    `below_seq` continues a page exactly where the previous one stopped."""
    clauses, params = [], []
    if before is not None:
        clauses.append("date < ?" if below_seq is None else "date <= ?")
        params.append(before)
    if after is not None:
        clauses.append("date > ?")
        params.append(after)
    if below_seq is not None:
        clauses.append("seq < ?")
        params.append(below_seq)
    if query:
        clauses.append("(instr(lower(title), ?) > 0 OR instr(lower(description), ?) > 0)")
        params.extend([query.lower(), query.lower()])
    if scope is not None:
        for column, value in (
            ("project", scope.project),
            ("environment", scope.environment),
            ("flag", scope.flag),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM audit {where} ORDER BY seq DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [_audit(row) for row in rows]


def get_audit(conn: sqlite3.Connection, entry_id: str) -> AuditRow | None:
    row = conn.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE id = ?", (entry_id,)).fetchone()
    return None if row is None else _audit(row)


# --- writes (inside the writer's transaction) ------------------------------------


def ensure_flag(
    conn: sqlite3.Connection, project: str, flag: str, environment: str, now: int
) -> FlagState:
    """The flag in one environment, created off (as in LaunchDarkly) when new."""
    conn.execute(
        f"INSERT OR IGNORE INTO flags ({_FLAG_COLUMNS}) VALUES (?, ?, ?, 0, 1, ?, ?)",
        (project, flag, environment, now, now),
    )
    row = conn.execute(
        f"SELECT {_FLAG_COLUMNS} FROM flags WHERE project = ? AND flag = ? AND environment = ?",
        (project, flag, environment),
    ).fetchone()
    return _flag(row)


def set_flag(
    conn: sqlite3.Connection, project: str, flag: str, environment: str, on: bool, now: int
) -> None:
    ensure_flag(conn, project, flag, environment, now)
    conn.execute(
        "UPDATE flags SET is_on = ?, version = version + 1, last_modified = ? "
        "WHERE project = ? AND flag = ? AND environment = ?",
        (int(on), now, project, flag, environment),
    )


def insert_trigger(conn: sqlite3.Connection, row: TriggerRow) -> None:
    conn.execute(
        f"INSERT INTO triggers ({_TRIGGER_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            row.id,
            row.project,
            row.flag,
            row.environment,
            row.integration_key,
            row.action,
            row.secret_hash,
            int(row.enabled),
            row.version,
            row.created,
            row.trigger_count,
            row.last_triggered,
        ),
    )


def update_trigger(
    conn: sqlite3.Connection,
    trigger_id: str,
    *,
    action: str,
    secret_hash: bytes,
    enabled: bool,
) -> None:
    conn.execute(
        "UPDATE triggers SET action = ?, secret_hash = ?, enabled = ?, version = version + 1 "
        "WHERE id = ?",
        (action, secret_hash, int(enabled), trigger_id),
    )


def delete_trigger(conn: sqlite3.Connection, trigger_id: str) -> None:
    conn.execute("DELETE FROM triggers WHERE id = ?", (trigger_id,))


def record_call(
    conn: sqlite3.Connection,
    trigger_id: str,
    count: int,
    timestamp: int,
    json_body: object,
    headers: list[list[str]],
    outcome: str,
    flag_on: bool,
) -> None:
    """The trigger's count, last call and recent bodies (the oldest beyond
    RECENT_BODIES_KEPT dropped), each body with the outcome it had and the
    flag's state after it."""
    conn.execute(
        "UPDATE triggers SET trigger_count = ?, last_triggered = ? WHERE id = ?",
        (count, timestamp, trigger_id),
    )
    conn.execute(
        "INSERT INTO recent_bodies (trigger_id, timestamp, json_body, headers, outcome, flag_on) "
        "VALUES (?,?,?,?,?,?)",
        (trigger_id, timestamp, dump_json(json_body), dump_json(headers), outcome, int(flag_on)),
    )
    conn.execute(
        "DELETE FROM recent_bodies WHERE trigger_id = ? AND seq <= ("
        "SELECT seq FROM recent_bodies WHERE trigger_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
        (trigger_id, trigger_id, RECENT_BODIES_KEPT),
    )


def insert_audit(conn: sqlite3.Connection, row: AuditRow) -> None:
    conn.execute(
        "INSERT INTO audit (id, date, project, flag, environment, action, title_verb, title, "
        "description, short_description, actor, trigger_id, trigger_body) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            row.id,
            row.date,
            row.project,
            row.flag,
            row.environment,
            row.action,
            row.title_verb,
            # An event name may carry a lone surrogate (valid JSON, no UTF-8):
            # it is kept as its visible escape, as the bodies are.
            utf8_safe(row.title),
            utf8_safe(row.description),
            utf8_safe(row.short_description),
            dump_json(row.actor),
            row.trigger_id,
            dump_json(row.trigger_body),
        ),
    )
