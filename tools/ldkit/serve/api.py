"""The management API, in LaunchDarkly's REST shapes (see `shapes`):
triggers under `/api/v2/flags/{projectKey}/{flagKey}/triggers/{environmentKey}`,
a flag's state and its semantic patch, and the change history at
`/api/v2/auditlog`. Every route needs `Authorization: <token>`."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ldkit.serve import shapes, store
from ldkit.serve.catalog import IntegrationUnavailable
from ldkit.serve.operations import (
    InvalidRequest,
    NotFound,
    TriggerPlace,
    action_of,
    create_trigger_job,
    delete_trigger_job,
    parse_flag_patch,
    parse_trigger_patch,
    patch_flag_job,
    patch_trigger_job,
    trigger_in_place,
)
from ldkit.serve.state import ServerState, now_millis
from ldkit.serve.web import (
    BadJSON,
    BodyTooLarge,
    JSONAnswer,
    error,
    read_json,
    server_state,
    too_large,
    unauthorized,
)

AUDIT_LIMIT_DEFAULT = 10
AUDIT_LIMIT_MAX = 20


def _not_found(what: str) -> Response:
    return error(404, "not_found", f"Unknown {what}")


def _place(request: Request) -> TriggerPlace:
    params = request.path_params
    return TriggerPlace(params["projectKey"], params["flagKey"], params["environmentKey"])


async def _run(state: ServerState, job):
    return await asyncio.wrap_future(state.writer.submit(job))


async def _body(request: Request) -> object | Response:
    try:
        return await read_json(request)
    except BodyTooLarge:
        return too_large()
    except BadJSON:
        return error(400, "invalid_request", "the body is not JSON")


def _trigger_rep(state: ServerState, row: store.TriggerRow, secret: str | None = None) -> dict:
    recent = store.recent_bodies(state.reader, row.id)
    return shapes.trigger_rep(row, recent, state.url_base, secret=secret)


async def triggers(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    state = server_state(request)
    place = _place(request)
    if request.method == "GET":
        rows = store.list_triggers(state.reader, place.project, place.flag, place.environment)
        path = shapes.trigger_collection_path(place.project, place.flag, place.environment)
        return JSONAnswer(
            {
                "items": [_trigger_rep(state, row) for row in rows],
                "_links": {"self": {"href": path, "type": shapes.JSON_TYPE}},
            }
        )
    body = await _body(request)
    if isinstance(body, Response):
        return body
    if not isinstance(body, dict) or not isinstance(body.get("integrationKey"), str):
        return error(400, "invalid_request", "integrationKey is required")
    try:
        action = action_of(body.get("instructions"))
        state.catalog.get(body["integrationKey"])
    except InvalidRequest as exc:
        return error(400, "invalid_request", str(exc))
    except IntegrationUnavailable as exc:
        return error(400, "invalid_request", f"integrationKey: {exc}")
    row, secret = await _run(
        state, create_trigger_job(place, body["integrationKey"], action, now_millis())
    )
    state.log(f"created trigger {row.id} ({row.integration_key}, {row.flag} in {row.environment})")
    return JSONAnswer(_trigger_rep(state, row, secret), status_code=201)


async def trigger(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    state = server_state(request)
    place = _place(request)
    trigger_id = request.path_params["id"]
    try:
        if request.method == "GET":
            return JSONAnswer(
                _trigger_rep(state, trigger_in_place(state.reader, place, trigger_id))
            )
        if request.method == "DELETE":
            await _run(state, delete_trigger_job(place, trigger_id))
            state.log(f"deleted trigger {trigger_id}")
            return Response(status_code=204)
        body = await _body(request)
        if isinstance(body, Response):
            return body
        try:
            patch = parse_trigger_patch(body)
        except InvalidRequest as exc:
            return error(400, "invalid_request", str(exc))
        row, secret = await _run(state, patch_trigger_job(place, trigger_id, patch))
        state.log(f"updated trigger {trigger_id}")
        return JSONAnswer(_trigger_rep(state, row, secret))
    except NotFound:
        return _not_found("trigger")


async def flag(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    state = server_state(request)
    project, key = request.path_params["projectKey"], request.path_params["flagKey"]
    if request.method == "PATCH":
        body = await _body(request)
        if isinstance(body, Response):
            return body
        if isinstance(body, list):
            return error(
                400,
                "invalid_request",
                "ldkit serve accepts only semantic patches "
                "(Content-Type: application/json; domain-model=launchdarkly.semanticpatch)",
            )
        try:
            patch = parse_flag_patch(body)
            await _run(state, patch_flag_job(project, key, patch, now_millis()))
        except InvalidRequest as exc:
            return error(400, "invalid_request", str(exc))
        except NotFound:
            return _not_found("flag")
    states = store.get_flag(state.reader, project, key)
    if not states:
        return _not_found("flag")
    return JSONAnswer(shapes.flag_rep(project, key, states))


#: SQLite's INTEGER range: a bound outside it cannot be compared with a row.
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 63) - 1


def _int_param(request: Request, name: str) -> int | None:
    """An ASCII decimal integer in SQLite's range (`²` is a digit to
    `str.isdigit`, not to `int`), or InvalidRequest."""
    value = request.query_params.get(name)
    if value is None:
        return None
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        raise InvalidRequest(f"{name} must be an integer")
    number = int(value)
    if not _INT_MIN <= number <= _INT_MAX:
        raise InvalidRequest(f"{name} must be an integer from {_INT_MIN} to {_INT_MAX}")
    return number


async def auditlog(request: Request) -> Response:
    """Newest first; `limit` 1-20 (default 10), `before`/`after` in Unix
    milliseconds, `q` a substring of the title or description. When more
    entries exist, `_links.next.href` continues exactly after the last item
    (its `cursor` parameter is ldkit's: many calls can share one millisecond)."""
    if (denied := unauthorized(request)) is not None:
        return denied
    state = server_state(request)
    try:
        limit = _int_param(request, "limit")
        before = _int_param(request, "before")
        after = _int_param(request, "after")
        cursor = _int_param(request, "cursor")
    except InvalidRequest as exc:
        return error(400, "invalid_request", str(exc))
    limit = AUDIT_LIMIT_DEFAULT if limit is None else limit
    if not 1 <= limit <= AUDIT_LIMIT_MAX:
        return error(400, "invalid_request", f"limit must be 1 to {AUDIT_LIMIT_MAX}")
    query = request.query_params.get("q")
    rows = store.list_audit(
        state.reader,
        limit + 1,
        before=before,
        after=after,
        below_seq=cursor,
        query=query,
    )
    links: dict[str, object] = {"self": {"href": str(request.url.path), "type": shapes.JSON_TYPE}}
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        params = {"limit": limit, "before": last.date, "cursor": last.seq}
        if after is not None:
            params["after"] = after
        if query:
            params["q"] = query
        links["next"] = {
            "href": f"{shapes.API}/auditlog?{urlencode(params)}",
            "type": shapes.JSON_TYPE,
        }
    return JSONAnswer({"items": [shapes.audit_rep(row) for row in rows], "_links": links})


async def auditlog_entry(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    row = store.get_audit(server_state(request).reader, request.path_params["id"])
    if row is None:
        return _not_found("audit log entry")
    return JSONAnswer(shapes.audit_rep(row, detailed=True))


_TRIGGERS = "/api/v2/flags/{projectKey}/{flagKey}/triggers/{environmentKey}"

routes = [
    Route(_TRIGGERS, triggers, methods=["GET", "POST"]),
    Route(_TRIGGERS + "/{id}", trigger, methods=["GET", "PATCH", "DELETE"]),
    Route("/api/v2/flags/{projectKey}/{flagKey}", flag, methods=["GET", "PATCH"]),
    Route("/api/v2/auditlog", auditlog, methods=["GET"]),
    Route("/api/v2/auditlog/{id}", auditlog_entry, methods=["GET"]),
]
