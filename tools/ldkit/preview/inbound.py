"""The inbound side of a trigger integration: what a tool posts, and what LaunchDarkly records.

`preview.js` only says a trigger integration "does not make any outbound
requests", which leaves a reviewer nothing to look at. ldkit shows the request
the partner's tool sends to a flag trigger's URL and the change-history entry
that request produces, computed by the same trigger core as `ldkit trigger`.

The bodies come from the integration's own replay cases: the first case marked
`"sample": "test"` and the first marked `"sample": "event"` (cases that render
a Dynatrace payload template first, since they show the template too), or,
without cases, one body built from the manifest's parser pointers. For a case
that renders a Dynatrace template, the template is printed as the payload to
paste into Dynatrace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ldkit.fs import FileRefused, read_text
from ldkit.integration import case_paths
from ldkit.replay.cases import CaseError, ReplayCase, load_case
from ldkit.trigger.core import (
    TriggerConfig,
    TriggerHistory,
    TriggerRequest,
    TriggerSpec,
    invoke,
)

#: A flag trigger's URL: the trigger id and its secret stand in as `$` variables.
TRIGGER_URL = "https://app.launchdarkly.com/webhook/triggers/$TRIGGER_ID/$SECRET"
METHOD = "POST"
CONTENT_TYPE = "application/json"
SAMPLE_EVENT_NAME = "Sample alert"
SAMPLE_URL = "https://example.com/alerts/1"


@dataclass(frozen=True)
class _Call:
    """One request to preview: where it came from, and how to run it."""

    label: str
    source: str
    body: bytes
    content_type: str
    trigger: TriggerConfig
    flag_on: bool
    template: Path | None


def _set(body: dict[str, object], pointer: str, value: object) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if not parts:
        return
    target = body
    for part in parts[:-1]:
        nested = target.setdefault(part, {})
        if not isinstance(nested, dict):
            return
        target = nested
    target[parts[-1]] = value


def _built_body(spec: TriggerSpec) -> bytes:
    body: dict[str, object] = {}
    if spec.event_name_pointer and spec.event_name_pointer.startswith("/"):
        _set(body, spec.event_name_pointer, SAMPLE_EVENT_NAME)
    if spec.url_pointer and spec.url_pointer.startswith("/"):
        _set(body, spec.url_pointer, SAMPLE_URL)
    return json.dumps(body, indent=2).encode("utf-8")


def _template(case: ReplayCase) -> Path | None:
    spec = case.request.get("dynatrace")
    if isinstance(spec, dict) and isinstance(spec.get("template"), str):
        return (case.path.parent / spec["template"]).resolve()
    return None


def _label(case: ReplayCase) -> str:
    spec = case.request.get("dynatrace")
    if isinstance(spec, dict) and spec.get("testNotification") is True:
        return 'Dynatrace "Send test notification"'
    if isinstance(spec, dict):
        return "a real Dynatrace problem"
    return "a test event" if case.sample == "test" else "a real event"


def _calls(folder: Path, spec: TriggerSpec) -> list[_Call]:
    cases = []
    for path in case_paths(folder):
        try:
            cases.append(load_case(path, folder))
        except CaseError:
            continue  # `ldkit validate` reports a broken case; preview the others
    chosen: list[ReplayCase] = []
    for sample in ("test", "event"):
        marked = [c for c in cases if c.sample == sample]
        marked.sort(key=lambda c: (_template(c) is None, c.name))
        if marked:
            chosen.append(marked[0])
    calls = []
    for case in chosen:
        try:
            body = case.request_bytes()
        except CaseError:
            continue
        calls.append(
            _Call(
                _label(case),
                case.path.relative_to(folder).as_posix(),
                body,
                case.content_type,
                case.trigger,
                case.flag_on,
                _template(case),
            )
        )
    if not calls:
        calls.append(
            _Call(
                "a sample event built from the manifest's parser pointers",
                "manifest.json capabilities.trigger.parser",
                _built_body(spec),
                CONTENT_TYPE,
                TriggerConfig(),
                True,
                None,
            )
        )
    return calls


def _shell_quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _request_text(call: _Call, body: str, curl: bool) -> list[str]:
    if curl:
        return [
            f"curl -X {METHOD} \\",
            f"  {TRIGGER_URL} \\",
            f"  -H {_shell_quoted('Content-Type: ' + call.content_type)} \\",
            f"  -d {_shell_quoted(body)}",
        ]
    return [
        f"URL:    {TRIGGER_URL}",
        f"METHOD: {METHOD}",
        f"HEADER: Content-Type: {call.content_type}",
        f"BODY:\t{call.source}",
        body,
    ]


def _outcome_text(call: _Call, outcome: str, flag: str, environment: str) -> str:
    if outcome == "test-event":
        return "a test event: LaunchDarkly counts it and changes nothing"
    if outcome == "no-change":
        return f"the flag {flag} was already {'on' if call.flag_on else 'off'} in {environment}"
    state = "on" if call.trigger.turns_on else "off"
    return f"the flag {flag} is turned {state} in {environment}"


def inbound_preview(
    manifest: object, folder: Path, timestamp_ms: int, *, curl: bool = False
) -> str | None:
    """The preview of a trigger integration, or None when it has no trigger capability."""
    spec = TriggerSpec.from_manifest(manifest)
    if spec is None or not isinstance(manifest, dict):
        return None
    key = folder.resolve().name
    lines = [
        f'The "{key}" integration makes no outbound requests from LaunchDarkly: it receives '
        "them. A tool posts to a flag trigger's URL (shown once when the trigger is created).",
    ]
    shown_templates: set[Path] = set()
    for call in _calls(folder, spec):
        lines.append("")
        lines.append(f"== {call.label} ({call.source})")
        if call.template is not None and call.template not in shown_templates:
            shown_templates.add(call.template)
            try:
                relative = call.template.relative_to(folder.resolve()).as_posix()
            except ValueError:
                relative = call.template.name
            lines.append(f"Custom payload to paste into Dynatrace ({relative}):")
            try:
                lines.append(read_text(call.template, root=folder).rstrip("\n"))
            except FileRefused as refused:
                lines.append(f"(cannot show it: {refused.reason})")
        body = call.body.decode("utf-8", errors="replace")
        lines.extend(_request_text(call, body, curl))
        request = TriggerRequest(
            body=call.body,
            timestamp=timestamp_ms,
            content_type=call.content_type,
            source=call.source,
        )
        result = invoke(
            manifest, key, call.trigger, call.flag_on, request, TriggerHistory(), spec=spec
        )
        flag, environment = call.trigger.flag, call.trigger.environment
        lines.append(
            f"RESULT: {_outcome_text(call, result.outcome, flag, environment)} "
            f"(event name {json.dumps(result.event.event_name, ensure_ascii=False)})"
        )
        entry = result.entry
        if entry is not None:
            lines.append("CHANGE HISTORY:")
            lines.append(f"  title:       {entry['title']}")
            description = str(entry["description"]).split("\n")
            lines.append(f"  description: {description[0]}")
            lines.extend(f"               {more}" for more in description[1:])
    return "\n".join(lines) + "\n"
