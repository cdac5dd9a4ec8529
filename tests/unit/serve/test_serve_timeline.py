"""The picture of a flag over time: which events it shows, where the state
line steps, and that everything in it is escaped SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ldkit.serve.store import AuditRow, RecentBody, TriggerRow
from ldkit.serve.timeline import EVENTS_SHOWN, Y_OFF, Y_ON, events_for, render_svg

TRIGGER = TriggerRow(
    "t1", "default", "checkout", "production", "dynatrace", "turnFlagOff", b"", True, 1, 0, 0, None
)


def body(time: int, outcome: str | None, on: bool | None) -> RecentBody:
    return RecentBody(time, {"title": "x"}, [], outcome, on)


def audit(time: int, verb: str, trigger_id: str | None, title: str = "t") -> AuditRow:
    return AuditRow(
        0, f"e{time}", time, "default", "checkout", "production", "updateOn", verb, title,
        "", "", {}, trigger_id, None,
    )  # fmt: skip


def steps(svg: str) -> list[int]:
    line = re.search(r'class="state-line" d="([^"]+)"', svg).group(1)
    return [int(y) for y in re.findall(r"(?:M[\d.]+,|V)(\d+)", line)]


def test_calls_and_the_changes_no_call_made_in_time_order():
    bodies = {
        "t1": [
            body(30, "applied", False),
            body(20, "no-change", True),
            body(10, "test-event", True),
        ]
    }
    entries = [
        audit(30, "turned off", "t1"),  # written by the kept call at 30: not a second event
        audit(25, "turned on", None, "Ann turned on the flag"),
        audit(26, "updated the description", None),
    ]
    events = events_for([TRIGGER], bodies, entries)
    assert [(e.time, e.kind, e.outcome) for e in events] == [
        (10, "call", "test-event"),
        (20, "call", "no-change"),
        (25, "change", "change"),
        (30, "call", "applied"),
    ]


def test_the_line_starts_where_the_first_event_found_the_flag_and_steps_at_moves():
    events = events_for(
        [TRIGGER],
        {"t1": [body(30, "applied", False), body(10, "no-change", False)]},
        [audit(20, "turned on", None), audit(30, "turned off", "t1")],
    )
    svg = render_svg(events, False, "checkout", str)
    assert steps(svg) == [Y_OFF, Y_ON, Y_OFF]
    ET.fromstring(svg)  # well-formed


def test_no_events_is_a_flat_line_at_the_current_state():
    svg = render_svg([], True, "checkout", str)
    assert steps(svg) == [Y_ON]
    assert "no calls or changes yet" in svg


def test_text_from_bodies_and_titles_is_escaped():
    hostile = '<script>alert(1)</script>" onload="x'
    events = events_for([TRIGGER], {}, [audit(5, "turned on", None, hostile)])
    svg = render_svg(events, True, hostile, str)
    root = ET.fromstring(svg)
    assert root.find(".//{*}script") is None and "<script>" not in svg
    assert hostile in root.find(".//{*}title").text


def test_at_most_the_newest_events_are_drawn():
    bodies = {"t1": [body(t, "no-change", True) for t in range(100, 0, -1)]}
    events = events_for([TRIGGER], bodies, [])
    assert len(events) == EVENTS_SHOWN and events[-1].time == 100
