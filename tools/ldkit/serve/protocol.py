"""Connection budgets: a client that is slow or silent cannot hold the server.

uvicorn closes an idle keep-alive connection after a few seconds, but it waits
forever for the headers of a request that has begun, and for the rest of a
body, and it accepts every connection the kernel hands it. A thousand clients
that each send one byte and stop would then lock every real caller out. This
protocol (uvicorn's own HTTP protocol with three timers and a cap) closes:

* a connection whose request headers are not complete `header_seconds` after
  its first byte (or after the connection opened);
* a connection whose body is not complete `body_seconds` after its headers;
* beyond `max_connections` open at once, the connection that has waited
  longest without sending complete headers (a slow or silent client), or the
  new one when every open connection is busy with a real request;
* a connection whose request line and headers pass `head_bytes` without
  ending: httptools gathers a header value (and uvicorn the URL) by
  concatenation, so a few clients streaming one endless header kept the event
  loop copying, and every caller waiting, until the header timeout. The client
  gets a 431 first.

A request the HTTP parser refuses gets LaunchDarkly's `{code, message}` shape
too (uvicorn's own answer is plain text).

The limits are `Limits`, set from `ldkit serve`'s options.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ldkit.serve.shapes import error_rep
from ldkit.serve.store import dump_json

_REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}


@dataclass(frozen=True)
class Limits:
    header_seconds: float = 10.0
    body_seconds: float = 30.0
    idle_seconds: float = 5.0
    max_connections: int = 256
    #: The request line and headers of one request, in bytes (Node's limit is 16 KiB).
    head_bytes: int = 64 * 1024


def protocol_for(limits: Limits) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol class with `limits` applied."""

    class BudgetedProtocol(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None
        #: When this connection began waiting for request headers; None while
        #: it has a request under way.
        _waiting_since: float | None = None
        #: Bytes received since the last request's headers were complete.
        _head_bytes: int = 0

        def _arm(self, seconds: float) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(seconds, self._expire)

        def _evict_one(self) -> bool:
            """Closes the connection that has waited longest for headers."""
            waiting = [
                c
                for c in self.connections
                if c is not self and getattr(c, "_waiting_since", None) is not None
            ]
            if not waiting:
                return False
            oldest = min(waiting, key=lambda c: c._waiting_since)
            oldest._waiting_since = None
            oldest.transport.close()
            return True

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limits.max_connections and not self._evict_one():
                transport.close()
                return
            self._waiting_since = self.loop.time()
            self._arm(limits.header_seconds)

        def _refuse(self, status: int, code: str, message: str) -> None:
            """Answers `{code, message}` and closes the connection."""
            body = dump_json(error_rep(code, message)).encode("utf-8")
            head = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])]
            for name, value in self.server_state.default_headers:
                head.append(name + b": " + value + b"\r\n")
            head.append(b"content-type: application/json\r\n")
            head.append(b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body))
            self.transport.write(b"".join(head) + body)
            self.transport.close()

        def send_400_response(self, msg: str) -> None:
            self._refuse(400, "invalid_request", "the request is not valid HTTP/1.1")

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._waiting_since is None:  # headers complete: a body, or nothing
                self._head_bytes = 0
                return
            self._head_bytes += len(data)
            if self._head_bytes > limits.head_bytes and not self.transport.is_closing():
                self._disarm()
                self._refuse(
                    431,
                    "request_header_fields_too_large",
                    f"the request line and headers exceed {limits.head_bytes} bytes",
                )

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._waiting_since is None:
                self._waiting_since = self.loop.time()
            self._arm(limits.header_seconds)

        def on_headers_complete(self) -> None:
            self._waiting_since = None
            self._arm(limits.body_seconds)
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

    return BudgetedProtocol
