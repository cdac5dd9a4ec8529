"""The ASGI application: the page, the trigger URL and the management API on
Starlette, with LaunchDarkly-shaped JSON errors and the same security headers
on every answer. No CORS headers: other origins get nothing readable."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ldkit.serve import api, routes
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


def build_app(state: ServerState) -> ASGIApp:
    app = Starlette(
        routes=[*routes.routes, *api.routes],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.serve = state
    return _SecurityHeaders(app)
