"""LaunchDarkly's REST representations of what the store holds: triggers
(`TriggerWorkflowRep`), flags (`FeatureFlag`, `FeatureFlagConfig`), projects
and environments (`Project`, `Environment`), change-history entries
(`AuditLogEntryRep`), errors. Every field LaunchDarkly's OpenAPI models
require is present (tests check the answers against the official client's
models, in both directions). Field names follow LaunchDarkly's API (`_id`, `triggerURL`,
`_triggerCount`, `_recentTriggerBodies`, ...); ldkit's additions are named
as such (`headers` in a recent body: what the sender sent, credentials
redacted)."""

from __future__ import annotations

import hashlib

from ldkit.serve.security import obscure_trigger_url
from ldkit.serve.store import AuditRow, FlagState, RecentBody, TriggerRow

API = "/api/v2"
JSON_TYPE = "application/json"


def _link(href: str) -> dict[str, str]:
    return {"href": href, "type": JSON_TYPE}


def trigger_collection_path(project: str, flag: str, environment: str) -> str:
    return f"{API}/flags/{project}/{flag}/triggers/{environment}"


def trigger_url(url_base: str, trigger_id: str, secret: str) -> str:
    return f"{url_base}/webhook/triggers/{trigger_id}/{secret}"


def trigger_rep(
    row: TriggerRow,
    recent: list[RecentBody],
    url_base: str,
    *,
    secret: str | None = None,
) -> dict[str, object]:
    """`secret` is given only on create and on `cycleTriggerUrl`: the only
    answers that show the full URL."""
    rep: dict[str, object] = {
        "_id": row.id,
        "_version": row.version,
        "_creationDate": row.created,
        "enabled": row.enabled,
        "_integrationKey": row.integration_key,
        "instructions": [{"kind": row.action}],
        "_triggerCount": row.trigger_count,
        "_recentTriggerBodies": [
            {"timestamp": body.timestamp, "jsonBody": body.json_body, "headers": body.headers}
            for body in recent
        ],
        "triggerURL": (
            trigger_url(url_base, row.id, secret)
            if secret is not None
            else obscure_trigger_url(url_base, row.id)
        ),
        "_links": {
            "self": _link(
                f"{trigger_collection_path(row.project, row.flag, row.environment)}/{row.id}"
            )
        },
    }
    if row.last_triggered is not None:
        rep["_lastTriggeredAt"] = row.last_triggered
    return rep


