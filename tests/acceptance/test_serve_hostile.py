"""`ldkit serve` against hostile clients: every byte a client sends is untrusted.

Each test starts a real server on 127.0.0.1 and attacks it the way an outsider
would: a foreign Host (DNS rebinding), the page without the token on a
listener beyond loopback, slow and silent connections, a body with a lone
surrogate, out-of-range query numbers, a foreign database. The answer is
always a LaunchDarkly-shaped `{code, message}` or a clean exit 2, never a
traceback, and the server keeps serving.
"""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")

from _serve_harness import make_root, request, run_to_exit, start  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path)


def _no_traceback(server) -> None:
    assert "Traceback" not in server.stderr


def test_a_request_naming_a_foreign_host_is_refused_before_any_route(root, tmp_path):
    server = start(root, tmp_path / "s.db")
    try:
        answer = request(server.base + "/", headers={"Host": "evil.example:8765"})
        assert answer.status == 421
        assert answer.json()["code"] == "misdirected_request"
        rebinding = request(
            server.base + "/api/v2/auditlog",
            headers={"Host": "evil.example", "Authorization": server.token},
        )
        assert rebinding.status == 421
        assert request(server.base + "/", headers={"Host": "localhost:1"}).status == 200
    finally:
        server.stop()
    _no_traceback(server)


def test_allow_host_adds_a_name(root, tmp_path):
    server = start(root, tmp_path / "s.db", "--allow-host", "tunnel.example")
    try:
        assert request(server.base + "/", headers={"Host": "tunnel.example"}).status == 200
        assert request(server.base + "/", headers={"Host": "other.example"}).status == 421
    finally:
        server.stop()


def test_beyond_loopback_the_page_and_its_state_need_the_token(root, tmp_path):
    server = start(root, tmp_path / "s.db", "--host", "0.0.0.0", token="page-secret")
    base = server.base.replace("0.0.0.0", "127.0.0.1")
    try:
        for path in ("/", "/ui/state"):
            denied = request(base + path)
            assert denied.status == 401
            assert denied.json()["code"] == "unauthorized"
            assert b"page-secret" not in denied.body
        assert request(base + "/?token=wrong").status == 401
        entry = request(base + "/?token=page-secret")
        assert entry.status == 303
        assert entry.headers["location"] == "/"
        cookie = entry.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        jar = cookie.split(";", 1)[0]
        assert request(base + "/", headers={"Cookie": jar}).status == 200
        assert request(base + "/ui/state", headers={"Authorization": "page-secret"}).status == 200
    finally:
        server.stop()


def test_silent_connections_cannot_lock_real_callers_out(root, tmp_path):
    server = start(root, tmp_path / "s.db", "--max-connections", "32", "--header-timeout", "30")
    host, port = server.base.removeprefix("http://").split(":")
    silent = []
    try:
        for _ in range(100):
            sock = socket.create_connection((host, int(port)), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            silent.append(sock)
        time.sleep(0.2)
        for _ in range(10):
            assert request(server.base + "/ui/state", timeout=5).status == 200
    finally:
        for sock in silent:
            sock.close()
        server.stop()
    _no_traceback(server)


def test_a_client_that_stops_sending_headers_or_body_is_closed_after_the_timeout(root, tmp_path):
    server = start(root, tmp_path / "s.db", "--header-timeout", "0.5", "--body-timeout", "0.5")
    host, port = server.base.removeprefix("http://").split(":")
    try:
        for partial in (
            b"GET / HTTP/1.1\r\nHost: localhost\r\n",
            b"POST /api/v2/flags/default/checkout/triggers/production HTTP/1.1\r\n"
            b"Host: localhost\r\nAuthorization: test-token\r\nContent-Length: 100\r\n\r\n{",
        ):
            sock = socket.create_connection((host, int(port)), timeout=5)
            sock.sendall(partial)
            started = time.monotonic()
            assert sock.recv(1024) == b""  # closed by the server
            assert time.monotonic() - started < 4
            sock.close()
    finally:
        server.stop()
    _no_traceback(server)


def test_a_body_with_a_lone_surrogate_is_counted_applied_stored_and_shown(root, tmp_path):
    server = start(root, tmp_path / "s.db", "--trigger", "integration=dynatrace,flag=checkout")
    try:
        url = server.triggers[0]["triggerURL"]
        answer = request(url, "POST", b'{"title": "disk \\ud800 full"}')
        assert answer.status == 200
        assert answer.json()["outcome"] == "applied"
        assert answer.json()["eventName"] == "disk \ud800 full"
        page = request(server.base + "/ui/state")
        assert page.status == 200
        assert b"disk \\ud800 full" in page.body
        trigger_id = server.triggers[0]["_id"]
        listed = server.api(
            "GET", f"/api/v2/flags/default/checkout/triggers/production/{trigger_id}"
        )
        assert listed.json()["_triggerCount"] == 1
    finally:
        server.stop()
    _no_traceback(server)


@pytest.mark.parametrize(
    "query", ["limit=%C2%B2", "before=99999999999999999999999", "after=-1e3", "cursor=%EF%BC%91"]
)
def test_query_numbers_out_of_shape_or_range_are_a_400(root, tmp_path, query):
    server = start(root, tmp_path / "s.db")
    try:
        answer = server.api("GET", f"/api/v2/auditlog?{query}")
        assert answer.status == 400
        assert answer.json()["code"] == "invalid_request"
    finally:
        server.stop()
    _no_traceback(server)


def test_a_client_that_disconnects_mid_body_leaves_the_server_serving(root, tmp_path):
    server = start(root, tmp_path / "s.db", "--trigger", "integration=dynatrace,flag=checkout")
    url = server.triggers[0]["triggerURL"]
    host, port = server.base.removeprefix("http://").split(":")
    path = url.removeprefix(server.base)
    try:
        sock = socket.create_connection((host, int(port)), timeout=5)
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n".encode()
            + b'{"title": '
        )
        sock.close()
        time.sleep(0.3)
        answer = request(url, "POST", {"title": "after the disconnect"})
        assert answer.status == 200
        assert answer.json()["triggerCount"] == 1
    finally:
        server.stop()
    _no_traceback(server)


