"""Why did the flag flip, or not: each recent trigger call, replayed and explained.

LaunchDarkly keeps, per trigger, the count and the most recent bodies; the
change history (audit log) keeps every time the flag was turned on or off.
This module puts them together, pure (no network, no clock): the calls of
every trigger on the flag are walked in time order with the flag's state as
the history says it was, and each body goes through `ldkit.trigger.core.invoke`
— the same function `ldkit trigger` and `ldkit serve` run — so the outcome
named here is the one the trigger core computes, checked against the history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ldkit.trigger.core import (
    ACTIONS,
    SCHEMA_DEFAULT_TEST_REGEXP,
    TriggerConfig,
    TriggerHistory,
    TriggerRequest,
    TriggerSpec,
    invoke,
)
from ldkit.trigger.rules import TriggerBodyNotAnObject, TriggerUrlRejected

Outcome = Literal["applied", "no-change", "test-event", "disabled", "unknown"]

# A trigger-made change-history entry belongs to the call whose body it
# carries within this window; without a body to compare, within MATCH_CLOSE_MS.
MATCH_WINDOW_MS = 60_000
MATCH_CLOSE_MS = 5_000
# The latest millisecond a clock can show (9999-12-31): timestamps outside
# 0..LATEST_MS are not times, whatever the API says.
LATEST_MS = 253_402_300_799_999


def _millis(value: object) -> int | None:
    """`value` as a time in milliseconds since 1970, or None when it is none
    (not an integer, JSON true/false, or outside what a date can show)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= LATEST_MS else None


@dataclass(frozen=True)
class Toggle:
    """A change-history entry that turned the flag on or off."""

    id: str
    date: int
    on: bool
    title: str
    trigger_body: object = None
    from_trigger: bool = False


@dataclass(frozen=True)
class LoadedManifest:
    """What replaying needs from an integration's manifest."""

    key: str
    manifest: dict
    spec: TriggerSpec
    source: str


ManifestLookup = Callable[[str], "LoadedManifest | str"]
"""Integration key -> its manifest, or the reason it cannot be had."""


@dataclass
class Call:
    timestamp: int
    json_body: object
    event_name: str | None = None
    is_test: bool | None = None
    outcome: Outcome = "unknown"
    reason: str = ""
    flag_on_before: bool | None = None
    flag_on_after: bool | None = None
    entry: str | None = None
    warnings: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "timestamp": self.timestamp,
            "eventName": self.event_name,
            "isTest": self.is_test,
            "outcome": self.outcome,
            "reason": self.reason,
            "flagOnBefore": self.flag_on_before,
            "flagOnAfter": self.flag_on_after,
            "entry": self.entry,
            "warnings": self.warnings,
            "fixes": self.fixes,
            "jsonBody": self.json_body,
        }


@dataclass
class TriggerReport:
    id: str
    integration_key: str
    action: str | None
    enabled: bool
    trigger_count: int | None
    manifest: str | None
    problem: str | None
    calls: list[Call]

    def to_dict(self) -> dict[str, object]:
        return {
            "_id": self.id,
            "integrationKey": self.integration_key,
            "action": self.action,
            "enabled": self.enabled,
            "triggerCount": self.trigger_count,
            "callsKept": len(self.calls),
            "manifest": self.manifest,
            "problem": self.problem,
            "calls": [call.to_dict() for call in self.calls],
        }


@dataclass
class Diagnosis:
    project: str
    flag: str
    environment: str
    flag_on: bool
    toggles: list[Toggle]
    history_complete: bool
    triggers: list[TriggerReport]
    other_changes: list[Toggle]

    def to_dict(self) -> dict[str, object]:
        return {
            "project": self.project,
            "flag": self.flag,
            "environment": self.environment,
            "flagOn": self.flag_on,
            "changeHistory": {
                "toggles": len(self.toggles),
                "complete": self.history_complete,
                "otherChanges": [
                    {"_id": t.id, "date": t.date, "on": t.on, "title": t.title}
                    for t in self.other_changes
                ],
            },
            "triggers": [trigger.to_dict() for trigger in self.triggers],
        }


