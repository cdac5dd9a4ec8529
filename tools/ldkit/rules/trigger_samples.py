"""Trigger run-time warnings, replay-case checks and the sample rules (LD500–LD549).

LD500–LD504 are reported by `ldkit trigger` / `ldkit replay` about one call
(their `path` is the body, not the manifest); LD510–LD514 by `ldkit validate` on
`*.case.json`. They are declared here, with empty checks, so `ldkit rules`
explains every id a user can meet. LD520–LD522 do check manifests: an
integration's own sample cases, run through the reference trigger, must agree
with its trigger capability.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.report.findings import Finding, Severity
from ldkit.rules._support import value_at
from ldkit.rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from ldkit.trigger.core import ParsedEvent


class TriggerBodyNotAnObject(Rule):
    id = "LD500"
    severity = Severity.WARNING
    title = "Trigger body is not a JSON object"
    explanation = (
        "Reported by `ldkit trigger` and `ldkit replay`. The request body was empty, not "
        "UTF-8, not JSON, or JSON whose root is not an object, so no parser pointer can "
        "resolve: the recorded jsonBody is null and the event name falls back to "
        "defaultEventName (or 'An alert'). LaunchDarkly still counts the call and still "
        "acts. Send a JSON object, e.g. Dynatrace's recommended custom payload."
    )
    bad_example = "OPEN Problem P-22013994: CPU saturation"
    good_example = '{"title": "CPU saturation", "url": "https://example.live.dynatrace.com/..."}'


class TriggerUrlRejected(Rule):
    id = "LD501"
    severity = Severity.WARNING
    title = "Trigger url is not an absolute http(s) URL"
    explanation = (
        "Reported by `ldkit trigger` and `ldkit replay`. The value at the parser's url "
        "pointer is missing, not a string, or not an absolute http/https URL (for example "
        "`javascript:` or a relative path). It is dropped so that it can never become a link "
        "in the change history; the entry shows the event name without a link."
    )
    bad_example = '{"title": "CPU saturation", "url": "javascript:alert(1)"}'
    good_example = '{"title": "CPU saturation", "url": "https://example.com/problem/1"}'


class TriggerRegexpBroken(Rule):
    id = "LD502"
    severity = Severity.WARNING
    title = "Test-event regexp does not compile (at run time)"
    explanation = (
        "Reported by `ldkit trigger` and `ldkit replay`. The manifest's testEventNameRegexp "
        "does not compile, so the reference trigger treats no event as a test and a test "
        "notification would change the flag. `ldkit validate` reports the manifest itself."
    )
    bad_example = '"testEventNameRegexp": "^Test ("'
    good_example = '"testEventNameRegexp": "^Test \\\\($"'


class TriggerPointerInvalid(Rule):
    id = "LD503"
    severity = Severity.WARNING
    title = "Parser pointer is not a JSON pointer (at run time)"
    explanation = (
        "Reported by `ldkit trigger` and `ldkit replay`. A parser pointer is not an RFC 6901 "
        "JSON pointer (it must start with '/' and write '~' as '~0'), so it never resolves "
        "and its field is always empty."
    )
    bad_example = '"parser": {"eventName": "title"}'
    good_example = '"parser": {"eventName": "/title"}'


class TriggerCapabilityMissing(Rule):
    id = "LD504"
    severity = Severity.ERROR
    title = "No trigger capability to call"
    explanation = (
        "Reported by `ldkit trigger` and `ldkit replay` (exit code 1): the manifest has no "
        "`capabilities.trigger` object, so there is no trigger to run a body through."
    )
    bad_example = '"capabilities": {"auditLogEventsHook": {...}}'
    good_example = '"capabilities": {"trigger": {"documentation": "https://...", ...}}'


class ReplayCaseSchema(Rule):
    id = "LD510"
    severity = Severity.ERROR
    title = "Replay case does not match the case format"
    explanation = (
        "A `*.case.json` file must follow `schemas/replay/case.schema.json`: a description, "
        "a request with a timestamp (Unix milliseconds) and one body source, optionally a "
        "sample kind, a trigger (action, flag, environment) and a flagState."
    )
    bad_example = '{"request": {"body": {}}, "sample": "demo"}'
    good_example = (
        '{"description": "A problem opens", "sample": "event", '
        '"request": {"body": {"title": "CPU"}, "timestamp": 1732000000000}}'
    )


class ReplayCaseBodySources(Rule):
    id = "LD511"
    severity = Severity.ERROR
    title = "Replay case needs exactly one body source"
    explanation = (
        "A case's request names its body in exactly one way: body (inline JSON), bodyText "
        "(raw text, for empty or non-JSON bodies), bodyFile (raw bytes from a file) or "
        "dynatrace (rendered from a payload template and a problem sample)."
    )
    bad_example = '"request": {"body": {}, "bodyText": "", "timestamp": 1}'
    good_example = '"request": {"bodyText": "", "timestamp": 1}'


class ReplayCaseMissingFile(Rule):
    id = "LD512"
    severity = Severity.ERROR
    title = "A file the replay case names does not exist"
    explanation = (
        "bodyFile, dynatrace.template and dynatrace.problem are paths relative to the case "
        "file; the replay cannot run without them."
    )
    bad_example = '"bodyFile": "bodies/missing.txt"'
    good_example = '"bodyFile": "bodies/not-json.txt"'


class ReplayCaseNoExpected(Rule):
    id = "LD513"
    severity = Severity.ERROR
    title = "Replay case without an expected result"
    explanation = (
        "Every `<name>.case.json` needs `<name>.expected.json` beside it, or `ldkit replay` "
        "fails. Run `ldkit replay --update`, read the written file, and commit both."
    )
    bad_example = "replays/problem-opened.case.json alone"
    good_example = "replays/problem-opened.case.json + replays/problem-opened.expected.json"


class ReplayCaseNoProblem(Rule):
    id = "LD514"
    severity = Severity.ERROR
    title = "Dynatrace replay case without a problem sample"
    explanation = (
        "A case rendered from a Dynatrace template needs a problem sample to fill the "
        "placeholders, unless it renders the test notification."
    )
    bad_example = '"dynatrace": {"template": "../payload.json"}'
    good_example = '"dynatrace": {"template": "../payload.json", "testNotification": true}'


# --- rules over the integration's own samples ----------------------------------


def _trigger_pointer(ctx: RuleContext, *keys: str) -> str:
    """The most specific existing pointer into the trigger capability."""
    node = value_at(ctx.manifest, "capabilities", "trigger")
    pointer = "/capabilities/trigger"
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            break
        node = node[key]
        pointer += "/" + key
    return pointer


def _sample_results(ctx: RuleContext) -> list[tuple[str, str, ParsedEvent]]:
    """(case file name, sample kind, parsed event) for every sample case that
    can run; broken cases are reported by LD510–LD514 instead. Cached on the
    context so the three rules run the cases once."""
    cache = ctx.options.get("_trigger_samples")
    if isinstance(cache, list):
        return cache
    results: list[tuple[str, str, ParsedEvent]] = []
    ctx.options["_trigger_samples"] = results
    replays = Path(ctx.integration_dir) / "replays"
    if not replays.is_dir():
        return results
    from ldkit.trigger.core import TriggerSpec, parse_event

    spec = TriggerSpec.from_manifest(ctx.manifest)
    if spec is None:
        return results
    from ldkit.replay.cases import CaseError, case_paths, load_case

    for path in case_paths(Path(ctx.integration_dir)):
        try:
            case = load_case(path, Path(ctx.integration_dir))
            if case.sample is None:
                continue
            event = parse_event(spec, case.trigger_request())
        except CaseError:
            continue
        results.append((f"replays/{case.name}.case.json", case.sample, event))
    return results


class SampleEventNameFromBody(Rule):
    id = "LD520"
    severity = Severity.ERROR
    title = "A sample event gets no event name from its body"
    explanation = (
        "An integration's `sample: event` replay cases are its representative real payloads. "
        "If the parser's eventName pointer finds nothing in one of them, every real alert "
        "shows up in the change history under the default name: the pointer or the sample "
        "is wrong."
    )
    bad_example = '"parser": {"eventName": "/name"} with a sample body {"title": "CPU saturation"}'
    good_example = (
        '"parser": {"eventName": "/title"} with a sample body {"title": "CPU saturation"}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, sample, event in _sample_results(ctx):
            if sample == "event" and event.event_name_source != "body":
                yield self.finding(
                    ctx,
                    _trigger_pointer(ctx, "parser", "eventName"),
                    f"the sample event {name} gets no event name from its body (it falls back to "
                    f"{event.event_name!r}); point parser.eventName at the field the "
                    "partner sends, or fix the sample",
                )


class SampleTestNotRecognised(Rule):
    id = "LD521"
    severity = Severity.ERROR
    title = "The sample test notification is not recognised as a test"
    explanation = (
        "An integration's `sample: test` replay case is the partner's test notification. If "
        "testEventNameRegexp (or the schema default `.*[Tt][Ee][Ss][Tt].*`) does not match its "
        "event name, pressing the partner's 'test' button flips the flag in production."
    )
    bad_example = '"testEventNameRegexp": "^Test$" with a test sample titled "Test run"'
    good_example = '"testEventNameRegexp": "^Test run$" with a test sample titled "Test run"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, sample, event in _sample_results(ctx):
            if sample == "test" and not event.is_test:
                yield self.finding(
                    ctx,
                    _trigger_pointer(ctx, "testEventNameRegexp"),
                    f"the sample test notification {name} has the event name "
                    f"{event.event_name[:120]!r}, which the test regexp does not match, so a "
                    "test would change the flag; make testEventNameRegexp match it",
                )


class SampleEventLooksLikeTest(Rule):
    id = "LD522"
    severity = Severity.ERROR
    title = "A sample event is treated as a test"
    explanation = (
        "An integration's `sample: event` replay case matches testEventNameRegexp (or the "
        "schema default, which matches any name containing 'test', such as 'latest deploy'), "
        "so real alerts like it would never change the flag. Anchor the regexp to the "
        "partner's exact test name."
    )
    bad_example = 'no testEventNameRegexp, and a sample event named "Latest deploy failed"'
    good_example = '"testEventNameRegexp": "^Partner test notification$"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, sample, event in _sample_results(ctx):
            if sample == "event" and event.is_test:
                yield self.finding(
                    ctx,
                    _trigger_pointer(ctx, "testEventNameRegexp"),
                    f"the sample event {name} has the event name "
                    f"{event.event_name[:120]!r}, which the test regexp matches, so real "
                    "events like it would never change the flag; anchor testEventNameRegexp "
                    "to the partner's test name",
                )
