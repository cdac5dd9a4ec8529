"""`ldkit doctor`'s REST reader against a hostile API on 127.0.0.1: redirects
are not followed (the token would go with them), answers are bounded in size
and time, and no message the server sends can print the token."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ldkit.doctor.rest import ApiProblem, NotFoundAnswer, RestReader, check_base

TOKEN = "api-secret-token-1234"


class Hostile(BaseHTTPRequestHandler):
    seen_authorization: list[str | None] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up first, as it should
            pass

    def do_GET(self) -> None:  # noqa: N802
        Hostile.seen_authorization.append(self.headers.get("Authorization"))
        path = self.path.split("?")[0]
        if path == "/ok":
            self._send(200, b'{"items": []}')
        elif path == "/redirect":
            self._send(302, b"", {"Location": "http://127.0.0.1:9/steal"})
        elif path == "/huge":
            self._send(200, b"[" + b"0," * 600 + b"0]")
        elif path == "/deep":
            self._send(200, b"[" * 100_000 + b"]" * 100_000)
        elif path == "/echo":
            message = f"bad token {self.headers.get('Authorization')}\x1b[31m"
            self._send(500, json.dumps({"code": "x", "message": message}).encode())
        elif path == "/missing":
            self._send(404, b'{"code": "not_found", "message": "Unknown flag"}')
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/drip-headers":
            # Each header line well inside the per-read timeout, forever.
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for number in range(60):
                    self.wfile.write(f"X-Slow-{number}: 1\r\n".encode())
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"{}")
        else:
            self._send(401, b'{"code": "unauthorized"}')


@pytest.fixture(scope="module")
def base():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def reader(base: str, **options) -> RestReader:
    return RestReader(base, TOKEN, **options)


def test_a_good_answer_is_json_and_the_token_goes_in_authorization(base):
    assert reader(base).get("/ok", {"spec": "proj/x"}) == {"items": []}
    assert Hostile.seen_authorization[-1] == TOKEN


def test_a_redirect_is_refused_so_the_token_never_leaves(base):
    with pytest.raises(ApiProblem, match="answered a redirect \\(302\\); not followed"):
        reader(base).get("/redirect")


def test_answers_are_bounded_in_size_and_depth(base):
    with pytest.raises(ApiProblem, match="exceeds 1000 bytes"):
        reader(base, max_bytes=1000).get("/huge")
    with pytest.raises(ApiProblem, match="is not JSON"):
        reader(base).get("/deep")


def test_a_slow_api_times_out(base):
    started = time.monotonic()
    with pytest.raises(ApiProblem, match="cannot reach"):
        reader(base, timeout=0.5).get("/slow")
    assert time.monotonic() - started < 2.5
    started = time.monotonic()
    with pytest.raises(ApiProblem, match="the answer took over 0.5 s"):
        reader(base, timeout=1, deadline=0.5).get("/drip")
    assert time.monotonic() - started < 3


def test_an_api_that_drips_its_headers_is_cut_at_the_deadline(base):
    started = time.monotonic()
    with pytest.raises(ApiProblem, match="the answer took over 0.5 s"):
        reader(base, timeout=1, deadline=0.5).get("/drip-headers")
    assert time.monotonic() - started < 2


def test_all_requests_together_stay_within_the_budget(base):
    slow = reader(base, timeout=1, deadline=0.5, budget=0.8)
    with pytest.raises(ApiProblem, match="took over"):
        slow.get("/drip")
    started = time.monotonic()
    with pytest.raises(ApiProblem, match="took over"):
        slow.get("/drip")
    with pytest.raises(ApiProblem, match="over 0.8 s in all"):
        slow.get("/ok")
    assert time.monotonic() - started < 1


def test_messages_never_carry_the_token_and_stay_one_bounded_line(base):
    with pytest.raises(ApiProblem) as caught:
        reader(base).get("/echo")
    text = str(caught.value)
    assert TOKEN not in text and "[token]" in text
    assert "\n" not in text and text.startswith(f"GET {base}/echo answered 500: bad token")
    with pytest.raises(ApiProblem, match="answered 401: LD_API_KEY is not a valid"):
        reader(base).get("/anything")
    with pytest.raises(NotFoundAnswer, match="answered 404: Unknown flag"):
        reader(base).get("/missing")


@pytest.mark.parametrize(
    "api", ["ftp://example.com", "app.launchdarkly.com", "https://u:p@example.com", "http://x/?a=1"]
)
def test_the_api_must_be_a_plain_http_base_url(api):
    with pytest.raises(ApiProblem):
        check_base(api)


def test_a_trailing_slash_is_dropped():
    assert check_base("https://app.launchdarkly.com/") == "https://app.launchdarkly.com"
