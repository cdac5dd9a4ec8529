"""The reference trigger: one webhook call in, one invocation result out.

LaunchDarkly documents what a trigger capability declares (pointers, a test
regexp, a default event name) but not exactly what the service does with a
body; docs/trigger-semantics.md fixes those gaps, and this package is the
single place that implements them: the data (`model.py`), the body
(`body.py`), parsing one event (`event.py`), Markdown in the entry
(`markdown.py`) and the entry itself (`history.py`). This module is the one
call, and the package's public names. It is pure: no files, no clock, no
globals that change. The caller passes the bytes, the timestamp and the
history, so `trigger`, `replay` and the sample rules all compute the same
thing from the same inputs.

Everything a body carries is hostile until proven otherwise: it may be huge,
deeply nested, not UTF-8, not JSON, or full of Markdown trying to smuggle a
link into the change history. Nothing here raises on a body.
"""

from __future__ import annotations

import json

from ldkit.trigger.event import parse_event
from ldkit.trigger.history import actor_name, build_entry
from ldkit.trigger.markdown import escape_markdown, link_target
from ldkit.trigger.model import (
    ACTIONS,
    DEFAULT_CONTENT_TYPE,
    RECENT_BODIES_KEPT,
    SCHEMA_DEFAULT_EVENT_NAME,
    SCHEMA_DEFAULT_TEST_REGEXP,
    Action,
    EventNameSource,
    InvocationResult,
    Outcome,
    ParsedEvent,
    TriggerConfig,
    TriggerHistory,
    TriggerRequest,
    TriggerSpec,
)

__all__ = [
    "ACTIONS",
    "DEFAULT_CONTENT_TYPE",
    "RECENT_BODIES_KEPT",
    "SCHEMA_DEFAULT_EVENT_NAME",
    "SCHEMA_DEFAULT_TEST_REGEXP",
    "Action",
    "EventNameSource",
    "InvocationResult",
    "Outcome",
    "ParsedEvent",
    "TriggerConfig",
    "TriggerHistory",
    "TriggerRequest",
    "TriggerSpec",
    "actor_name",
    "build_entry",
    "escape_markdown",
    "invoke",
    "link_target",
    "parse_event",
    "to_json",
]


def invoke(
    manifest: dict,
    integration_key: str,
    trigger: TriggerConfig,
    flag_on: bool,
    request: TriggerRequest,
    history: TriggerHistory | None = None,
    *,
    spec: TriggerSpec | None = None,
) -> InvocationResult:
    """One call to an enabled trigger. `spec` may be passed pre-read to save
    re-reading the manifest in a loop; without it, a manifest without a
    trigger capability behaves like one with every field at its default."""
    if spec is None:
        spec = TriggerSpec.from_manifest(manifest) or TriggerSpec()
    if history is None:
        history = TriggerHistory()
    event = parse_event(spec, request)
    recent = history.record(request.timestamp, event.json_body)
    entry = None
    if event.is_test:
        outcome: Outcome = "test-event"
        flag_on_after = flag_on
    elif flag_on == trigger.turns_on:
        outcome = "no-change"
        flag_on_after = flag_on
    else:
        outcome = "applied"
        flag_on_after = trigger.turns_on
        entry = build_entry(manifest, integration_key, trigger, event, request.timestamp)
    return InvocationResult(outcome, event, flag_on_after, history.trigger_count, recent, entry)


def to_json(result: dict[str, object], *, indent: int | None = 2) -> str:
    """Deterministic JSON text: UTF-8 where possible; a body holding lone
    surrogates (valid JSON escapes, not encodable) falls back to ASCII escapes
    so that the text can always be written."""
    separators = None if indent else (",", ":")
    text = json.dumps(result, ensure_ascii=False, indent=indent, separators=separators)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(result, ensure_ascii=True, indent=indent, separators=separators)
    return text + "\n"
