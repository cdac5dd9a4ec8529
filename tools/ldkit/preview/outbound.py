"""The request an audit-log integration receives for the sample flag change.

This is `preview.js`'s output, reproduced: the endpoint URL and header values
are rendered (Handlebars, strict) with the form variables at the root, `oauth`
and `context` (the sample event as is); the body template with the sample
event JSON-escaped at the root plus `formVariables`. A string, URI, enum or
dynamic-enum form variable stands for itself as `$` and its upper-cased key
(`apiKey` renders `$APIKEY`), a boolean is `true`, other kinds are absent.
The flag template is used, else the default template.

When the integration has neither (upstream stops there), ldkit previews the
first template it does have, rendered against the matching sample event of
`ldkit.audit_log.contexts`, and says so; with no template at all, the URL, method
and headers, and no body.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ldkit.audit_log.contexts import SAMPLE_FOR_TEMPLATE, json_escape, sample_event
from ldkit.handlebars import HandlebarsError, compile_template
from ldkit.preview.sample import SAMPLE_FILE_NAME, flag_event

#: Form-variable kinds preview.js gives a `$KEY` stand-in (booleans are `true`).
STAND_IN_KINDS = ("string", "uri", "enum", "dynamicEnum")
OAUTH_STAND_INS = {"baseURI": "$OAUTH_BASE_URI", "accessToken": "$OAUTH_ACCESS_TOKEN"}
#: Template kinds tried, in order, when there is no flag or default template.
OTHER_TEMPLATE_KINDS = ("project", "environment", "member")
#: What the BODY line says when the capability names no template at all.
NO_TEMPLATE = (
    "(no template: the manifest names no flag, default, project, environment or member template, "
    "and what LaunchDarkly sends then is not documented)"
)
# JavaScript's `\s`, which lodash's `trimEnd` strips.
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


class PreviewError(Exception):
    """The integration cannot be previewed; the message says why, in one line."""


@dataclass(frozen=True)
class Header:
    name: str
    value: str


@dataclass(frozen=True)
class OutboundRequest:
    """One rendered request, and which template and sample it came from."""

    method: str
    url: str
    headers: tuple[Header, ...]
    body: str | None
    template_kind: str | None
    template_path: str | None
    sample_name: str


def _get(value: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def form_stand_ins(manifest: object) -> dict[str, object]:
    """preview.js's values for the top-level form variables."""
    values: dict[str, object] = {}
    variables = _get(manifest, "formVariables")
    if not isinstance(variables, list):
        return values
    for variable in variables:
        key, kind = _get(variable, "key"), _get(variable, "type")
        if not isinstance(key, str):
            continue
        if kind in STAND_IN_KINDS:
            values[key] = "$" + key.upper()
        elif kind == "boolean":
            values[key] = True
    return values


def _render(source: object, context: dict[str, object], what: str) -> str:
    if not isinstance(source, str):
        raise PreviewError(f"{what} is not a string")
    try:
        return compile_template(source).render(context)
    except HandlebarsError as error:
        raise PreviewError(f"{what} does not render: {error}") from None


def _template(manifest: object) -> tuple[str, str] | None:
    templates = _get(manifest, "capabilities", "auditLogEventsHook", "templates")
    for kind in ("flag", "default", *OTHER_TEMPLATE_KINDS):
        path = _get(templates, kind)
        if isinstance(path, str) and path:
            return kind, path
    return None


def outbound_request(manifest: object, folder: Path, timestamp_ms: int) -> OutboundRequest | None:
    """The request for the sample event, or None without an audit-log endpoint."""
    endpoint = _get(manifest, "capabilities", "auditLogEventsHook", "endpoint")
    if not endpoint:
        return None
    found = _template(manifest)
    event = flag_event(timestamp_ms)
    oauth = dict(OAUTH_STAND_INS) if _get(manifest, "requiresOAuth") else None
    endpoint_context: dict[str, object] = form_stand_ins(manifest)
    endpoint_context["oauth"] = oauth
    endpoint_context["context"] = event
    url = _render(_get(endpoint, "url"), endpoint_context, "the endpoint URL")
    headers = []
    raw_headers = _get(endpoint, "headers")
    for index, header in enumerate(raw_headers if isinstance(raw_headers, list) else []):
        value = _render(_get(header, "value"), endpoint_context, f"header {index + 1}")
        headers.append(Header(str(_get(header, "name")), value))
    method = str(_get(endpoint, "method"))
    if found is None:
        return OutboundRequest(method, url, tuple(headers), None, None, None, SAMPLE_FILE_NAME)
    kind, relative = found
    if kind in ("flag", "default"):
        sample_name = SAMPLE_FILE_NAME
        body_context = json_escape(event)
    else:
        sample = SAMPLE_FOR_TEMPLATE[kind]
        sample_name = f"ldkit's sample {sample} event"
        body_context = json_escape(sample_event(sample))
    assert isinstance(body_context, dict)
    body_context["formVariables"] = form_stand_ins(manifest)
    from ldkit.fs import FileRefused, read_text

    try:
        source = read_text(folder / relative, root=folder, errors="strict")
    except FileRefused as refused:
        raise PreviewError(
            f"cannot read the {kind} template {relative}: {refused.detail}"
        ) from None
    body = _render(source, body_context, f"the {kind} template {relative}")
    return OutboundRequest(
        method=method,
        url=url,
        headers=tuple(headers),
        body=body,
        template_kind=kind,
        template_path=relative,
        sample_name=sample_name,
    )


def plain_text(request: OutboundRequest) -> str:
    """`npm run preview` output."""
    lines = [f"URL:    {request.url}", f"METHOD: {request.method}"]
    lines.extend(f"HEADER: {h.name}: {h.value}" for h in request.headers)
    if request.body is None:
        lines.append(f"BODY:\t{NO_TEMPLATE}")
    else:
        lines.append(f"BODY:\t{request.sample_name}")
        lines.append(request.body)
    return "\n".join(lines) + "\n"


def curl_text(request: OutboundRequest) -> str:
    """`npm run curl` output."""
    command = f"curl -X {request.method} \\\n  {request.url} \\\n"
    for header in request.headers:
        command += f"  -H '{header.name}: {header.value}' \\\n"
    if request.body is None:
        command = command.removesuffix(" \\\n")
    else:
        command += f"  -d '{request.body.rstrip(_JS_WHITESPACE)}'"
    return (
        "Before running the following curl command, be sure to replace all variables denoted "
        "with $.\n"
        f"The following command was generated with the test file {request.sample_name}.\n\n"
        f"{command}\n"
    )


def note(request: OutboundRequest) -> str | None:
    """What ldkit did differently from preview.js, if anything (for stderr)."""
    if request.template_kind is None:
        return "no template at all (preview.js stops here); the request is shown without a body"
    if request.template_kind in ("flag", "default"):
        return None
    return (
        f"no flag or default template (preview.js stops here); previewed the "
        f"{request.template_kind} template {request.template_path} with {request.sample_name}"
    )
