"""Reading LaunchDarkly's REST API (or `ldkit serve`'s) for `ldkit doctor`.

The API's answers are input like any other: an address the user typed may
point anywhere, so every request has a timeout, every answer a size limit and
a JSON depth limit, redirects are refused (they would carry the token to
another host), and nothing the server says is printed before the token is
cut out of it. Standard library only: `ldkit doctor` needs no extra.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

DEFAULT_API = "https://app.launchdarkly.com"
API_VERSION = "20240415"
TIMEOUT_SECONDS = 10.0
DEADLINE_SECONDS = 30.0
BUDGET_SECONDS = 120.0
MAX_ANSWER_BYTES = 8 << 20
CHUNK_BYTES = 64 * 1024
MESSAGE_CHARS = 200


class ApiProblem(Exception):
    """The API cannot be used: one line for the user, never the token."""


class NotFoundAnswer(ApiProblem):
    """A 404: the caller says which resource was missing."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        raise ApiProblem(f"{req.full_url.split('?')[0]} answered a redirect ({code}); not followed")


class _Watch:
    """The connections of the request under way, so that a timer can cut
    them at its deadline: a per-read timeout alone lets a server that drips
    its status line and headers hold doctor for ever."""

    def __init__(self) -> None:
        self.connections: list[http.client.HTTPConnection] = []
        self.expired = False

    def cut(self) -> None:
        self.expired = True
        for connection in self.connections:
            sock = connection.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def http_open(self, req):  # noqa: ANN001, ANN201
        def connect(host: str, **options: object) -> http.client.HTTPConnection:
            connection = http.client.HTTPConnection(host, **options)  # type: ignore[arg-type]
            self._watch.connections.append(connection)
            return connection

        return self.do_open(connect, req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def https_open(self, req):  # noqa: ANN001, ANN201
        def connect(host: str, **options: object) -> http.client.HTTPSConnection:
            connection = http.client.HTTPSConnection(host, **options)  # type: ignore[arg-type]
            self._watch.connections.append(connection)
            return connection

        return self.do_open(connect, req, context=getattr(self, "_context", None))


def hide_token(text: str, token: str) -> str:
    """`text` with the token cut out, also where it sits JSON-escaped inside a
    JSON document: whatever the API echoes back, doctor never prints it."""
    if not token:
        return text
    for form in {token, json.dumps(token)[1:-1], json.dumps(token, ensure_ascii=False)[1:-1]}:
        text = text.replace(form, "[token]")
    return text


def segment(value: str) -> str:
    """One path segment, escaped: keys come from the command line."""
    return quote(value, safe="")


def check_base(api: str) -> str:
    """The API's base URL without a trailing slash, or ApiProblem."""
    parts = urlsplit(api)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiProblem(f"--api {api[:80]!r} is not an http(s) URL")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ApiProblem("--api takes a base URL without query, fragment or credentials")
    return api.rstrip("/")


@dataclass
class RestReader:
    base: str
    token: str
    timeout: float = TIMEOUT_SECONDS
    max_bytes: int = MAX_ANSWER_BYTES
    deadline: float = DEADLINE_SECONDS
    budget: float = BUDGET_SECONDS

    def __post_init__(self) -> None:
        self._watch = _Watch()
        self._opener = urllib.request.build_opener(
            _NoRedirects, _WatchedHTTP(self._watch), _WatchedHTTPS(self._watch)
        )
        self._spent = 0.0

    def _scrub(self, text: str) -> str:
        """Server text as it may be shown: without the token, one bounded line."""
        text = " ".join(hide_token(text, self.token).split())
        return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS] + "…"

    def get(self, path: str, params: dict[str, object] | None = None) -> object:
        """The JSON answer to `GET base + path`; ApiProblem for anything else."""
        url = self.base + path
        if params:
            url += "?" + urlencode({k: v for k, v in params.items() if v is not None})
        request = urllib.request.Request(
            url,
            headers={
                "Authorization": self.token,
                "Accept": "application/json",
                "LD-API-Version": API_VERSION,
                "User-Agent": "ldkit-doctor",
            },
        )
        shown = self.base + path
        left = self.budget - self._spent
        if left <= 0:
            raise ApiProblem(f"GET {shown}: the API took over {self.budget:g} s in all")
        allowed = min(self.deadline, left)
        self._watch.connections.clear()
        self._watch.expired = False
        timer = threading.Timer(allowed, self._watch.cut)
        timer.daemon = True
        started = time.monotonic()
        timer.start()
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                data = self._read(answer, shown, allowed)
        except urllib.error.HTTPError as exc:
            raise self._status_problem(shown, exc) from None
        except ApiProblem:
            raise
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            if self._watch.expired:
                raise ApiProblem(f"GET {shown}: the answer took over {allowed:g} s") from None
            reason = getattr(exc, "reason", exc)
            raise ApiProblem(f"cannot reach {self.base}: {self._scrub(str(reason))}") from None
        finally:
            timer.cancel()
            self._spent += time.monotonic() - started
        if self._watch.expired:  # cut mid-answer: what arrived is not the answer
            raise ApiProblem(f"GET {shown}: the answer took over {allowed:g} s")
        if len(data) > self.max_bytes:
            raise ApiProblem(f"GET {shown}: the answer exceeds {self.max_bytes} bytes")
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            raise ApiProblem(f"GET {shown}: the answer is not JSON") from None

    def _read(self, answer, shown: str, allowed: float) -> bytes:
        """At most max_bytes + 1 bytes, within `allowed` seconds in all: a
        server that drips bytes cannot hold doctor longer than that."""
        deadline = time.monotonic() + allowed
        data = bytearray()
        while len(data) <= self.max_bytes:
            chunk = answer.read1(min(CHUNK_BYTES, self.max_bytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
            if time.monotonic() > deadline:
                raise ApiProblem(f"GET {shown}: the answer took over {allowed:g} s")
        return bytes(data)

    def _status_problem(self, shown: str, exc: urllib.error.HTTPError) -> ApiProblem:
        status = exc.code
        try:
            body = json.loads(exc.read(64 * 1024))
            message = body.get("message") if isinstance(body, dict) else None
        except (ValueError, RecursionError, OSError):
            message = None
        finally:
            exc.close()
        if status == 401:
            return ApiProblem(
                f"{self.base} answered 401: LD_API_KEY is not a valid API access token there"
            )
        if status == 403:
            return ApiProblem(
                f"{self.base} answered 403: the token in LD_API_KEY may not read {shown}"
            )
        said = f": {self._scrub(message)}" if isinstance(message, str) and message else ""
        if status == 404:
            return NotFoundAnswer(f"GET {shown} answered 404{said}")
        return ApiProblem(f"GET {shown} answered {status}{said}")
