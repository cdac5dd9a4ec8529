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
  new one when every open connection is busy with a real request.

The limits are `Limits`, set from `ldkit serve`'s options.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


@dataclass(frozen=True)
class Limits:
    header_seconds: float = 10.0
    body_seconds: float = 30.0
    idle_seconds: float = 5.0
    max_connections: int = 256


def protocol_for(limits: Limits) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol class with `limits` applied."""

    class BudgetedProtocol(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None
        #: When this connection began waiting for request headers; None while
        #: it has a request under way.
        _waiting_since: float | None = None

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
