"""The change-history entry LaunchDarkly records when a trigger changes a flag:
its title, its Markdown description and the fields around them."""

from __future__ import annotations

from ldkit.trigger.markdown import escape_markdown, link_target, markdown_text
from ldkit.trigger.model import ParsedEvent, TriggerConfig


def actor_name(manifest: object, integration_key: str) -> str:
    name = manifest.get("name") if isinstance(manifest, dict) else None
    return f"{name if isinstance(name, str) and name else integration_key} trigger"


def entry_title(actor: str, verb: str, flag: str, environment: str) -> str:
    """`Acme trigger turned off the flag checkout in production`."""
    return f"{actor} {verb} the flag {flag} in {environment}"


def entry_description(event_name: str, url: str | None, value: object) -> str:
    """The event name, a link when the body carried a safe URL, and the value
    on its own paragraph when there is one; all text Markdown-escaped."""
    name = escape_markdown(event_name)
    text = f"[{name}]({link_target(url)})" if url else name
    if value is not None:
        text += f"\n\nValue: {markdown_text(value)}"
    return text


def build_entry(
    manifest: object,
    integration_key: str,
    trigger: TriggerConfig,
    event: ParsedEvent,
    timestamp: int,
) -> dict[str, object]:
    actor = actor_name(manifest, integration_key)
    verb = "turned on" if trigger.turns_on else "turned off"
    return {
        "date": timestamp,
        "kind": "flag",
        "action": "updateOn",
        "actor": {"kind": "trigger", "integrationKey": integration_key, "name": actor},
        "target": {"flag": trigger.flag, "environment": trigger.environment},
        "titleVerb": verb,
        "title": entry_title(actor, verb, trigger.flag, trigger.environment),
        "eventName": event.event_name,
        "value": event.value,
        "url": event.url,
        "description": entry_description(event.event_name, event.url, event.value),
        "triggerBody": event.json_body,
    }
