"""Sample audit-log events and the render contexts LaunchDarkly's validator builds.

The four JSON files here are ldkit's own sample events (flag, project,
environment, member), shaped like the events LaunchDarkly sends to an
`auditLogEventsHook` with invented values. Their
*character classes* deliberately follow upstream's samples field by field
(quotes only in `title.html`, a `null` where upstream has one), so a template
that renders to valid JSON upstream renders to valid JSON here too: a sample
that was "harder" than upstream's would turn accepted manifests into false
errors.

The context builders reproduce those of LaunchDarkly's validator (`__tests__/`
and `helpers/` in https://github.com/launchdarkly/integration-framework):
synthesised form-variable values,
the OAuth object, the endpoint context, the template context (JSON-escaped for
JSON templates) and the flagLink context.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ldkit.javascript import truthy

_HERE = Path(__file__).resolve().parent

#: Which sample event each audit-log template kind is rendered against upstream.
SAMPLE_FOR_TEMPLATE = {
    "flag": "flag",
    "default": "flag",
    "project": "project",
    "environment": "environment",
    "validation": "environment",
    "member": "member",
}

OAUTH_CONTEXT = {"baseURI": "$OAUTH_BASE_URI", "accessToken": "$OAUTH_ACCESS_TOKEN"}
DEEP_LINK = "https://exampleDeeplink.com"


@cache
def _load(kind: str) -> str:
    from ldkit.fs import read_text

    return read_text(_HERE / f"{kind}.json", root=_HERE)


def sample_event(kind: str) -> dict[str, object]:
    """A fresh copy of the sample event (`flag`, `project`, `environment`, `member`)."""
    return json.loads(_load(kind))


@cache
def _escaped_event(kind: str) -> str:
    return json.dumps(json_escape(json.loads(_load(kind))))


def json_escape(value: object) -> object:
    """Upstream's `json-escape`: each string becomes `JSON.stringify(s)` minus the
    quotes, recursively; other values pass through."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)[1:-1]
    if isinstance(value, list):
        return [json_escape(item) for item in value]
    if isinstance(value, dict):
        return {key: json_escape(item) for key, item in value.items()}
    return value


def is_json_name(path: str) -> bool:
    """Upstream checks JSON output when the file name ends `.json` or `.json.hbs`."""
    lowered = path.lower()
    return lowered.endswith(".json") or lowered.endswith(".json.hbs")


#: Form-variable types that are valid but get no synthesised value upstream.
UNVALUED_TYPES = frozenset({"oauth", "environmentSelector", "multiselect", "publicKey"})


def form_variable_values(manifest: object) -> dict[str, object]:
    """Values of the top-level form variables as the validator synthesises them.

    Types without a synthesised value (oauth, environmentSelector, multiselect,
    publicKey) are left out, so a template that reads one fails to render, as
    it does upstream. A type the schema does not know (`"password"`) is a schema
    error (LD104) already; its variable still counts as defined, so that one
    mistake draws one finding rather than a second "is not defined" wherever the
    variable is used.
    """
    values: dict[str, object] = {}
    variables = manifest.get("formVariables") if isinstance(manifest, dict) else None
    if not isinstance(variables, list):
        return values
    for variable in variables:
        if not isinstance(variable, dict):
            continue
        key = variable.get("key")
        kind = variable.get("type")
        if not isinstance(key, str):
            continue
        if not isinstance(kind, str):
            # The schema reports the type; templates still see the variable,
            # so its uses draw no second finding.
            values[key] = key
        elif kind in ("string", "enum", "dynamicEnum", "generated"):
            values[key] = key
        elif kind == "boolean":
            values[key] = True
        elif kind == "uri":
            values[key] = f"https://{key}.com"
        elif kind not in UNVALUED_TYPES:
            values[key] = key
    return values


def oauth_context(manifest: object) -> dict[str, str] | None:
    requires = manifest.get("requiresOAuth") if isinstance(manifest, dict) else None
    return dict(OAUTH_CONTEXT) if truthy(requires) else None


def endpoint_context(manifest: object) -> dict[str, object]:
    """For endpoint URLs and header values: form variables at the root, plus
    `context` (the flag sample event, not escaped) and `oauth`."""
    context: dict[str, object] = dict(form_variable_values(manifest))
    context["context"] = sample_event("flag")
    context["oauth"] = oauth_context(manifest)
    return context


def template_context(manifest: object, kind: str, *, escape_json: bool) -> dict[str, object]:
    """For an audit-log template of `kind`: the sample event at the root (JSON-escaped
    for JSON templates) plus `formVariables` = the form values and `oauth`."""
    sample = SAMPLE_FOR_TEMPLATE.get(kind, "flag")
    event = json.loads(_escaped_event(sample)) if escape_json else sample_event(sample)
    form = dict(form_variable_values(manifest))
    form["oauth"] = oauth_context(manifest)
    event["formVariables"] = form
    return event


def flag_link_context(flag_link: object) -> dict[str, object]:
    """For flagLink UI blocks: `deepLink` and one synthesised value per `metadata` key."""
    metadata: dict[str, object] = {}
    declared = flag_link.get("metadata") if isinstance(flag_link, dict) else None
    if isinstance(declared, dict):
        for key, spec in declared.items():
            kind = spec.get("type") if isinstance(spec, dict) else None
            if kind == "uri":
                metadata[key] = f"https://{key}.com"
            elif kind == "string":
                metadata[key] = "$" + key.upper()
    return {"deepLink": DEEP_LINK, "metadata": metadata}
