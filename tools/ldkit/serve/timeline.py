"""A flag's state over time, with the calls that moved it and the ones that
did not: the picture on the serve page, as server-rendered SVG.

The events are what the store keeps: each trigger's recent calls (with the
outcome the trigger core gave and the flag's state after) and the change
history entries that turned the flag on or off. An entry a kept call wrote
is that call; any other (the API, a call whose body is no longer kept) is a
change of its own. Events are spaced evenly in time order — calls a
millisecond apart and a day apart both stay readable — and each carries its
time in a tooltip. Everything is text in attributes or elements, escaped;
no script, no inline style (the page's Content-Security-Policy allows none).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ldkit.serve.store import AuditRow, RecentBody, TriggerRow

EVENTS_SHOWN = 40
WIDTH = 640
HEIGHT = 96
LEFT = 44
RIGHT = 12
Y_ON = 22
Y_OFF = 62


@dataclass(frozen=True)
class Event:
    time: int
    kind: str  # "call" or "change"
    outcome: str  # a call's outcome; "change" for a change-history entry
    on_after: bool | None
    moved: bool
    label: str


def events_for(
    triggers: list[TriggerRow],
    bodies: dict[str, list[RecentBody]],
    entries: list[AuditRow],
) -> list[Event]:
    """The events of one flag in one environment, oldest first, at most
    EVENTS_SHOWN (the newest). `triggers` and `entries` are that flag's."""
    events: list[Event] = []
    written_by_calls: set[tuple[str, int]] = set()
    for trigger in triggers:
        for body in bodies.get(trigger.id, []):
            moved = body.outcome == "applied"
            if moved:
                written_by_calls.add((trigger.id, body.timestamp))
            events.append(
                Event(
                    body.timestamp,
                    "call",
                    body.outcome or "recorded",
                    body.flag_on,
                    moved,
                    f"{trigger.integration_key} call: {body.outcome or 'outcome not recorded'}",
                )
            )
    for entry in entries:
        if entry.trigger_id is not None and (entry.trigger_id, entry.date) in written_by_calls:
            continue
        verb = entry.title_verb.lower()
        if not verb.startswith(("turned on", "turned off")):
            continue
        on = verb.startswith("turned on")
        events.append(Event(entry.date, "change", "change", on, True, entry.title))
    events.sort(key=lambda event: (event.time, event.kind != "change"))
    return events[-EVENTS_SHOWN:]


def _first_state(events: list[Event], current: bool) -> bool:
    for event in events:
        if event.on_after is None:
            continue
        return (not event.on_after) if event.moved else event.on_after
    return current


def _y(on: bool) -> int:
    return Y_ON if on else Y_OFF


def render_svg(events: list[Event], current: bool, title: str, when) -> str:
    """One flag's picture. `when` formats a timestamp for the tooltips."""
    state = _first_state(events, current)
    span = WIDTH - LEFT - RIGHT
    step = span / max(len(events), 1)
    xs = [LEFT + step * (index + 0.5) for index in range(len(events))]
    path = [f"M{LEFT},{_y(state)}"]
    markers = []
    for number, (x, event) in enumerate(zip(xs, events, strict=True), 1):
        after = state if event.on_after is None else event.on_after
        if event.moved and after != state:
            path.append(f"H{x:.1f}V{_y(after)}")
        state = after
        tip = f"{number}. {when(event.time)}: {event.label}"
        css = f"{event.kind} {event.outcome}" + (" moved" if event.moved else "")
        shape = (
            f'<circle cx="{x:.1f}" cy="{_y(state)}" r="5"/>'
            if event.kind == "call"
            else f'<rect x="{x - 4.5:.1f}" y="{_y(state) - 4.5}" width="9" height="9"/>'
        )
        outcome = escape(event.outcome, quote=True)
        markers.append(
            f'<g class="{escape(css, quote=True)}" data-outcome="{outcome}"'
            f' data-on="{"on" if state else "off"}"><title>{escape(tip)}</title>{shape}</g>'
        )
    path.append(f"H{WIDTH - RIGHT}V{_y(current)}" if current != state else f"H{WIDTH - RIGHT}")
    label = (
        f"{title}: {len(events)} events; now {'on' if current else 'off'}"
        if events
        else f"{title}: no calls or changes yet; {'on' if current else 'off'}"
    )
    return (
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label, quote=True)}" data-now="{"on" if current else "off"}">'
        f'<text class="axis" x="4" y="{Y_ON + 4}">on</text>'
        f'<text class="axis" x="4" y="{Y_OFF + 4}">off</text>'
        f'<line class="grid" x1="{LEFT}" y1="{Y_ON}" x2="{WIDTH - RIGHT}" y2="{Y_ON}"/>'
        f'<line class="grid" x1="{LEFT}" y1="{Y_OFF}" x2="{WIDTH - RIGHT}" y2="{Y_OFF}"/>'
        f'<path class="state-line" d="{"".join(path)}"/>'
        + "".join(markers)
        + f'<text class="axis" x="{LEFT}" y="{HEIGHT - 6}">'
        + (escape(when(events[0].time)) if events else "")
        + f'</text><text class="axis end" x="{WIDTH - RIGHT}" y="{HEIGHT - 6}">'
        + (escape(when(events[-1].time)) if len(events) > 1 else "")
        + "</text></svg>"
    )
