"""Akamai EdgeWorkers' edgeGridAuth header (S27–S29; only folder `akamai-edgeworkers`).

The `edgeGridAuth` Handlebars helper exists only on LaunchDarkly's servers and
signs requests without their body, so upstream pins the method and the exact
helper call for that one integration. Its test reads the two feature-store
endpoints unconditionally: a missing request or header makes it fail.
"""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import ABSENT, dig, member, pointer_of
from ldkit.rules.base import Rule, RuleContext

FOLDER = "akamai-edgeworkers"
REQUESTS = ("validationRequest", "featureStoreRequest")
HOST_PREFIX = "https://{{hostname}}"
HELPER_ARGUMENTS = (
    "hostname network namespaceId groupId _featureStoreKey clientSecret clientToken accessToken"
)


def _endpoints(ctx: RuleContext) -> Iterator[tuple[str, object]]:
    """(request name, its endpoint value or ABSENT)."""
    for request in REQUESTS:
        yield request, dig(ctx.manifest, "capabilities", "featureStore", request, "endpoint")


def expected_auth_header(method: str, url: str) -> str:
    """The header value upstream's test demands: the helper call with the method as
    written and the URL without its first `https://{{hostname}}`."""
    path = url.replace(HOST_PREFIX, "", 1)
    return f"{{{{edgeGridAuth '{method}' '{path}' {HELPER_ARGUMENTS}}}}}"


class _AkamaiRule(Rule):
    severity = Severity.ERROR
    upstream = True
    #: Whether this rule reports a missing endpoint (one rule does, not both).
    reports_missing = False

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.key != FOLDER or not isinstance(ctx.manifest, dict):
            return
        for request, endpoint in _endpoints(ctx):
            if endpoint is ABSENT:
                if not self.reports_missing:
                    continue
                yield self.finding(
                    ctx,
                    pointer_of("capabilities", "featureStore", request, "endpoint"),
                    f"capabilities.featureStore.{request}.endpoint is missing; LaunchDarkly's "
                    "Akamai EdgeWorkers test reads it and fails without it",
                )
                continue
            if isinstance(endpoint, dict):
                yield from self.check_endpoint(ctx, request, endpoint)

    def check_endpoint(self, ctx: RuleContext, request: str, endpoint: dict) -> Iterator[Finding]:
        return iter(())


class AkamaiNoPost(_AkamaiRule):
    id = "LD240"
    title = "Akamai EdgeWorkers requests cannot use POST"
    reports_missing = True
    explanation = (
        "Only for the folder `akamai-edgeworkers`: LaunchDarkly's `edgeGridAuth` helper signs "
        "requests without their body, so the featureStore `validationRequest` and "
        "`featureStoreRequest` endpoints must not use POST (any case). The test also fails when "
        "either endpoint is missing."
    )
    bad_example = '"featureStoreRequest": {"endpoint": {"method": "POST", ...}}'
    good_example = '"featureStoreRequest": {"endpoint": {"method": "PUT", ...}}'

    def check_endpoint(self, ctx: RuleContext, request: str, endpoint: dict) -> Iterator[Finding]:
        method = endpoint.get("method")
        if isinstance(method, str) and method.upper() == "POST":
            yield self.finding(
                ctx,
                pointer_of("capabilities", "featureStore", request, "endpoint", "method"),
                f"{request} uses POST, which the edgeGridAuth signature does not support "
                "(it cannot sign the body); use PUT or another method",
            )


class AkamaiEdgeGridHeader(_AkamaiRule):
    id = "LD241"
    title = "Akamai EdgeWorkers requests must sign with the expected edgeGridAuth call"
    explanation = (
        "Only for the folder `akamai-edgeworkers`: the first header of the featureStore "
        "`validationRequest` and `featureStoreRequest` endpoints must be exactly "
        "`{{edgeGridAuth '<METHOD>' '<URL without https://{{hostname}}>' hostname network "
        "namespaceId groupId _featureStoreKey clientSecret clientToken accessToken}}`, with the "
        "endpoint's own method and URL. LaunchDarkly's test compares the text (the helper only "
        "exists on its servers), and fails when the header is missing."
    )
    bad_example = (
        '"endpoint": {"method": "PUT", "url": "https://{{hostname}}/edgekv/v1/items", '
        '"headers": [{"name": "Authorization", "value": "{{edgeGridAuth \'PUT\' '
        "'/edgekv/v1/other' hostname network namespaceId groupId _featureStoreKey clientSecret "
        'clientToken accessToken}}"}]}'
    )
    good_example = (
        '"endpoint": {"method": "PUT", "url": "https://{{hostname}}/edgekv/v1/items", '
        '"headers": [{"name": "Authorization", "value": "{{edgeGridAuth \'PUT\' '
        "'/edgekv/v1/items' hostname network namespaceId groupId _featureStoreKey clientSecret "
        'clientToken accessToken}}"}]}'
    )

    def check_endpoint(self, ctx: RuleContext, request: str, endpoint: dict) -> Iterator[Finding]:
        base = ("capabilities", "featureStore", request, "endpoint")
        method, url = endpoint.get("method"), endpoint.get("url")
        if not isinstance(method, str) or not isinstance(url, str):
            return  # the schema reports a missing or mistyped method or url
        headers = member(endpoint, "headers")
        first = headers[0] if isinstance(headers, list) and headers else ABSENT
        value = member(first, "value")
        expected = expected_auth_header(method, url)
        if value is ABSENT:
            yield self.finding(
                ctx,
                pointer_of(*base, "headers") if headers is not ABSENT else pointer_of(*base),
                f"{request} needs the edgeGridAuth header first in its headers; add "
                f'{{"name": "Authorization", "value": {expected!r}}}',
            )
        elif value != expected:
            yield self.finding(
                ctx,
                pointer_of(*base, "headers", 0, "value"),
                f"the first {request} header must be exactly {expected!r} (the endpoint's "
                "method and its URL without https://{{hostname}})",
            )
