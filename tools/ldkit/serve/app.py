"""The ASGI application: the page, the trigger URL and the management API on
Starlette, with LaunchDarkly-shaped JSON errors and the same security headers
on every answer. No CORS headers: other origins get nothing readable."""

from __future__ import annotations

import sqlite3

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ldkit.serve import api, routes
from ldkit.serve.live import LiveFragment, database_path
from ldkit.serve.state import ServerState
from ldkit.serve.web import SECURITY_HEADERS, error

_CODES = {404: "not_found", 405: "method_not_allowed"}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _CODES.get(exc.status_code, "error")
    message = "Not found" if exc.status_code == 404 else str(exc.detail)
    return error(exc.status_code, code, message, headers=dict(exc.headers or {}))


class _SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (pure ASGI: no body buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.raw]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _unexpected(exc: BaseException) -> tuple[int, str, str]:
    """The answer for an exception no route turned into one."""
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        return 503, "service_unavailable", "the database is busy; retry"
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return 507, "insufficient_storage", "the disk is full; nothing was saved"
    return 500, "internal_error", "unexpected error; the server's log has the detail"


async def _server_error(request: Request, exc: Exception) -> Response:
    """Starlette's answer for an unhandled exception, in LaunchDarkly's shape
    (Starlette then re-raises it, and `_Errors` logs it)."""
    status, code, message = _unexpected(exc)
    return error(status, code, message)


class _Errors:
    """The last line: any exception becomes a LaunchDarkly-shaped `{code,
    message}` answer (when no answer has started) and one sanitised log line,
    never a traceback. A client that went away mid-request gets nothing."""

    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            self.state.log(f"{scope['method']} {_logged_path(scope)}: the client went away")
        except Exception as exc:  # noqa: BLE001 - the answer of last resort
            status, code, message = _unexpected(exc)
            self.state.log(
                f"{scope['method']} {_logged_path(scope)} {status}: {type(exc).__name__}: {exc}"
            )
            if not started:
                response = error(status, code, message)
                await response(scope, receive, send)


def _logged_path(scope: Scope) -> str:
    """The path as the log may show it: a webhook's secret never."""
    path = str(scope.get("path", ""))
    if path.startswith("/webhook/triggers/"):
        parts = path.split("/")
        return "/".join(parts[:4]) + "/…"
    return path


def build_app(state: ServerState) -> ASGIApp:
    app = Starlette(
        routes=[*routes.routes, *api.routes],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.serve = state
    app.state.live = LiveFragment(database_path(state.reader))
    return _Errors(_SecurityHeaders(app), state)