def _derived_hex(*parts: str, length: int = 32) -> str:
    """A stable hexadecimal string derived from names: the identifiers
    LaunchDarkly's models require and ldkit serve has no use for (salts,
    environment and project ids, variation ids). Not secrets."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return (digest * 2)[:length]


def _uuid_shaped(raw: str) -> str:
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"


def flag_path(project: str, flag: str) -> str:
    return f"{API}/flags/{project}/{flag}"


def flag_config_rep(project: str, flag: str, state: FlagState) -> dict[str, object]:
    """One environment's part of a flag (`FeatureFlagConfig`): a boolean flag
    serving `true` when on (variation 0) and `false` when off (variation 1),
    with no targets or rules."""
    return {
        "on": state.on,
        "archived": False,
        "salt": _derived_hex("salt", project, flag, state.environment),
        "sel": _derived_hex("sel", project, flag, state.environment),
        "lastModified": state.last_modified,
        "version": state.version,
        "targets": [],
        "contextTargets": [],
        "rules": [],
        "fallthrough": {"variation": 0},
        "offVariation": 1,
        "prerequisites": [],
        "_site": {
            "href": f"/{project}/{state.environment}/features/{flag}",
            "type": "text/html",
        },
        "_environmentName": state.environment,
        "trackEvents": False,
        "trackEventsFallthrough": False,
    }


def flag_rep(
    project: str, flag: str, states: list[FlagState], environments: list[str] | None = None
) -> dict[str, object]:
    """A boolean flag (`FeatureFlag`). `states` holds every environment the
    flag has; `environments` restricts the `environments` member (LaunchDarkly's
    `env` parameter), None showing all. The flag's `_version` counts every
    change in any environment, starting at 1."""
    rep: dict[str, object] = {
        "name": flag,
        "kind": "boolean",
        "description": "",
        "key": flag,
        "_version": 1 + sum(state.version - 1 for state in states),
        "creationDate": min(state.created for state in states),
        "variations": [
            {"_id": _uuid_shaped(_derived_hex("variation", project, flag, "true")), "value": True},
            {
                "_id": _uuid_shaped(_derived_hex("variation", project, flag, "false")),
                "value": False,
            },
        ],
        "temporary": False,
        "tags": [],
        "_links": {
            "parent": _link(f"{API}/flags/{project}"),
            "self": _link(flag_path(project, flag)),
        },
        "experiments": {"baselineIdx": 0, "items": []},
        "customProperties": {},
        "archived": False,
        "deprecated": False,
    }
    rep["environments"] = {
        state.environment: flag_config_rep(project, flag, state)
        for state in states
        if environments is None or state.environment in environments
    }
    return rep


def environment_rep(project: str, environment: str) -> dict[str, object]:
    """An environment (`Environment`). Its SDK keys are derived from its name
    and work nowhere: ldkit serve has no SDK endpoints."""
    key_part = _uuid_shaped(_derived_hex("sdk", project, environment))
    return {
        "_links": {
            "self": _link(f"{API}/projects/{project}/environments/{environment}"),
        },
        "_id": _derived_hex("environment", project, environment, length=24),
        "key": environment,
        "name": environment,
        "apiKey": f"sdk-{key_part}",
        "mobileKey": f"mob-{key_part}",
        "color": _derived_hex("color", project, environment, length=6),
        "defaultTtl": 0,
        "secureMode": False,
        "defaultTrackEvents": False,
        "requireComments": False,
        "confirmChanges": False,
        "tags": [],
        "critical": False,
    }


def environments_rep(project: str, environments: list[str], total: int) -> dict[str, object]:
    return {
        "_links": {"self": _link(f"{API}/projects/{project}/environments")},
        "totalCount": total,
        "items": [environment_rep(project, key) for key in environments],
    }


def project_rep(project: str, environments: list[str] | None = None) -> dict[str, object]:
    """A project (`Project`); `environments` given when the request asked
    for them (`expand=environments`)."""
    rep: dict[str, object] = {
        "_links": {
            "environments": _link(f"{API}/projects/{project}/environments"),
            "flagDefaults": _link(f"{API}/projects/{project}/flag-defaults"),
            "flags": _link(f"{API}/flags/{project}"),
            "self": _link(f"{API}/projects/{project}"),
        },
        "_id": _derived_hex("project", project, length=24),
        "key": project,
        "includeInSnippetByDefault": False,
        "name": project,
        "tags": [],
    }
    if environments is not None:
        rep["environments"] = environments_rep(project, environments, len(environments))
    return rep


def resource_specifier(row: AuditRow) -> str:
    return f"proj/{row.project}:env/{row.environment}:flag/{row.flag}"


def audit_rep(row: AuditRow, *, detailed: bool = False) -> dict[str, object]:
    resource = resource_specifier(row)
    rep: dict[str, object] = {
        "_links": {"self": _link(f"{API}/auditlog/{row.id}")},
        "_id": row.id,
        "_accountId": "ldkit-serve",
        "date": row.date,
        "accesses": [{"action": row.action, "resource": resource}],
        "kind": "flag",
        "name": row.flag,
        "description": row.description,
        "shortDescription": row.short_description,
        "titleVerb": row.title_verb,
        "title": row.title,
        "subject": {"name": str(row.actor.get("name", ""))},
        "target": {"name": row.flag, "resources": [resource]},
    }
    if detailed:
        rep["triggerBody"] = row.trigger_body
    return rep


def error_rep(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}
