"""The audit-log endpoint's HMAC secret and error bodies from templated hosts.

Both checks look up form variables in the top-level `formVariables` only, and
both crash upstream when that list is missing; a crash is a failed test, so
those cases are errors here too. Rendering the URL
and headers (S4a/b) belongs to the template rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import ABSENT, dig, js_truthy, member, pointer_of
from ldkit.rules.base import Rule, RuleContext

HOOK = ("capabilities", "auditLogEventsHook")
ENDPOINT = (*HOOK, "endpoint")


def _top_level_variables(manifest: object) -> list | None:
    """The top-level form variables, or None when upstream would crash on them
    (absent or null). A non-list value is the schema's finding: treated as []."""
    value = member(manifest, "formVariables")
    if value is ABSENT or value is None:
        return None
    return value if isinstance(value, list) else []


def _variable(variables: list, key: str) -> tuple[int, dict] | None:
    for index, item in enumerate(variables):
        if isinstance(item, dict) and item.get("key") == key:
            return index, item
    return None


class HmacSecretVariable(Rule):
    id = "LD208"
    severity = Severity.ERROR
    title = "hmacSignature must name a secret string form variable"
    upstream = True
    explanation = (
        "With `auditLogEventsHook.endpoint.hmacSignature`, LaunchDarkly signs each request with "
        "the value of the form variable named by `hmacSecretFormVariableKey`. Its tests require "
        'that variable in the top-level `formVariables`, with `type: "string"` and '
        "`isSecret: true`; a manifest with hmacSignature but no top-level formVariables makes "
        "the test crash, which fails it too."
    )
    bad_example = (
        '"hmacSignature": {"headerName": "X-Signature", "hmacSecretFormVariableKey": "secret"}'
        '   // no form variable "secret"'
    )
    good_example = (
        '"formVariables": [{"key": "secret", "name": "Signing secret", "type": "string", '
        '"description": "...", "isSecret": true}], ... "hmacSignature": {"headerName": '
        '"X-Signature", "hmacSecretFormVariableKey": "secret"}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        if not js_truthy(dig(manifest, *ENDPOINT)):
            return
        hmac = dig(manifest, *ENDPOINT, "hmacSignature")
        if not isinstance(hmac, dict):
            return  # absent, or a type the schema reports
        hmac_pointer = pointer_of(*ENDPOINT, "hmacSignature")
        variables = _top_level_variables(manifest)
        if variables is None:
            yield self.finding(
                ctx,
                hmac_pointer,
                "hmacSignature needs its secret as a top-level form variable, but the manifest "
                'has no "formVariables"; add a string form variable with "isSecret": true and '
                "name it in hmacSecretFormVariableKey",
            )
            return
        key = member(hmac, "hmacSecretFormVariableKey")
        if not isinstance(key, str):
            if key is ABSENT:
                yield self.finding(
                    ctx,
                    hmac_pointer,
                    "hmacSignature has no hmacSecretFormVariableKey; name the secret string "
                    "form variable that holds the signing secret",
                )
            return
        found = _variable(variables, key)
        key_pointer = pointer_of(*ENDPOINT, "hmacSignature", "hmacSecretFormVariableKey")
        if found is None:
            yield self.finding(
                ctx,
                key_pointer,
                f"hmacSecretFormVariableKey {key!r} names no top-level form variable; add "
                f'{{"key": {json.dumps(key)}, "type": "string", "isSecret": true, ...}} '
                "to formVariables",
            )
            return
        index, variable = found
        if variable.get("type") != "string":
            yield self.finding(
                ctx,
                pointer_of("formVariables", index, "type"),
                f"form variable {key!r} holds the HMAC signing secret, so its type must be "
                f'"string" (it is {variable.get("type")!r})',
            )
        elif variable.get("isSecret") is not True:
            pointer = pointer_of("formVariables", index)
            if "isSecret" in variable:
                pointer = pointer_of("formVariables", index, "isSecret")
            yield self.finding(
                ctx,
                pointer,
                f'form variable {key!r} holds the HMAC signing secret; set "isSecret": true',
            )


_SPECIAL_SCHEMES = frozenset({"ftp:", "http:", "https:", "ws:", "wss:"})
_PROTOCOL = re.compile(r"([a-z][a-z0-9.+-]*:)?(//)?([\\/]+)?(.*)", re.IGNORECASE | re.DOTALL)
_LEADING_JUNK = re.compile(
    r"^[\x00-\x20\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
)
_PORT = re.compile(r":(\d*)$")
_HOST_WORD = re.compile(r"{{(\w+)}}", re.ASCII)
_HOST_ANY = re.compile(r"{{[{&~#]?\s*([\w.$@-]+)\s*~?}}}?", re.ASCII)


def url_hostname(url: str) -> str:
    """The hostname the `url-parse` package (1.5) gives for a URL, lower-cased.

    Upstream's S7b runs on that value, so we follow its rules rather than
    Python's: an address without scheme and `//` is relative and has no host
    (`{{url}}/api` -> ""), and the host is what is left after removing the
    fragment, query, path, credentials and a numeric port.
    """
    address = _LEADING_JUNK.sub("", url).replace("\t", "").replace("\n", "").replace("\r", "")
    match = _PROTOCOL.match(address)
    assert match is not None  # the pattern matches any string
    protocol = (match.group(1) or "").lower()
    forward = match.group(2) or ""
    other = match.group(3) or ""
    special = protocol in _SPECIAL_SCHEMES
    if not protocol or protocol == "file:" or not (special or forward):
        # No scheme (even with a leading `//`), a file URL, or an unknown scheme
        # without `//`: url-parse keeps the whole rest as the path.
        return ""
    rest = match.group(4) if special else other + match.group(4)
    if special:
        rest = rest.replace("\\", "/")
    for mark in ("#", "?"):
        cut = rest.find(mark)
        if cut >= 0:
            rest = rest[:cut]
    cut = rest.find("/")
    if cut >= 0:
        rest = rest[:cut]
    at = rest.rfind("@")
    if at >= 0:
        rest = rest[at + 1 :]
    port = _PORT.search(rest)
    if port:
        rest = rest[: port.start()]
    return rest.lower()


def _leading_name(url: str) -> str:
    """JavaScript `url.substring(2, url.indexOf('}'))`: upstream's guess at the host
    variable of a URL that starts with `{{`."""
    end = url.find("}")
    start, stop = 2, max(end, 0)
    if stop < start:
        start, stop = stop, start
    return url[start:stop]


def _host_variable_problem(variables: list, name: str) -> tuple[int, str] | None:
    found = _variable(variables, name)
    if found is None:
        return None
    index, variable = found
    kind = variable.get("type")
    return None if kind == "enum" else (index, kind if isinstance(kind, str) else "?")


class _ErrorBodyRule(Rule):
    upstream = True

    def applies(self, ctx: RuleContext) -> str | None:
        """The endpoint URL when upstream's S7 runs for this manifest."""
        if not js_truthy(dig(ctx.manifest, *HOOK, "includeErrorResponseBody")):
            return None
        url = dig(ctx.manifest, *ENDPOINT, "url")
        return url if isinstance(url, str) and url else None


class ErrorBodyFromTemplatedHost(_ErrorBodyRule):
    id = "LD209"
    severity = Severity.ERROR
    title = "includeErrorResponseBody with a host taken from a form variable"
    explanation = (
        "`includeErrorResponseBody: true` shows the endpoint's error responses to users, so "
        "LaunchDarkly only allows it when the host is fixed, or chosen from an `enum` form "
        "variable. Its test: when the URL starts with `{{name}}`, a top-level form variable "
        "`name` must be an enum; when the host contains `{{word}}`, the test always fails (it "
        "crashes), unless the top-level `formVariables` list is empty; and either case fails "
        "when the manifest has no top-level `formVariables` key at all."
    )
    bad_example = (
        '"formVariables": [{"key": "host", "type": "uri", ...}], ... "endpoint": {"url": '
        '"{{host}}/api/events", ...}, "includeErrorResponseBody": true'
    )
    good_example = (
        '"formVariables": [{"key": "host", "type": "enum", "allowedValues": '
        '["https://api.example.com", "https://api.eu.example.com"], ...}], ... "endpoint": '
        '{"url": "{{host}}/api/events", ...}, "includeErrorResponseBody": true'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        url = self.applies(ctx)
        if url is None:
            return
        flag_pointer = pointer_of(*HOOK, "includeErrorResponseBody")
        url_pointer = pointer_of(*ENDPOINT, "url")
        variables = _top_level_variables(ctx.manifest)
        if url.startswith("{{"):
            if variables is None:
                yield self.finding(
                    ctx,
                    url_pointer,
                    "the endpoint URL starts with a template and includeErrorResponseBody is "
                    "true, but there are no top-level formVariables to check the host variable "
                    "against (LaunchDarkly's test fails); add the host as an enum form variable "
                    "or set includeErrorResponseBody to false",
                )
                return
            problem = _host_variable_problem(variables, _leading_name(url))
            if problem is not None:
                index, kind = problem
                yield self.finding(
                    ctx,
                    flag_pointer,
                    f"includeErrorResponseBody is true, but the endpoint host comes from form "
                    f"variable {_leading_name(url)!r} of type {kind!r}; LaunchDarkly requires an "
                    "enum (a fixed list of hosts): make it an enum with allowedValues or set "
                    "includeErrorResponseBody to false",
                )
                return
        hostname = url_hostname(url)
        if "{{" not in hostname:
            return
        if variables is None:
            yield self.finding(
                ctx,
                url_pointer,
                "the endpoint host is templated and includeErrorResponseBody is true, but there "
                "are no top-level formVariables (LaunchDarkly's test fails); use a fixed host or "
                "set includeErrorResponseBody to false",
            )
        elif variables and _HOST_WORD.search(hostname):
            yield self.finding(
                ctx,
                flag_pointer,
                f"includeErrorResponseBody is true and the endpoint host {hostname!r} is "
                "templated; LaunchDarkly's test rejects any {{variable}} in the host name "
                "(it fails even for an enum); use a fixed host or set includeErrorResponseBody "
                "to false",
            )


class ErrorBodyFromSpacedTemplateHost(_ErrorBodyRule):
    id = "LD210"
    severity = Severity.WARNING
    title = "includeErrorResponseBody with a host variable upstream's check does not see"
    upstream = False
    explanation = (
        "LaunchDarkly's check for templated hosts (LD209) reads the variable name literally, so "
        "`{{ host }}` (with spaces), `{{{host}}}` or a host it cannot parse slip through, and "
        "error responses from a user-chosen host are shown. Accepted upstream (the public "
        "`last9` manifest relies on it), so a warning: prefer a fixed host or an `enum` form "
        "variable for the host."
    )
    bad_example = (
        '"formVariables": [{"key": "endpointUrl", "type": "uri", ...}], ... "url": '
        '"{{ endpointUrl }}/api", "includeErrorResponseBody": true'
    )
    good_example = (
        '"formVariables": [{"key": "endpointUrl", "type": "enum", "allowedValues": [...], ...}],'
        ' ... "url": "{{endpointUrl}}/api", "includeErrorResponseBody": true'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        url = self.applies(ctx)
        if url is None:
            return
        variables = _top_level_variables(ctx.manifest)
        if not variables:
            return  # LD209 reports the missing list; no variable to name otherwise
        if any(
            f.rule == ErrorBodyFromTemplatedHost.id for f in ErrorBodyFromTemplatedHost().check(ctx)
        ):
            return
        names: list[str] = []
        if url.startswith("{{"):
            match = _HOST_ANY.match(url)
            if match:
                names.append(match.group(1))
        names.extend(_HOST_ANY.findall(url_hostname(url)))
        for name in dict.fromkeys(names):
            problem = _host_variable_problem(variables, name)
            if problem is None:
                continue
            yield self.finding(
                ctx,
                pointer_of(*HOOK, "includeErrorResponseBody"),
                f"includeErrorResponseBody is true and the endpoint host comes from form "
                f"variable {name!r} of type {problem[1]!r}; LaunchDarkly's check misses the way "
                "it is written, but error responses from a user-chosen host will be shown: make "
                f"{name!r} an enum with allowedValues or set includeErrorResponseBody to false",
            )
            return
