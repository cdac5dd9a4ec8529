"""The text format of `ldkit trigger`: a short human summary of one invocation
result (the JSON format is the result itself, `ldkit.trigger.core.to_json`)."""

from __future__ import annotations

import json

from ldkit.core.findings import Finding
from ldkit.report.text import finding_line

_OUTCOME_TEXT = {
    "applied": "the flag was turned {state}",
    "test-event": "a test event: counted, the flag is unchanged ({state})",
    "no-change": "the flag was already {state}: counted, nothing changed",
}
_SOURCE_TEXT = {
    "body": "from the body",
    "defaultEventName": "the manifest's defaultEventName",
    "schemaDefault": "the schema default; the body gave no event name",
}


def render_text(result: dict) -> str:
    """A short human summary of one invocation result."""
    state = "on" if result["flagOnAfter"] else "off"
    source = _SOURCE_TEXT[result["eventNameSource"]]
    rows = [
        (
            "outcome",
            f"{result['outcome']} ({_OUTCOME_TEXT[result['outcome']].format(state=state)})",
        ),
        ("event name", f"{_quote(result['eventName'])} ({source})"),
        ("value", _show(result["value"])),
        ("url", _show(result["url"])),
        ("test event", "yes" if result["isTest"] else "no"),
        ("trigger count", str(result["triggerCount"])),
    ]
    lines = [f"{label + ':':<15}{text}" for label, text in rows]
    entry = result["entry"]
    if entry is None:
        lines.append(f"{'entry:':<15}none")
    else:
        lines.append("entry:")
        lines.append(f"  {'title:':<13}{entry['title']}")
        description = str(entry["description"]).split("\n")
        lines.append(f"  {'description:':<13}{description[0]}")
        lines.extend(f"{'':<15}{more}" for more in description[1:])
    warnings = result["warnings"]
    if warnings:
        lines.append(f"warnings ({len(warnings)}):")
        lines.extend(f"  {finding_line(Finding.from_dict(w))}" for w in warnings)
    else:
        lines.append(f"{'warnings:':<15}none")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    try:
        quoted.encode("utf-8")
    except UnicodeEncodeError:
        quoted = json.dumps(text)
    return quoted


def _show(value: object) -> str:
    if value is None:
        return "none"
    return _quote(value) if isinstance(value, str) else str(value).lower()
