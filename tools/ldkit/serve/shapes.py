"""LaunchDarkly's REST representations of what the store holds: triggers
(`TriggerWorkflowRep`), flags, change-history entries (`AuditLogEntryRep`),
errors. Field names follow LaunchDarkly's API (`_id`, `triggerURL`,
`_triggerCount`, `_recentTriggerBodies`, ...); ldkit's additions are named
as such (`headers` in a recent body: what the sender sent, credentials
redacted)."""

from __future__ import annotations

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


def flag_rep(project: str, flag: str, states: list[FlagState]) -> dict[str, object]:
    return {
        "key": flag,
        "name": flag,
        "kind": "boolean",
        "_links": {"self": _link(f"{API}/flags/{project}/{flag}")},
        "environments": {
            state.environment: {
                "on": state.on,
                "_environmentName": state.environment,
                "_lastModified": state.last_modified,
                "_version": state.version,
            }
            for state in states
        },
    }


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