# --- reading the API's shapes, defensively ---------------------------------------


def toggle_from_entry(entry: object) -> Toggle | None:
    """A listing or detailed audit-log entry that turned the flag on or off,
    by its `titleVerb` ("turned on…" / "turned off…"); None for other entries."""
    if not isinstance(entry, dict):
        return None
    verb = entry.get("titleVerb")
    date = _millis(entry.get("date"))
    entry_id = entry.get("_id")
    if not isinstance(verb, str) or date is None or not isinstance(entry_id, str):
        return None
    lowered = verb.lower()
    if lowered.startswith("turned on"):
        on = True
    elif lowered.startswith("turned off"):
        on = False
    else:
        return None
    title = entry.get("title")
    body = entry.get("triggerBody")
    return Toggle(
        entry_id,
        date,
        on,
        title if isinstance(title, str) else verb,
        body,
        from_trigger=body is not None
        or (isinstance(title, str) and " trigger " in f" {title.lower()} "),
    )


def _action(trigger: dict) -> str | None:
    instructions = trigger.get("instructions")
    if isinstance(instructions, list) and instructions and isinstance(instructions[0], dict):
        kind = instructions[0].get("kind")
        if kind in ACTIONS:
            return str(kind)
    return None


def _calls_of(trigger: dict, limit: int) -> list[Call]:
    bodies = trigger.get("_recentTriggerBodies")
    calls = []
    for body in bodies if isinstance(bodies, list) else []:
        timestamp = _millis(body.get("timestamp")) if isinstance(body, dict) else None
        if timestamp is None:
            continue
        calls.append(Call(timestamp=timestamp, json_body=body.get("jsonBody")))
    calls.sort(key=lambda call: call.timestamp)
    return calls[-limit:]


# --- explaining -----------------------------------------------------------------


