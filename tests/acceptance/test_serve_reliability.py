"""`ldkit serve` under load and under failure: exact counts with concurrent
callers, nothing acknowledged lost to `kill -9`, in-flight calls finished on
SIGTERM, and a clear error with exit code 2 when it cannot start."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

pytest.importorskip("starlette", reason="ldkit serve needs the serve extra")
pytest.importorskip("uvicorn", reason="ldkit serve needs the serve extra")

from _serve_harness import command, environment, make_root, run_to_exit, start  # noqa: E402

SPEC = "integration=generic-trigger,flag=load,action=turnFlagOn"
THREADS = 16
CALLS_EACH = 40
# The crash and stop tests act once this many calls were answered (or after
# LOAD_SECONDS on a very busy machine, and then fail saying so).
UNDER_LOAD = 200
LOAD_SECONDS = 30

pytestmark = pytest.mark.slow


@dataclass
class Load:
    """Callers on keep-alive connections; each counts what it sent and what
    was answered 200 (read in full: acknowledged)."""

    url: str
    stop: threading.Event = field(default_factory=threading.Event)
    sent: list[int] = field(default_factory=lambda: [0] * THREADS)
    acked: list[int] = field(default_factory=lambda: [0] * THREADS)
    other: list[int] = field(default_factory=list)

    def caller(self, index: int, calls: int | None) -> None:
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        body = b'{"eventName": "load", "value": %d}' % index
        done = 0
        try:
            while not self.stop.is_set() and (calls is None or done < calls):
                self.sent[index] += 1
                conn.request("POST", parts.path, body, {"Content-Type": "application/json"})
                answer = conn.getresponse()
                answer.read()
                if answer.status == 200:
                    self.acked[index] += 1
                else:
                    self.other.append(answer.status)
                done += 1
        except (OSError, http.client.HTTPException):
            pass  # the server went away: this call was not acknowledged
        finally:
            conn.close()

    def run(self, calls: int | None = None) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self.caller, args=(i, calls), daemon=True)
            for i in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        return threads


def join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive(), "a caller hung"


def count_in(db) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return conn.execute("SELECT trigger_count FROM triggers").fetchone()[0]
    finally:
        conn.close()


def test_concurrent_calls_to_one_trigger_keep_an_exact_count(tmp_path):
    server = start(make_root(tmp_path), tmp_path / "s.db", "--trigger", SPEC, "--quiet")
    try:
        trigger = server.triggers[0]
        load = Load(trigger["triggerURL"])
        join(load.run(CALLS_EACH))
        assert load.other == []
        assert sum(load.acked) == THREADS * CALLS_EACH
        rep = server.api(
            "GET", f"/api/v2/flags/default/load/triggers/production/{trigger['_id']}"
        ).json()
        assert rep["_triggerCount"] == THREADS * CALLS_EACH
        assert len(rep["_recentTriggerBodies"]) == 10
        flag = server.api("GET", "/api/v2/flags/default/load").json()
        assert flag["environments"]["production"]["on"] is True
        history = server.api("GET", "/api/v2/auditlog?limit=20").json()["items"]
        assert len(history) == 1  # the first call flipped it; the rest were no-ops
    finally:
        assert server.stop() == 0


def test_kill_9_under_load_loses_no_acknowledged_call(tmp_path):
    root, db = make_root(tmp_path), tmp_path / "s.db"
    server = start(root, db, "--trigger", SPEC, "--quiet")
    load = Load(server.triggers[0]["triggerURL"])
    threads = load.run()
    deadline = time.monotonic() + LOAD_SECONDS
    while sum(load.acked) < UNDER_LOAD and time.monotonic() < deadline:
        time.sleep(0.02)
    server.process.kill()
    server.process.wait(20)
    load.stop.set()
    join(threads)
    acked, sent = sum(load.acked), sum(load.sent)
    assert acked >= UNDER_LOAD

    restarted = start(root, db, "--quiet")
    try:
        trigger_id = server.triggers[0]["_id"]
        rep = restarted.api(
            "GET", f"/api/v2/flags/default/load/triggers/production/{trigger_id}"
        ).json()
        assert acked <= rep["_triggerCount"] <= sent
    finally:
        assert restarted.stop() == 0
    assert acked <= count_in(db) <= sent


def test_sigterm_lets_in_flight_calls_finish(tmp_path):
    db = tmp_path / "s.db"
    server = start(make_root(tmp_path), db, "--trigger", SPEC, "--quiet")
    parts = urlsplit(server.triggers[0]["triggerURL"])
    body = b'{"eventName": "slow sender"}'
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = (
            f"POST {parts.path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body[:10])
        time.sleep(0.3)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert server.process.poll() is None  # still finishing the call
        sock.sendall(body[10:])
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 200")
    assert server.stop() == 0
    assert count_in(db) == 1


def test_sigterm_under_load_acknowledges_only_what_is_saved(tmp_path):
    db = tmp_path / "s.db"
    server = start(make_root(tmp_path), db, "--trigger", SPEC, "--quiet")
    load = Load(server.triggers[0]["triggerURL"])
    threads = load.run()
    deadline = time.monotonic() + LOAD_SECONDS
    while sum(load.acked) < UNDER_LOAD and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.stop(signal.SIGTERM) == 0
    load.stop.set()
    join(threads)
    assert load.other == []
    assert sum(load.acked) <= count_in(db) <= sum(load.sent)
    assert sum(load.acked) >= UNDER_LOAD


def test_a_port_in_use_is_a_clear_error_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_to_exit(make_root(tmp_path), tmp_path / "s.db", "--port", str(port))
    assert done.returncode == 2
    assert done.stderr == (
        f"ldkit serve: port {port} on 127.0.0.1 is in use; "
        "stop what uses it or pass another --port\n"
    )
    assert "Traceback" not in done.stderr


def test_a_corrupt_database_is_a_clear_error_and_exit_2(tmp_path):
    db = tmp_path / "s.db"
    db.write_bytes(b"this is not a SQLite database\n" * 200)
    done = run_to_exit(make_root(tmp_path), db)
    assert done.returncode == 2
    assert done.stderr.startswith(f"ldkit serve: {db}: is not a usable SQLite database")
    assert done.stderr.count("\n") == 1


def test_a_database_locked_by_another_process_is_a_clear_error_and_exit_2(tmp_path):
    root, db = make_root(tmp_path), tmp_path / "s.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE held (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        done = run_to_exit(root, db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 2
    assert done.stderr.startswith(f"ldkit serve: {db}: is locked by another process")


def test_a_second_server_on_the_same_database_exits_2(tmp_path):
    root, db = make_root(tmp_path), tmp_path / "s.db"
    first = start(root, db, "--quiet")
    try:
        done = run_to_exit(root, db)
    finally:
        assert first.stop() == 0
    assert done.returncode == 2
    assert "is locked by another process (another `ldkit serve` uses it)" in done.stderr


def test_the_token_is_generated_once_stored_privately_and_reused(tmp_path):
    root, db = make_root(tmp_path), tmp_path / "s.db"
    tokens = []
    for _ in range(2):
        server = start(root, db, "--quiet", token=None)
        try:
            assert server.listening["tokenFile"] == f"{db}.token"
            assert server.api("GET", "/api/v2/auditlog").status == 200
            tokens.append(server.token)
        finally:
            assert server.stop() == 0
    assert (tmp_path / "s.db.token").stat().st_mode & 0o777 == 0o600
    assert tokens[0] == tokens[1]
    assert re.fullmatch(r"api-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", tokens[0])


@pytest.mark.parametrize("delay", [0, 0.05, 0.2])
def test_sigterm_right_after_start_is_a_clean_stop(tmp_path, delay):
    process = subprocess.Popen(
        command(make_root(tmp_path), tmp_path / "s.db", "--quiet"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    try:
        assert "listening" in json.loads(process.stdout.readline())
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait(10)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
