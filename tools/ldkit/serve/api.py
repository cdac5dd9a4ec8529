"""The management API, in LaunchDarkly's REST shapes (see `shapes`):
triggers under `/api/v2/flags/{projectKey}/{flagKey}/triggers/{environmentKey}`,
flags (list, get, JSON Patch and semantic patch of on/off), projects and
environments far enough to discover them, and the change history at
`/api/v2/auditlog`. Every route needs `Authorization: <token>`."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote, urlencode

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
    flag_everywhere,
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
# Flags, projects and environments: LaunchDarkly's default page and ldkit's cap.
LIST_LIMIT_DEFAULT = 20
LIST_LIMIT_MAX = 100


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


def _flag_answer(state: ServerState, project: str, key: str, request: Request) -> Response:
    states = flag_everywhere(state.reader, project, key)
    if not states:
        return _not_found("flag")
    environments = request.query_params.getlist("env") or None
    return JSONAnswer(shapes.flag_rep(project, key, states, environments))


async def flag(request: Request) -> Response:
    """A flag (`GET`, `env` repeatable to pick environments) and its patches:
    JSON Patch and semantic patch, on/off per environment."""
    if (denied := unauthorized(request)) is not None:
        return denied
    state = server_state(request)
    project, key = request.path_params["projectKey"], request.path_params["flagKey"]
    if request.method == "PATCH":
        body = await _body(request)
        if isinstance(body, Response):
            return body
        try:
            patch = parse_flag_patch(body, request.headers.get("content-type", ""))
            await _run(state, patch_flag_job(project, key, patch, now_millis()))
        except InvalidRequest as exc:
            return error(400, "invalid_request", str(exc))
        except NotFound:
            return _not_found("flag")
    return _flag_answer(state, project, key, request)


def _page(request: Request, default: int, maximum: int) -> tuple[int, int]:
    """`limit` and `offset`, or InvalidRequest."""
    limit = _int_param(request, "limit")
    offset = _int_param(request, "offset")
    limit = default if limit is None else limit
    offset = 0 if offset is None else offset
    if not 1 <= limit <= maximum:
        raise InvalidRequest(f"limit must be 1 to {maximum}")
    if offset < 0:
        raise InvalidRequest("offset must not be negative")
    return limit, offset


def _page_links(path: str, limit: int, offset: int, total: int, extra: str = "") -> dict:
    links: dict[str, object] = {
        "self": {"href": f"{path}?limit={limit}&offset={offset}{extra}", "type": shapes.JSON_TYPE}
    }
    if offset + limit < total:
        links["next"] = {
            "href": f"{path}?limit={limit}&offset={offset + limit}{extra}",
            "type": shapes.JSON_TYPE,
        }
    return links


async def flags(request: Request) -> Response:
    """A project's flags, by key; `environments` only for the environments
    named by `env`, as LaunchDarkly lists them."""
    if (denied := unauthorized(request)) is not None:
        return denied
    state = server_state(request)
    project = request.path_params["projectKey"]
    try:
        limit, offset = _page(request, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX)
    except InvalidRequest as exc:
        return error(400, "invalid_request", str(exc))
    environments = request.query_params.getlist("env")
    keys = store.flag_keys(state.reader, project)
    items = []
    for key in keys[offset : offset + limit]:
        states = flag_everywhere(state.reader, project, key)
        rep = shapes.flag_rep(project, key, states, environments)
        if not environments:
            del rep["environments"]
        items.append(rep)
    extra = "".join(f"&env={quote(env, safe='')}" for env in environments)
    return JSONAnswer(
        {
            "items": items,
            "_links": _page_links(f"{shapes.API}/flags/{project}", limit, offset, len(keys), extra),
            "totalCount": len(keys),
        }
    )


def _expand(request: Request) -> set[str]:
    return {part.strip() for part in request.query_params.get("expand", "").split(",")}


async def projects(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    reader = server_state(request).reader
    try:
        limit, offset = _page(request, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX)
    except InvalidRequest as exc:
        return error(400, "invalid_request", str(exc))
    keys = store.list_projects(reader)
    expand = "environments" in _expand(request)
    items = [
        shapes.project_rep(key, store.project_environments(reader, key) if expand else None)
        for key in keys[offset : offset + limit]
    ]
    return JSONAnswer(
        {
            "_links": _page_links(f"{shapes.API}/projects", limit, offset, len(keys)),
            "items": items,
            "totalCount": len(keys),
        }
    )


async def project(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    reader = server_state(request).reader
    key = request.path_params["projectKey"]
    environments = store.project_environments(reader, key)
    if not environments:
        return _not_found("project")
    expand = "environments" in _expand(request)
    return JSONAnswer(shapes.project_rep(key, environments if expand else None))


async def environments(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    reader = server_state(request).reader
    project_key = request.path_params["projectKey"]
    try:
        limit, offset = _page(request, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX)
    except InvalidRequest as exc:
        return error(400, "invalid_request", str(exc))
    keys = store.project_environments(reader, project_key)
    if not keys:
        return _not_found("project")
    rep = shapes.environments_rep(project_key, keys[offset : offset + limit], len(keys))
    return JSONAnswer(rep)


async def environment(request: Request) -> Response:
    if (denied := unauthorized(request)) is not None:
        return denied
    reader = server_state(request).reader
    project_key = request.path_params["projectKey"]
    key = request.path_params["environmentKey"]
    if key not in store.project_environments(reader, project_key):
        return _not_found("environment")
    return JSONAnswer(shapes.environment_rep(project_key, key))


_SPEC_PART = re.compile(r"(proj|env|flag)/([^:;*]+|\*)\Z")


def parse_audit_spec(text: str) -> store.AuditScope:
    """A resource specifier for the audit log: `proj/P`, optionally
    `:env/E` and `:flag/F`, each name exact or `*`. LaunchDarkly's richer
    specifiers (tags, globs, other resource kinds) are refused with a reason."""
    names: dict[str, str | None] = {}
    expected = ("proj", "env", "flag")
    parts = text.split(":")
    if len(parts) > len(expected):
        raise InvalidRequest("spec has too many parts")
    for want, part in zip(expected, parts, strict=False):
        match = _SPEC_PART.match(part)
        if match is None or match.group(1) != want:
            raise InvalidRequest(
                "ldkit serve filters the audit log by specifiers of the form "
                "proj/<key>[:env/<key>[:flag/<key>]] (a key may be *); "
                f"{text[:80]!r} is not one"
            )
        names[want] = None if match.group(2) == "*" else match.group(2)
    return store.AuditScope(names.get("proj"), names.get("env"), names.get("flag"))


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
    milliseconds, `q` a substring of the title or description, `spec` a
    resource specifier (`parse_audit_spec`). When more
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
    spec = request.query_params.get("spec")
    try:
        scope = None if spec is None else parse_audit_spec(spec)
    except InvalidRequest as exc:
        return error(400, "invalid_request", str(exc))
    rows = store.list_audit(
        state.reader,
        limit + 1,
        before=before,
        after=after,
        below_seq=cursor,
        query=query,
        scope=scope,
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
        if spec is not None:
            params["spec"] = spec
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
    Route("/api/v2/flags/{projectKey}", flags, methods=["GET"]),
    Route("/api/v2/flags/{projectKey}/{flagKey}", flag, methods=["GET", "PATCH"]),
    Route("/api/v2/projects", projects, methods=["GET"]),
    Route("/api/v2/projects/{projectKey}", project, methods=["GET"]),
    Route("/api/v2/projects/{projectKey}/environments", environments, methods=["GET"]),
    Route(
        "/api/v2/projects/{projectKey}/environments/{environmentKey}",
        environment,
        methods=["GET"],
    ),
    Route("/api/v2/auditlog", auditlog, methods=["GET"]),
    Route("/api/v2/auditlog/{id}", auditlog_entry, methods=["GET"]),
]