def _body_bytes(json_body: object) -> bytes:
    """What LaunchDarkly kept of the body, as the bytes to replay. An empty
    `jsonBody` means the body was empty or not JSON; both parse the same."""
    if json_body is None or json_body == {}:
        return b""
    return json.dumps(json_body, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _state(on: bool) -> str:
    return "on" if on else "off"


_NO_BODY_KEPT = (
    "LaunchDarkly kept no JSON object for this call: the sender sent an empty body, or one "
    "that is not a JSON object, so no parser pointer resolved; send a JSON object"
)


def _fixes(loaded: LoadedManifest, result, action: str, body_kept: bool) -> list[str]:
    """The fix when the cause is the payload or the test pattern."""
    event = result.event
    spec = loaded.spec
    fixes = []
    pattern = spec.test_regexp
    shown_pattern = pattern if pattern is not None else SCHEMA_DEFAULT_TEST_REGEXP
    if result.outcome == "test-event" and pattern is None:
        fixes.append(
            f"{event.event_name!r} counts as a test event only because it matches the schema "
            f"default testEventNameRegexp {shown_pattern!r} (the manifest sets none); if it "
            "was a real alert, rename it in the sender, or give the manifest a "
            "testEventNameRegexp that matches only the sender's test notifications"
        )
    elif result.outcome == "applied" and pattern is not None:
        from ldkit.regex.engine import PatternRefused, compile_matcher

        try:
            looks_like_test = compile_matcher(SCHEMA_DEFAULT_TEST_REGEXP).search(event.event_name)
        except PatternRefused:
            looks_like_test = False
        if looks_like_test:
            fixes.append(
                f"{event.event_name!r} looks like a test notification, but it does not match "
                f"testEventNameRegexp {pattern!r}, so it turned the flag "
                f"{'on' if action == 'turnFlagOn' else 'off'}; make the sender's test "
                "notification match that pattern (or widen the pattern in the manifest)"
            )
    if event.event_name_source != "body":
        pointer = spec.event_name_pointer
        where = (
            f"nothing usable at {pointer!r}"
            if pointer is not None
            else "no eventName pointer in the manifest's parser"
        )
        fixes.append(
            f"the event name is the fallback {event.event_name!r} ({where}): the change "
            "history cannot tell this alert from any other; make the sender put the alert's "
            f"name at {pointer or '/eventName'!s} in the body"
        )
    for warning in event.warnings:
        if warning.rule == TriggerBodyNotAnObject.id:
            fixes.append(warning.message if body_kept else _NO_BODY_KEPT)
        elif warning.rule == TriggerUrlRejected.id:
            fixes.append(warning.message)
    return fixes


def _match_calls(calls: list[tuple[Call, bool]], toggles: list[Toggle]) -> dict[int, Toggle]:
    """Which trigger-made entry each call wrote (by `id(call)`). First by
    body: an entry whose `triggerBody` equals the call's kept body, within
    MATCH_WINDOW_MS. Then by time, within MATCH_CLOSE_MS, for entries that
    carry no body, or for all when no body matched at all (LaunchDarkly does
    not document `triggerBody`'s shape, so it may not compare)."""
    owner: dict[int, Toggle] = {}
    claimed: set[str] = set()
    trigger_made = [t for t in toggles if t.from_trigger]

    def closest(call: Call, options: list[Toggle]) -> Toggle | None:
        options = [t for t in options if t.id not in claimed]
        return min(options, key=lambda t: abs(t.date - call.timestamp), default=None)

    for call, target in calls:
        found = closest(
            call,
            [
                t
                for t in trigger_made
                if t.on == target
                and t.trigger_body is not None
                and t.trigger_body == call.json_body
                and abs(t.date - call.timestamp) <= MATCH_WINDOW_MS
            ],
        )
        if found is not None:
            owner[id(call)] = found
            claimed.add(found.id)
    bodies_compare = bool(owner) or not any(t.trigger_body is not None for t in trigger_made)
    for call, target in calls:
        if id(call) in owner:
            continue
        found = closest(
            call,
            [
                t
                for t in trigger_made
                if t.on == target
                and (t.trigger_body is None or not bodies_compare)
                and abs(t.date - call.timestamp) <= MATCH_CLOSE_MS
            ],
        )
        if found is not None:
            owner[id(call)] = found
            claimed.add(found.id)
    return owner


def diagnose(
    *,
    project: str,
    flag: str,
    environment: str,
    flag_on: bool,
    triggers: list[dict],
    entries: list[dict],
    history_complete: bool,
    manifests: ManifestLookup,
    calls_per_trigger: int = 50,
) -> Diagnosis:
    """Explains every kept call of every trigger, oldest first per trigger.

    `entries` are the flag's change-history entries in this environment (any
    order); `history_complete` says whether they reach back to the flag's
    creation, so that calls older than the oldest entry read can be judged."""
    toggles = sorted(
        (t for t in (toggle_from_entry(e) for e in entries) if t is not None),
        key=lambda t: t.date,
    )
    reports: list[TriggerReport] = []
    loaded_for: dict[int, LoadedManifest | str] = {}
    timeline: list[tuple[int, int, int, Call]] = []
    for trigger in triggers:
        if not isinstance(trigger, dict):
            continue
        key = trigger.get("_integrationKey")
        key = key if isinstance(key, str) else ""
        loaded = manifests(key)
        loaded_for[len(reports)] = loaded
        count = trigger.get("_triggerCount")
        report = TriggerReport(
            id=str(trigger.get("_id", "")),
            integration_key=key,
            action=_action(trigger),
            enabled=trigger.get("enabled") is not False,
            trigger_count=count if isinstance(count, int) else None,
            manifest=loaded.source if isinstance(loaded, LoadedManifest) else None,
            problem=loaded if isinstance(loaded, str) else None,
            calls=_calls_of(trigger, calls_per_trigger),
        )
        reports.append(report)
        index = len(reports) - 1
        timeline.extend((c.timestamp, index, i, c) for i, c in enumerate(report.calls))
    timeline.sort(key=lambda item: item[:3])

    # Which trigger-made entries belong to which call is settled first, so
    # that the state walk below knows which toggles were calls.
    owner = _match_calls(
        [
            (call, reports[index].action == "turnFlagOn")
            for _, index, _, call in timeline
            if reports[index].action
        ],
        toggles,
    )
    claimed = {toggle.id for toggle in owner.values()}
    others = [t for t in toggles if t.id not in claimed]

    state = (not toggles[0].on) if toggles else flag_on
    oldest_known = toggles[0].date if toggles else None
    pending = list(others)
    histories: dict[str, TriggerHistory] = {}
    for timestamp, index, _, call in timeline:
        while pending and pending[0].date < timestamp:
            state = pending.pop(0).on
        call.flag_on_before = state
        entry = owner.get(id(call))
        report, loaded = reports[index], loaded_for[index]
        _explain(call, report, loaded, state, entry, histories, history_complete, oldest_known)
        if call.flag_on_after is not None:
            state = call.flag_on_after
    return Diagnosis(
        project, flag, environment, flag_on, toggles, history_complete, reports, others
    )


def _explain(
    call: Call,
    report: TriggerReport,
    loaded: LoadedManifest | str,
    state: bool,
    entry: Toggle | None,
    histories: dict[str, TriggerHistory],
    history_complete: bool,
    oldest_known: int | None,
) -> None:
    call.entry = entry.id if entry is not None else None
    if report.action is None:
        call.reason = "the trigger's instructions name no turnFlagOn or turnFlagOff action"
        return
    if isinstance(loaded, str):
        call.reason = f"cannot replay: {loaded}"
        if entry is not None:
            call.outcome = "applied"
            call.flag_on_after = entry.on
            call.reason = f"the change history shows this call turned the flag {_state(entry.on)}"
            call.reason += f" (replay impossible: {loaded})"
        return
    history = histories.setdefault(report.id, TriggerHistory())
    config = TriggerConfig(action=report.action)  # type: ignore[arg-type]
    request = TriggerRequest(_body_bytes(call.json_body), call.timestamp, source="jsonBody")
    result = invoke(loaded.manifest, loaded.key, config, state, request, history, spec=loaded.spec)
    call.event_name = result.event.event_name
    call.is_test = result.event.is_test
    call.warnings = [w.message for w in result.event.warnings]
    body_kept = call.json_body not in (None, {})
    call.fixes = _fixes(loaded, result, report.action, body_kept)
    target = report.action == "turnFlagOn"
    state_known = history_complete or (oldest_known is not None and call.timestamp >= oldest_known)
    if result.outcome == "test-event":
        pattern = loaded.spec.test_regexp
        shown = SCHEMA_DEFAULT_TEST_REGEXP if pattern is None else pattern
        call.outcome = "test-event"
        call.flag_on_after = state
        call.reason = (
            f"a test event (the name matches testEventNameRegexp {shown!r}): counted, the "
            f"flag stays {_state(state)}"
        )
        if entry is not None:
            call.outcome = "unknown"
            call.flag_on_after = entry.on
            call.reason = (
                f"the replay says test event, but the change history shows this call turned "
                f"the flag {_state(entry.on)}: the manifest replayed ({loaded.source}) differs "
                "from the one LaunchDarkly used"
            )
        return
    if entry is not None:
        call.outcome = "applied"
        call.flag_on_after = entry.on
        call.reason = f"turned the flag {_state(entry.on)} (change history {entry.id})"
        return
    if result.outcome == "no-change":
        call.outcome = "no-change" if state_known else "unknown"
        call.flag_on_after = state
        call.reason = (
            f"the flag was already {_state(state)}: counted, nothing changed"
            if state_known
            else "older than the change history read, so the flag's state then is not known"
        )
        return
    # The replay says the call turns the flag, and no entry says it did.
    call.flag_on_after = state
    if not report.enabled:
        call.outcome = "disabled"
        call.reason = (
            f"it would turn the flag {_state(target)}, but the change history has no such "
            "change and the trigger is disabled now: the call came while it was disabled"
        )
    elif not state_known:
        call.outcome = "unknown"
        call.reason = "older than the change history read, so the flag's state then is not known"
    else:
        call.outcome = "unknown"
        call.reason = (
            f"the replay says it turns the flag {_state(target)}, but the change history has "
            "no such change: LaunchDarkly may have rate-limited it, or the trigger was "
            "disabled then"
        )
