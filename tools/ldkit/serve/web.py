"""Starlette helpers every route shares: JSON answers that can carry any
string a body held, LaunchDarkly-shaped errors, bounded body reading and the
management-token check."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from ldkit.serve.security import token_matches
from ldkit.serve.shapes import error_rep
from ldkit.serve.state import ServerState
from ldkit.serve.store import dump_json

MAX_BODY_BYTES = 1 << 20

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


class JSONAnswer(Response):
    media_type = "application/json"

    def render(self, content: object) -> bytes:
        return dump_json(content).encode("utf-8")


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONAnswer(error_rep(code, message), status_code=status, headers=headers)


def server_state(request: Request) -> ServerState:
    return request.app.state.serve


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, or BodyTooLarge as soon as it is known to exceed `limit`:
    from Content-Length before reading anything, else while streaming."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def too_large() -> Response:
    return error(413, "request_entity_too_large", f"the body exceeds {MAX_BODY_BYTES} bytes")


class BadJSON(Exception):
    pass


async def read_json(request: Request) -> object:
    data = await read_body(request)
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise BadJSON from None


def unauthorized(request: Request) -> Response | None:
    """None when `Authorization` carries the management token."""
    state = server_state(request)
    if token_matches(request.headers.get("authorization"), state.token):
        return None
    return error(401, "unauthorized", "send the management token in the Authorization header")
