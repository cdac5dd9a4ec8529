"""The store and the group-commit writer, without a web server."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from ldkit.serve import store
from ldkit.serve.operations import (
    NotFound,
    TriggerPlace,
    WebhookCall,
    create_trigger_job,
    webhook_job,
)
from ldkit.serve.writer import GroupCommitWriter
from ldkit.trigger.loading import load_trigger_manifest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

GENERIC = FIXTURES / "serve" / "integrations" / "generic-trigger"


@pytest.fixture
def writer(tmp_path):
    conn = store.open_store(tmp_path / "s.db")
    commits: list[int] = []
    writer = GroupCommitWriter(conn, on_commit=lambda: commits.append(1))
    writer.commits = commits
    yield writer
    writer.close()
    conn.close()


def _call(row, secret, body=b'{"eventName": "e"}', timestamp=1000):
    return WebhookCall(row.id, secret, body, [["host", "x"]], timestamp, "application/json")


def test_open_store_uses_wal_and_full_sync(tmp_path):
    conn = store.open_store(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    conn.close()


def test_a_failing_job_rolls_back_alone(writer, tmp_path):
    place = TriggerPlace("p", "f", "e")
    good = writer.submit(create_trigger_job(place, "generic-trigger", "turnFlagOn", 1))

    def bad(conn):
        conn.execute("INSERT INTO meta VALUES ('half', 'written')")
        raise ValueError("boom")

    failed = writer.submit(bad)
    row, _ = good.result(10)
    with pytest.raises(ValueError, match="boom"):
        failed.result(10)
    reader = store.connect(tmp_path / "s.db", read_only=True)
    assert store.get_trigger(reader, row.id) == row
    assert reader.execute("SELECT * FROM meta WHERE key = 'half'").fetchall() == []
    reader.close()


def test_a_webhook_call_runs_the_trigger_core_and_keeps_the_last_ten_bodies(writer, tmp_path):
    loaded = load_trigger_manifest(GENERIC)
    place = TriggerPlace("p", "f", "e")
    row, secret = writer.submit(
        create_trigger_job(place, "generic-trigger", "turnFlagOn", 1)
    ).result(10)
    outcomes = [
        writer.submit(
            webhook_job(_call(row, secret, b'{"eventName": "call %d"}' % i, 1000 + i), loaded)
        ).result(10)
        for i in range(12)
    ]
    assert [o.result.outcome for o in outcomes] == ["applied"] + ["no-change"] * 11
    assert outcomes[0].entry.description == "call 0"
    reader = store.connect(tmp_path / "s.db", read_only=True)
    recent = store.recent_bodies(reader, row.id)
    assert [b.json_body["eventName"] for b in recent] == [f"call {i}" for i in range(11, 1, -1)]
    assert store.get_trigger(reader, row.id).trigger_count == 12
    assert [f.on for f in store.get_flag(reader, "p", "f")] == [True]
    reader.close()


def test_a_wrong_secret_changes_nothing(writer, tmp_path):
    loaded = load_trigger_manifest(GENERIC)
    place = TriggerPlace("p", "f", "e")
    row, _ = writer.submit(create_trigger_job(place, "generic-trigger", "turnFlagOn", 1)).result(10)
    with pytest.raises(NotFound):
        writer.submit(webhook_job(_call(row, "0" * 36), loaded)).result(10)
    reader = store.connect(tmp_path / "s.db", read_only=True)
    assert store.get_trigger(reader, row.id).trigger_count == 0
    reader.close()


def test_concurrent_submissions_share_commits(writer):
    place = TriggerPlace("p", "f", "e")
    row, secret = writer.submit(
        create_trigger_job(place, "generic-trigger", "turnFlagOn", 1)
    ).result(10)
    loaded = load_trigger_manifest(GENERIC)
    futures = []
    lock = threading.Lock()

    def submit_many():
        for _ in range(50):
            future = writer.submit(webhook_job(_call(row, secret), loaded))
            with lock:
                futures.append(future)

    threads = [threading.Thread(target=submit_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    counts = sorted(f.result(30).result.trigger_count for f in futures)
    assert counts == list(range(1, 401))
    assert len(writer.commits) < 401  # grouped: fewer commits than calls


def test_the_schema_version_is_checked(tmp_path):
    db = tmp_path / "s.db"
    store.open_store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    with pytest.raises(store.StoreError, match="schema 99"):
        store.open_store(db)


def test_a_database_from_the_previous_schema_is_migrated_in_place(tmp_path):
    """Schema 1 had no flag creation date and no outcome per kept call: both
    are added, old rows kept, their outcome unknown (None)."""
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema', '1');
        CREATE TABLE flags (project TEXT NOT NULL, flag TEXT NOT NULL, environment TEXT NOT NULL,
            is_on INTEGER NOT NULL, version INTEGER NOT NULL, last_modified INTEGER NOT NULL,
            PRIMARY KEY (project, flag, environment));
        INSERT INTO flags VALUES ('p', 'f', 'e', 1, 3, 500);
        CREATE TABLE triggers (id TEXT PRIMARY KEY, project TEXT NOT NULL, flag TEXT NOT NULL,
            environment TEXT NOT NULL, integration_key TEXT NOT NULL, action TEXT NOT NULL,
            secret_hash BLOB NOT NULL, enabled INTEGER NOT NULL, version INTEGER NOT NULL,
            created INTEGER NOT NULL, trigger_count INTEGER NOT NULL DEFAULT 0,
            last_triggered INTEGER);
        INSERT INTO triggers VALUES ('t', 'p', 'f', 'e', 'generic-trigger', 'turnFlagOn', x'00',
            1, 1, 100, 1, 400);
        CREATE TABLE recent_bodies (seq INTEGER PRIMARY KEY, trigger_id TEXT NOT NULL
            REFERENCES triggers(id) ON DELETE CASCADE, timestamp INTEGER NOT NULL,
            json_body TEXT NOT NULL, headers TEXT NOT NULL);
        INSERT INTO recent_bodies (trigger_id, timestamp, json_body, headers)
            VALUES ('t', 400, '{"eventName": "old"}', '[]');
        """
    )
    old.commit()
    old.close()
    conn = store.open_store(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("2",)
    [flag] = store.get_flag(conn, "p", "f")
    assert (flag.on, flag.version, flag.created) == (True, 3, 500)
    [kept] = store.recent_bodies(conn, "t")
    assert (kept.json_body, kept.outcome, kept.flag_on) == ({"eventName": "old"}, None, None)
    conn.close()


def test_each_kept_call_records_its_outcome_and_the_flag_after(writer, tmp_path):
    loaded = load_trigger_manifest(GENERIC)
    row, secret = writer.submit(
        create_trigger_job(TriggerPlace("p", "f", "e"), "generic-trigger", "turnFlagOn", 1)
    ).result(10)
    for i, body in enumerate([b'{"eventName": "ldkit test event"}', b"{}", b"{}"]):
        writer.submit(webhook_job(_call(row, secret, body, 2000 + i), loaded)).result(10)
    reader = store.connect(tmp_path / "s.db", read_only=True)
    kept = store.recent_bodies(reader, row.id)
    reader.close()
    assert [(b.outcome, b.flag_on) for b in kept] == [
        ("no-change", True),
        ("applied", True),
        ("test-event", False),
    ]