def test_management_input_reaches_the_log_escaped(root, tmp_path):
    server = start(root, tmp_path / "s.db")
    try:
        conn = http.client.HTTPConnection(*server.base.removeprefix("http://").split(":"))
        conn.request("GET", "/api/v2/auditlog/%1b%5b31mred%0a::error::forged")
        conn.getresponse().read()
        conn.close()
    finally:
        server.stop()
    assert "\x1b" not in server.stderr
    assert "\n::error::" not in server.stderr


def test_the_state_folder_ignores_itself_so_the_token_is_never_committed(tmp_path):
    root = make_root(tmp_path)
    server = start(root, root / ".ldkit" / "serve.db", token=None)
    server.stop()
    ignore = root / ".ldkit" / ".gitignore"
    assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_device_as_database_is_refused_with_exit_2(root, tmp_path):
    result = run_to_exit(root, Path("/dev/null"))
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not Path("/dev/null-wal").exists()


def test_a_foreign_sqlite_database_is_refused_and_left_untouched(root, tmp_path):
    foreign = tmp_path / "app.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('ada')")
    conn.close()
    before = foreign.read_bytes()
    result = run_to_exit(root, foreign)
    assert result.returncode == 2
    assert "something else" in result.stderr
    assert foreign.read_bytes() == before
    assert not Path(f"{foreign}-wal").exists()


@pytest.fixture
def small_disk(tmp_path):
    """A 600 KiB tmpfs (needs root, as CI has); skipped where mounting is not allowed."""
    import subprocess

    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_is_a_507_and_the_server_recovers_when_calls_fit_again(root, small_disk):
    server = start(root, small_disk / "s.db", "--trigger", "integration=dynatrace,flag=checkout")
    url = server.triggers[0]["triggerURL"]
    big = b'{"title": "t", "pad": "' + b"x" * 200_000 + b'"}'
    try:
        statuses = [request(url, "POST", big).status for _ in range(6)]
        assert statuses[0] == 200
        full = [s for s in statuses if s != 200]
        assert full and set(full) == {507}
        saved = statuses.count(200)
        after = request(url, "POST", {"title": "small"})
        assert after.status == 200
        assert after.json()["triggerCount"] == saved + 1  # a 507 was never counted
    finally:
        server.stop()
    _no_traceback(server)


def _stream_header(host: str, port: int, start: bytes, seconds: float) -> bytes:
    """Sends `start` and then an endless header value for up to `seconds`;
    returns what the server answered (empty if it only closed)."""
    sock = socket.create_connection((host, port), timeout=5)
    sock.sendall(start)
    chunk = b"a" * 65536
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            sock.sendall(chunk)
    except OSError:
        pass
    try:
        return sock.recv(4096)
    except OSError:
        return b""
    finally:
        sock.close()


@pytest.mark.parametrize(
    "head",
    [b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: ", b"GET /"],
    ids=["header", "url"],
)
def test_an_endless_request_head_is_refused_early_and_does_not_stall_other_callers(
    root, tmp_path, head
):
    # httptools gathers a header value (uvicorn the URL) by concatenation:
    # without a bound, a few clients streaming one endless header kept the
    # event loop busy until the header timeout and every caller waited.
    import threading

    server = start(root, tmp_path / "s.db", "--header-timeout", "30")
    host, port = server.base.removeprefix("http://").split(":")
    answers: list[bytes] = []
    try:
        attackers = [
            threading.Thread(
                target=lambda: answers.append(_stream_header(host, int(port), head, 6))
            )
            for _ in range(4)
        ]
        for thread in attackers:
            thread.start()
        time.sleep(1)
        began = time.monotonic()
        assert request(server.base + "/ui/state", timeout=10).status == 200
        assert time.monotonic() - began < 2
        for thread in attackers:
            thread.join()
    finally:
        server.stop()
    assert len(answers) == 4
    for answer in answers:
        if answer:  # the server may close before the client reads
            assert answer.startswith(b"HTTP/1.1 431 ")
            assert b'"code":"request_header_fields_too_large"' in answer
    _no_traceback(server)


def test_a_request_the_http_parser_refuses_is_answered_in_launchdarkly_shape(root, tmp_path):
    server = start(root, tmp_path / "s.db")
    host, port = server.base.removeprefix("http://").split(":")
    try:
        sock = socket.create_connection((host, int(port)), timeout=5)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
        sock.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400 ")
        assert b"content-type: application/json" in head.lower()
        assert json.loads(body) == {
            "code": "invalid_request",
            "message": "the request is not valid HTTP/1.1",
        }
    finally:
        server.stop()
    _no_traceback(server)
