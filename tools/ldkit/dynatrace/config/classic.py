"""Read a classic Configuration API notification (`/api/config/v1/notifications`,
the `WebHookNotificationConfig` model): type `WEBHOOK`, name, active, url,
alertingProfile, acceptAnyCertificate, payload, headers (name and value) and
notifyEventMergesEnabled. The model has no secret URL, no secret header values
and, in the documented models, no `notifyClosedProblems`."""

from __future__ import annotations

from ldkit.dynatrace.config.jsonfields import JsonObject
from ldkit.dynatrace.config.model import Field, Form, Header, Webhook


def is_classic(value: dict) -> bool:
    return (
        value.get("type") == "WEBHOOK"
        and "webHookNotification" not in value
        and ("url" in value or "name" in value or "payload" in value)
    )


def read(obj: JsonObject, label: str) -> Webhook:
    headers = [
        Header(
            item.where(),
            item.get("name", str),
            item.get("value", str, nullable=True),
            Field("secret", item.where()),
            Field("secretValue", item.where()),
        )
        for item in obj.array("headers")
    ]
    return Webhook(
        form=Form.CLASSIC,
        label=label,
        where=obj.where(),
        name=obj.get("name", str),
        enabled=obj.get("active", bool),
        alerting_profile=obj.get("alertingProfile", str, nullable=True),
        url=obj.get("url", str),
        payload=obj.get("payload", str, whole=True),
        accept_any_certificate=obj.get("acceptAnyCertificate", bool),
        notify_closed_problems=(
            obj.get("notifyClosedProblems", bool) if "notifyClosedProblems" in obj.value else None
        ),
        notify_event_merges=obj.get("notifyEventMergesEnabled", bool),
        headers=headers,
        path=obj.document.path,
        classic_model=True,
    )
