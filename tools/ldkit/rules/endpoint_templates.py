"""Rules for the audit-log endpoint (LD300-LD302): its URL and header values
render in strict Handlebars against the endpoint context, and it has headers."""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.audit_log.templates import HOOK
from ldkit.core.findings import Finding, Severity
from ldkit.rules._render import render_error, where
from ldkit.rules._support import js_truthy, value_at
from ldkit.rules.base import Rule, RuleContext


def _endpoint_context(manifest: object) -> dict[str, object]:
    from ldkit.audit_log.contexts import endpoint_context

    return endpoint_context(manifest)


def _hook_endpoint(ctx: RuleContext) -> dict[str, object] | None:
    endpoint = value_at(ctx.manifest, "capabilities", "auditLogEventsHook", "endpoint")
    return endpoint if isinstance(endpoint, dict) and js_truthy(endpoint) else None


class EndpointUrlRenders(Rule):
    id = "LD300"
    severity = Severity.ERROR
    title = "Audit-log endpoint URL does not render"
    upstream = True
    explanation = (
        "LaunchDarkly renders `auditLogEventsHook.endpoint.url` with strict Handlebars against "
        "the form variables (`{{apiKey}}`), `context` (a sample flag event) and `oauth`. A "
        "reference to something that does not exist, an unknown helper or a syntax error "
        "makes its validator reject the manifest. Only top-level form variables of type "
        "string, enum, dynamicEnum, generated, boolean and uri have values."
    )
    bad_example = '"url": "https://api.example.com/{{regoin}}/events"'
    good_example = '"url": "https://api.example.com/{{region}}/events"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        endpoint = _hook_endpoint(ctx)
        url = endpoint.get("url") if endpoint else None
        if not isinstance(url, str):
            return
        error = render_error(url, _endpoint_context(ctx.manifest))
        if error is not None:
            yield self.finding_in_string(
                ctx,
                f"{HOOK}/endpoint/url",
                error.offset,  # type: ignore[attr-defined]
                f"The endpoint URL does not render ({where(error)} of the URL): "
                f"{error.message}. Use only top-level form variables "  # type: ignore[attr-defined]
                "(`{{key}}`), `context.*` or `oauth.*`.",
            )


class EndpointHeaderRenders(Rule):
    id = "LD301"
    severity = Severity.ERROR
    title = "Audit-log endpoint header value does not render"
    upstream = True
    explanation = (
        "Every `auditLogEventsHook.endpoint.headers[].value` is rendered like the URL (see "
        "LD300); one that throws makes LaunchDarkly's validator reject the manifest."
    )
    bad_example = '{"name": "Authorization", "value": "Bearer {{apiTokn}}"}'
    good_example = '{"name": "Authorization", "value": "Bearer {{apiToken}}"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        endpoint = _hook_endpoint(ctx)
        headers = endpoint.get("headers") if endpoint else None
        if not isinstance(headers, list):
            return
        context: dict[str, object] | None = None
        for index, header in enumerate(headers):
            value = header.get("value") if isinstance(header, dict) else None
            if not isinstance(value, str):
                continue
            context = context or _endpoint_context(ctx.manifest)
            error = render_error(value, context)
            if error is not None:
                name = header.get("name") if isinstance(header, dict) else None
                label = f" '{name}'" if isinstance(name, str) else ""
                yield self.finding_in_string(
                    ctx,
                    f"{HOOK}/endpoint/headers/{index}/value",
                    error.offset,  # type: ignore[attr-defined]
                    f"The value of header{label} does not render ({where(error)} of the "
                    f"value): {error.message}. Use only top-level form variables "  # type: ignore[attr-defined]
                    "(`{{key}}`), `context.*` or `oauth.*`.",
                )


class EndpointHeadersRequired(Rule):
    id = "LD302"
    severity = Severity.ERROR
    title = "Audit-log endpoint has no headers"
    upstream = True
    explanation = (
        "The schema makes `headers` optional, but LaunchDarkly's validator iterates over "
        "`auditLogEventsHook.endpoint.headers` and crashes when it is missing, which rejects "
        "the manifest. Declare at least the Content-Type header."
    )
    bad_example = '"endpoint": {"url": "https://example.com/hook", "method": "POST"}'
    good_example = (
        '"endpoint": {"url": "https://example.com/hook", "method": "POST", '
        '"headers": [{"name": "Content-Type", "value": "application/json"}]}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        endpoint = _hook_endpoint(ctx)
        if endpoint is not None and "headers" not in endpoint:
            yield self.finding(
                ctx,
                f"{HOOK}/endpoint",
                "The audit-log endpoint has no `headers`; LaunchDarkly's validator crashes on "
                'it and rejects the manifest. Add `"headers": [{"name": "Content-Type", '
                '"value": "application/json"}]`.',
            )
