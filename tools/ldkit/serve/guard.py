"""Who may talk to the server at all: the Host allow-list and the page's token.

Two attacks reach a server even when it listens on loopback only, and a third
when it listens beyond it:

* DNS rebinding: a page on `evil.example` re-points its own name at 127.0.0.1
  and then reads the server as "same origin". Its requests carry
  `Host: evil.example`, so every request whose Host is not this server's own
  name (an IP literal, `localhost`, the `--public-url` host or an
  `--allow-host` name) is refused, before any route runs.
* A listener beyond loopback (`--host 0.0.0.0`) is reachable by anyone on the
  network. The management API already needs the token; the page and its
  `/ui/state` fragment show every recent body and header, so they need it too.
  A browser cannot send an `Authorization` header on a plain navigation, so the
  page also accepts the token once in the query (`/?token=…`), answers with a
  redirect that drops it from the address bar, and keeps it in an HttpOnly,
  SameSite=Strict cookie. On loopback the page stays open, as before.

The webhook path is left to its own check (the secret in the URL): Dynatrace
must be able to call it from anywhere the user exposes the port to.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from ldkit.serve.security import token_matches
from ldkit.serve.shapes import error_rep
from ldkit.serve.store import dump_json

COOKIE = "ldkit_serve_token"
#: Paths that show recorded bodies and headers: the page and its fragment.
PAGE_PATHS = frozenset({"/", "/ui/state"})


def _host_name(host_header: str) -> str | None:
    """The name part of a Host header (`[::1]:8765` -> `::1`), lower-cased;
    None when the header is not a host[:port]."""
    value = host_header.strip().lower()
    if not value or any(c.isspace() for c in value) or "/" in value or "@" in value:
        return None
    if value.startswith("["):
        end = value.find("]")
        if end == -1:
            return None
        name, rest = value[1:end], value[end + 1 :]
    else:
        name, _, port = value.partition(":")
        rest = f":{port}" if port else ""
    if rest and not (rest.startswith(":") and rest[1:].isascii() and rest[1:].isdigit()):
        return None
    return name.rstrip(".") or None


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostAllowList:
    """The names a request's Host may carry. IP literals are always allowed:
    rebinding needs a DNS name, and a caller that reached an address by its
    number has named this server."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset({"localhost", *(n.lower().rstrip(".") for n in names if n)})

    def allows(self, host_header: str | None) -> bool:
        if host_header is None:
            return False
        name = _host_name(host_header)
        if name is None:
            return False
        return name in self.names or _is_ip_literal(name)


def _page_token(scope: Scope) -> tuple[str | None, str | None]:
    """(token from the Authorization header or the cookie, token from the query)."""
    header = cookie = None
    for key, value in scope.get("headers", []):
        if key == b"authorization":
            header = value.decode("latin-1")
        elif key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                continue
            if COOKIE in jar:
                cookie = jar[COOKIE].value
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    return header or cookie, query.get("token")


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _error(send: Send, status: int, code: str, message: str) -> None:
    body = dump_json(error_rep(code, message)).encode("utf-8")
    await _answer(send, status, body, [(b"content-type", b"application/json")])


class Guard:
    """ASGI middleware: the Host allow-list for every request, and the token
    for the page when `page_needs_token` (the server listens beyond loopback)."""

    def __init__(
        self, app: ASGIApp, hosts: HostAllowList, token: str, page_needs_token: bool
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token
        self.page_needs_token = page_needs_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
        if not self.hosts.allows(host):
            await _error(
                send,
                421,
                "misdirected_request",
                "this server answers only to its own host names; start it with --allow-host NAME "
                "to add one",
            )
            return
        if self.page_needs_token and scope["path"] in PAGE_PATHS:
            kept, offered = _page_token(scope)
            if offered is not None and token_matches(offered, self.token):
                await self._remember(scope, send, offered)
                return
            if not token_matches(kept, self.token):
                await _error(
                    send,
                    401,
                    "unauthorized",
                    "this server listens beyond loopback: open the page as /?token=TOKEN "
                    "(the --token you started it with)",
                )
                return
        await self.app(scope, receive, send)

    async def _remember(self, scope: Scope, send: Send, token: str) -> None:
        """Sets the cookie and redirects to the same path without `token`."""
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            if k != "token"
        ]
        location = scope["path"] + (f"?{urlencode(query)}" if query else "")
        cookie = SimpleCookie()
        cookie[COOKIE] = token
        morsel = cookie[COOKIE]
        morsel["httponly"] = True
        morsel["samesite"] = "Strict"
        morsel["path"] = "/"
        await _answer(
            send,
            303,
            b"",
            [
                (b"location", location.encode("latin-1")),
                (b"set-cookie", morsel.OutputString().encode("latin-1")),
            ],
        )
