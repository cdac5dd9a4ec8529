"""The reference trigger's data: the trigger as configured, one call, the
history LaunchDarkly keeps, the parts of a manifest the parser reads, and
what one call produces (docs/trigger-semantics.md)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from ldkit.core.findings import Finding

Action = Literal["turnFlagOn", "turnFlagOff"]
Outcome = Literal["applied", "test-event", "no-change"]
EventNameSource = Literal["body", "defaultEventName", "schemaDefault"]

SCHEMA_DEFAULT_EVENT_NAME = "An alert"
SCHEMA_DEFAULT_TEST_REGEXP = ".*[Tt][Ee][Ss][Tt].*"
RECENT_BODIES_KEPT = 10
DEFAULT_CONTENT_TYPE = "application/json"


ACTIONS: tuple[str, ...] = ("turnFlagOn", "turnFlagOff")


@dataclass(frozen=True)
class TriggerConfig:
    """The trigger as a user configured it in LaunchDarkly: one flag, one
    environment, one action."""

    action: Action = "turnFlagOff"
    flag: str = "example-flag"
    environment: str = "production"

    @property
    def turns_on(self) -> bool:
        return self.action == "turnFlagOn"


@dataclass(frozen=True)
class TriggerRequest:
    """One HTTP call to the trigger URL. `source` names where the body came
    from; it becomes the `path` of every warning about the body."""

    body: bytes
    timestamp: int
    content_type: str = DEFAULT_CONTENT_TYPE
    source: str = "<body>"


@dataclass
class TriggerHistory:
    """What LaunchDarkly keeps per trigger: the run count and the most recent
    bodies, newest first. Carried across calls by the caller."""

    trigger_count: int = 0
    recent: deque[dict[str, object]] = field(
        default_factory=lambda: deque(maxlen=RECENT_BODIES_KEPT)
    )

    def record(self, timestamp: int, json_body: dict[str, object] | None) -> dict[str, object]:
        entry: dict[str, object] = {"timestamp": timestamp, "jsonBody": json_body}
        self.trigger_count += 1
        self.recent.appendleft(entry)
        return entry


@dataclass(frozen=True)
class TriggerSpec:
    """The parts of a manifest's `trigger` capability the parser uses, read
    defensively: wrong types count as absent (the schema reports them)."""

    event_name_pointer: str | None = None
    value_pointer: str | None = None
    url_pointer: str | None = None
    default_event_name: str | None = None
    test_regexp: str | None = None

    @classmethod
    def from_manifest(cls, manifest: object) -> TriggerSpec | None:
        """None when the manifest has no usable `capabilities.trigger` object."""
        if not isinstance(manifest, dict):
            return None
        capabilities = manifest.get("capabilities")
        trigger = capabilities.get("trigger") if isinstance(capabilities, dict) else None
        if not isinstance(trigger, dict):
            return None
        parser = trigger.get("parser")
        parser = parser if isinstance(parser, dict) else {}

        def text(container: dict[str, object], key: str) -> str | None:
            value = container.get(key)
            return value if isinstance(value, str) else None

        return cls(
            event_name_pointer=text(parser, "eventName"),
            value_pointer=text(parser, "value"),
            url_pointer=text(parser, "url"),
            default_event_name=text(trigger, "defaultEventName"),
            test_regexp=text(trigger, "testEventNameRegexp"),
        )


@dataclass(frozen=True)
class ParsedEvent:
    """What the parser reads out of one body, before any flag logic."""

    json_body: dict[str, object] | None
    event_name: str
    event_name_source: EventNameSource
    value: object
    url: str | None
    is_test: bool
    warnings: tuple[Finding, ...]


@dataclass
class InvocationResult:
    outcome: Outcome
    event: ParsedEvent
    flag_on_after: bool
    trigger_count: int
    recent_trigger_body: dict[str, object]
    entry: dict[str, object] | None

    def to_dict(self) -> dict[str, object]:
        """The result JSON, keys in the order of docs/trigger-semantics.md."""
        event = self.event
        return {
            "outcome": self.outcome,
            "eventName": event.event_name,
            "eventNameSource": event.event_name_source,
            "value": event.value,
            "url": event.url,
            "isTest": event.is_test,
            "flagOnAfter": self.flag_on_after,
            "triggerCount": self.trigger_count,
            "recentTriggerBody": self.recent_trigger_body,
            "entry": self.entry,
            "warnings": [w.to_dict() for w in event.warnings],
        }
