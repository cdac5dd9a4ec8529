"""Reading LaunchDarkly's REST API (or `ldkit serve`'s) for `ldkit doctor`.

The API's answers are input like any other: an address the user typed may
point anywhere, so every request has a timeout, every answer a size limit and
a JSON depth limit, redirects are refused (they would carry the token to
another host), and nothing the server says is printed before the token is
cut out of it. Standard library only: `ldkit doctor` needs no extra.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

DEFAULT_API = "https://app.launchdarkly.com"
API_VERSION = "20240415"
TIMEOUT_SECONDS = 10.0
DEADLINE_SECONDS = 30.0
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

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirects)

    def _scrub(self, text: str) -> str:
        """Server text as it may be shown: without the token, one bounded line."""
        if self.token:
            text = text.replace(self.token, "[token]")
        text = " ".join(text.split())
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
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                data = self._read(answer, shown)
        except urllib.error.HTTPError as exc:
            raise self._status_problem(shown, exc) from None
        except ApiProblem:
            raise
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ApiProblem(f"cannot reach {self.base}: {self._scrub(str(reason))}") from None
        if len(data) > self.max_bytes:
            raise ApiProblem(f"GET {shown}: the answer exceeds {self.max_bytes} bytes")
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            raise ApiProblem(f"GET {shown}: the answer is not JSON") from None

    def _read(self, answer, shown: str) -> bytes:
        """At most max_bytes + 1 bytes, within `deadline` seconds in all: a
        server that drips bytes cannot hold doctor longer than that."""
        deadline = time.monotonic() + self.deadline
        data = bytearray()
        while len(data) <= self.max_bytes:
            chunk = answer.read1(min(CHUNK_BYTES, self.max_bytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
            if time.monotonic() > deadline:
                raise ApiProblem(f"GET {shown}: the answer took over {self.deadline:g} s")
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
