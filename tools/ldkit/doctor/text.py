"""The text format of `ldkit doctor`: the flag, then each trigger's calls in
order, one block per call (event name, outcome and why, fixes). Everything a
body or the API said goes through `printable` before it reaches a terminal."""

from __future__ import annotations

from datetime import datetime, timezone

from ldkit.doctor.explain import Call, Diagnosis, TriggerReport
from ldkit.report.encode import printable

_ACTION = {"turnFlagOn": "turns the flag on", "turnFlagOff": "turns the flag off"}


def when(millis: int) -> str:
    moment = datetime.fromtimestamp(millis / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{millis % 1000:03d} UTC"


def _state(on: bool | None) -> str:
    return "?" if on is None else ("on" if on else "off")


def _call(number: int, call: Call) -> list[str]:
    name = "(no event name: not replayed)" if call.event_name is None else repr(call.event_name)
    test = "" if call.is_test is None else (", test event" if call.is_test else "")
    lines = [
        f"  {number}. {when(call.timestamp)}  {printable(name)}{test}",
        f"     {call.outcome}: {printable(call.reason)} "
        f"[flag {_state(call.flag_on_before)} -> {_state(call.flag_on_after)}]",
    ]
    lines.extend(f"     fix: {printable(fix)}" for fix in call.fixes)
    return lines


def _trigger(report: TriggerReport) -> list[str]:
    action = _ACTION.get(report.action or "", "no action")
    status = "enabled" if report.enabled else "disabled"
    count = "?" if report.trigger_count is None else str(report.trigger_count)
    lines = [
        f"Trigger {printable(report.id)} ({printable(report.integration_key)}, {action}, "
        f"{status}): {count} calls, {len(report.calls)} kept",
    ]
    if report.manifest is not None:
        lines.append(f"  replayed with {printable(report.manifest)}")
    if report.problem is not None:
        lines.append(f"  cannot replay: {printable(report.problem)}")
    if not report.calls:
        lines.append("  no calls kept")
    for number, call in enumerate(report.calls, 1):
        lines.extend(_call(number, call))
    return lines


def render(diagnosis: Diagnosis) -> str:
    d = diagnosis
    history = f"{len(d.toggles)} on/off changes in the change history read"
    if not d.history_complete:
        history += " (older ones not read)"
    lines = [
        f"Flag {printable(d.flag)} in {printable(d.environment)} (project "
        f"{printable(d.project)}) is {_state(d.flag_on)} now; {history}.",
    ]
    for change in d.other_changes:
        lines.append(
            f"  {when(change.date)}  turned {_state(change.on)} outside these calls: "
            f"{printable(change.title)}"
        )
    if not d.triggers:
        lines.append("No triggers on this flag in this environment.")
    for report in d.triggers:
        lines.append("")
        lines.extend(_trigger(report))
    return "\n".join(lines) + "\n"
