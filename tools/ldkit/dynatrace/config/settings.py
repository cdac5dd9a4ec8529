"""Read Settings 2.0 `builtin:problem.notifications` objects.

Accepted shapes, as teams keep them: one settings object (`schemaId`, `scope`,
`value`), a list of them (the body of `POST /api/v2/settings/objects`), the
`items` of a `GET` answer, or just the `value`. Only objects of type `WEBHOOK`
(Dynatrace's "Custom integration") become webhooks; other notification types
in the same list are not this command's business and are skipped.
"""

from __future__ import annotations

from ldkit.dynatrace.config.jsonfields import JsonObject
from ldkit.dynatrace.config.model import Form, Header, OAuth, Webhook

SCHEMA_ID = "builtin:problem.notifications"
WEBHOOK_TYPE = "WEBHOOK"


def is_value(value: dict) -> bool:
    """A settings `value`: it has the webhook sub-object or a display name."""
    return "webHookNotification" in value or "displayName" in value


def read_value(obj: JsonObject, label: str, form: Form = Form.SETTINGS) -> Webhook | None:
    """The webhook in a settings `value`, or None for another notification type."""
    kind = obj.value.get("type", WEBHOOK_TYPE)
    if kind != WEBHOOK_TYPE:
        return None
    # Without the sub-object every webhook field is missing and belongs in `value`.
    inner = obj.object("webHookNotification") or obj.empty()
    headers = [
        Header(
            item.where(),
            item.get("name", str),
            item.get("value", str, nullable=True),
            item.get("secret", bool, nullable=True),
            item.get("secretValue", str, nullable=True),
        )
        for item in inner.array("headers")
    ]
    credentials = inner.object("oAuth2Credentials")
    oauth = (
        OAuth(
            credentials.where(),
            credentials.get("accessTokenUrl", str),
            credentials.get("clientId", str),
            credentials.get("clientSecret", str),
        )
        if credentials is not None
        else None
    )
    return Webhook(
        form=form,
        label=label,
        where=obj.where(),
        name=obj.get("displayName", str),
        enabled=obj.get("enabled", bool),
        alerting_profile=obj.get("alertingProfile", str, nullable=True),
        url=inner.get("url", str, nullable=True),
        payload=inner.get("payload", str, whole=True),
        accept_any_certificate=inner.get("acceptAnyCertificate", bool),
        notify_closed_problems=inner.get("notifyClosedProblems", bool),
        notify_event_merges=inner.get("notifyEventMergesEnabled", bool),
        url_contains_secret=inner.get("urlContainsSecret", bool, nullable=True),
        secret_url=inner.get("secretUrl", str, nullable=True),
        headers=headers,
        use_oauth2=inner.get("useOAuth2", bool, nullable=True),
        oauth=oauth,
        path=obj.document.path,
    )


def read_object(obj: JsonObject, label: str) -> Webhook | None | str:
    """A settings object or a bare value. Returns the webhook, None for another
    notification type, or a reason string when the object is of another schema."""
    if "value" in obj.value and isinstance(obj.value["value"], dict):
        schema = obj.value.get("schemaId", SCHEMA_ID)
        if schema != SCHEMA_ID:
            return f"its schemaId is {schema!r}, not {SCHEMA_ID!r}"
        value = obj.object("value")
        return read_value(value, label) if value is not None else None
    return read_value(obj, label)
