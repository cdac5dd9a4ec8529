"""The trigger URL and the page.

`POST /webhook/triggers/{id}/{secret}` answers 200 only after the call is
committed. An unknown id, a wrong secret, a disabled or a deleted trigger all
get the same 404 (same body, the secret compared in constant time); a body
over 1 MiB gets 413 before it is read whole; other methods get 405."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ldkit.serve.catalog import IntegrationUnavailable
from ldkit.serve.operations import NotFound, WebhookCall, usable_trigger, webhook_job
from ldkit.serve.page import CONTENT_SECURITY_POLICY, render_page, static_file
from ldkit.serve.security import redact_headers
from ldkit.serve.state import now_millis
from ldkit.serve.web import BodyTooLarge, JSONAnswer, error, read_body, server_state, too_large


def _unknown_trigger() -> Response:
    return error(404, "not_found", "Unknown trigger")


async def webhook(request: Request) -> Response:
    state = server_state(request)
    trigger_id = request.path_params["id"]
    secret = request.path_params["secret"]
    timestamp = now_millis()
    try:
        row = usable_trigger(state.reader, trigger_id, secret)
    except NotFound:
        return _unknown_trigger()
    try:
        loaded = state.catalog.get(row.integration_key)
    except IntegrationUnavailable as exc:
        state.log(f"trigger {row.id}: integration unavailable: {exc}")
        return error(503, "integration_unavailable", str(exc))
    try:
        body = await read_body(request)
    except BodyTooLarge:
        state.log(f"POST /webhook/triggers/{row.id}/… 413")
        return too_large()
    call = WebhookCall(
        trigger_id,
        secret,
        body,
        redact_headers(list(request.headers.items())),
        timestamp,
        request.headers.get("content-type", ""),
    )
    try:
        outcome = await asyncio.wrap_future(state.writer.submit(webhook_job(call, loaded)))
    except NotFound:  # disabled or deleted while the body arrived
        return _unknown_trigger()
    result = outcome.result
    entry = outcome.entry
    state.log(
        f"POST /webhook/triggers/{row.id}/… 200 {result.outcome} "
        f"(count {result.trigger_count}, flag {'on' if result.flag_on_after else 'off'})"
    )
    return JSONAnswer(
        {
            "outcome": result.outcome,
            "eventName": result.event.event_name,
            "isTest": result.event.is_test,
            "flagOn": result.flag_on_after,
            "triggerCount": result.trigger_count,
            "entry": None
            if entry is None
            else {"_id": entry.id, "title": entry.title, "description": entry.description},
            "warnings": [{"rule": w.rule, "message": w.message} for w in result.event.warnings],
        }
    )


_PAGE_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}


async def page(request: Request) -> Response:
    state = server_state(request)
    etag = state.changes.etag
    fragment = await request.app.state.live.get(etag)
    html = render_page(fragment, etag, str(state.catalog.root))
    return HTMLResponse(html, headers={**_PAGE_HEADERS, "ETag": etag})


async def fragment(request: Request) -> Response:
    state = server_state(request)
    etag = state.changes.etag
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    html = await request.app.state.live.get(etag)
    return HTMLResponse(html, headers={**_PAGE_HEADERS, "ETag": etag})


def _static(name: str, media_type: str):
    content = static_file(name)

    async def serve(request: Request) -> Response:
        return Response(content, media_type=media_type)

    return serve


routes = [
    Route("/", page, methods=["GET"]),
    Route("/ui/state", fragment, methods=["GET"]),
    Route("/static/page.js", _static("page.js", "text/javascript"), methods=["GET"]),
    Route("/static/page.css", _static("page.css", "text/css"), methods=["GET"]),
    Route("/webhook/triggers/{id}/{secret}", webhook, methods=["POST"]),
]
