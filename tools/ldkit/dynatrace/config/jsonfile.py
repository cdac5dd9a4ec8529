"""Read a JSON configuration file: Settings 2.0 objects (one, a list, a `GET`
answer's `items`, or just a `value`) or classic Configuration API
notifications, told apart object by object."""

from __future__ import annotations

from ldkit.dynatrace.config import classic, rules, settings
from ldkit.dynatrace.config.jsonfields import JsonObject
from ldkit.dynatrace.config.model import ConfigFile, Form, Webhook
from ldkit.load.jsonpos import Document, load_bytes
from ldkit.load.pointer import child, resolve


def _objects(document: Document) -> list[tuple[str, str]]:
    """(pointer, label) of each candidate object."""
    value = document.value
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        count = len(value["items"])
        return [(child("/items", i), f"notification items[{i}]") for i in range(count)]
    if isinstance(value, list):
        return [(child("", i), f"notification [{i}]") for i in range(len(value))]
    return [("", "the notification")]


def read_document(document: Document, findings: list) -> ConfigFile:
    result = ConfigFile(document.path, document.text, None, findings=findings)
    skipped = 0
    for pointer, label in _objects(document):
        obj = JsonObject(document, pointer, result.findings)
        value = resolve(document.value, pointer)
        if not isinstance(value, dict):
            result.findings.append(
                document.finding(
                    rules.NotAWebhook.id,
                    rules.NotAWebhook.severity,
                    f"{label} is not an object; expected a Settings 2.0 object of schema "
                    f"{settings.SCHEMA_ID} or a classic notification",
                    pointer,
                )
            )
            continue
        hook: Webhook | None | str
        if "value" in value or settings.is_value(value):
            hook = settings.read_object(obj, label)
        elif classic.is_classic(value):
            hook = classic.read(obj, label)
        elif isinstance(value.get("type"), str) and value.get("type") != settings.WEBHOOK_TYPE:
            hook = None  # a classic notification of another type (SLACK, EMAIL, ...)
        else:
            hook = (
                "it has none of the keys of a Settings 2.0 object (schemaId, value, "
                "displayName, webHookNotification) or of a classic WEBHOOK notification "
                "(type, name, url, payload)"
            )
        if isinstance(hook, str):
            result.findings.append(
                document.finding(
                    rules.NotAWebhook.id,
                    rules.NotAWebhook.severity,
                    f"{label} is not read: {hook}",
                    pointer,
                )
            )
        elif hook is None:
            skipped += 1
        else:
            result.webhooks.append(hook)
    if not result.webhooks and not result.findings:
        result.findings.append(
            document.finding(
                rules.NotAWebhook.id,
                rules.NotAWebhook.severity,
                "no webhook notification (type WEBHOOK, Dynatrace's custom integration) in "
                f"this file{f'; {skipped} other notification types skipped' if skipped else ''}",
                "",
            )
        )
    result.form = result.webhooks[0].form if result.webhooks else Form.SETTINGS
    return result


def read(path: str, data: bytes) -> ConfigFile:
    loaded = load_bytes(data, path)
    if not loaded.ok:
        return ConfigFile(path, loaded.document.text, None, findings=list(loaded.findings))
    return read_document(loaded.document, list(loaded.findings))
