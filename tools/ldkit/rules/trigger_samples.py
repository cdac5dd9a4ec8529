"""Trigger run-time warnings, replay-case checks and the sample rules (LD500–LD549).

LD500–LD504 are reported by `ldkit trigger` / `ldkit replay` about one call
(their `path` is the body, not the manifest); LD510–LD514 by `ldkit validate` on
`*.case.json`. They are declared here, with empty checks, so `ldkit rules`
explains every id a user can meet. LD520–LD522 do check manifests: an
integration's own sample cases, run through the reference trigger, must agree
with its trigger capability.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.load import pointer as jsonpointer
from ldkit.report.findings import Finding, Severity
from ldkit.rules._support import value_at
from ldkit.rules.base import Rule, RuleContext
from ldkit.rules.triggers import anchored

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


@dataclass(frozen=True)
class SampleRun:
    """One sample case run through the reference trigger."""

    name: str  # the case file, relative to the integration folder
    sample: str  # "event" or "test"
    event: ParsedEvent
    inline_body: bool  # the body is written in the case file (request.body)

    @property
    def named_from_body(self) -> bool:
        return self.event.event_name_source == "body"


def sample_results(ctx: RuleContext) -> list[SampleRun]:
    """Every sample case that can run; broken cases are reported by LD510–LD514
    instead. Cached on the context so the three rules run the cases once."""
    cache = ctx.options.get("_trigger_samples")
    if isinstance(cache, list):
        return cache
    results: list[SampleRun] = []
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
        results.append(
            SampleRun(f"replays/{case.name}.case.json", case.sample, event, "body" in case.request)
        )
    return results


def _event_name_pointer(ctx: RuleContext) -> str | None:
    pointer = value_at(ctx.manifest, "capabilities", "trigger", "parser", "eventName")
    return pointer if isinstance(pointer, str) else None


def _pointer_is_broken(ctx: RuleContext) -> bool:
    """parser.eventName is not a JSON pointer: LD410 reports that, and it alone
    explains why no sample gets its name from the body."""
    pointer = _event_name_pointer(ctx)
    return pointer is not None and jsonpointer.problem(pointer) is not None


def _committed_event_name_pointer(ctx: RuleContext) -> str | None:
    """parser.eventName in the manifest as last committed (git HEAD), if the
    manifest is in a git repository and was committed with one."""
    manifest = Path(ctx.document.path).resolve()
    try:
        completed = subprocess.run(
            ["git", "-C", str(manifest.parent), "show", f"HEAD:./{manifest.name}"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    try:
        committed = json.loads(completed.stdout)
    except ValueError:
        return None
    old = value_at(committed, "capabilities", "trigger", "parser", "eventName")
    return old if isinstance(old, str) else None


def _names(runs: list[SampleRun]) -> str:
    return ", ".join(run.name for run in runs)


def _string_pointers(body: object, prefix: str = "") -> list[str]:
    """Pointers to every string in a body, in document order."""
    found: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            found.extend(_string_pointers(value, jsonpointer.child(prefix, key)))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            found.extend(_string_pointers(value, jsonpointer.child(prefix, index)))
    elif isinstance(body, str):
        found.append(prefix)
    return found


def _shared_string_pointers(runs: list[SampleRun]) -> list[str]:
    """String fields every one of these bodies has: candidates for eventName."""
    bodies = [run.event.json_body for run in runs]
    if not bodies or any(body is None for body in bodies):
        return []
    first = _string_pointers(bodies[0])
    return [
        p
        for p in first
        if all(jsonpointer.resolve(b, p) is not jsonpointer.MISSING for b in bodies[1:])
    ][:4]


class SampleEventNameFromBody(Rule):
    id = "LD520"
    severity = Severity.ERROR
    title = "Sample cases get no event name from their bodies"
    explanation = (
        "An integration's `sample: event` and `sample: test` replay cases are its "
        "representative payloads. If the parser's eventName pointer finds nothing in them, "
        "every real alert shows up in the change history under the default name, and the "
        "test notification is not recognised as a test. Either the pointer or the stored "
        "bodies are wrong; ldkit says which changed when git knows the committed manifest "
        "(a pointer changed on purpose, with case bodies still in the old shape, means "
        "editing the case files), and reports one finding for all the cases it affects."
    )
    bad_example = '"parser": {"eventName": "/name"} with a sample body {"title": "CPU saturation"}'
    good_example = (
        '"parser": {"eventName": "/title"} with a sample body {"title": "CPU saturation"}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if _pointer_is_broken(ctx):
            return
        runs = sample_results(ctx)
        unnamed = [run for run in runs if not run.named_from_body]
        if not unnamed:
            return
        pointer = _event_name_pointer(ctx)
        manifest_pointer = _trigger_pointer(ctx, "parser", "eventName")
        fallback = unnamed[0].event.event_name
        tests = [run for run in unnamed if run.sample == "test"]
        also = "; the test notification then is not recognised as a test either" if tests else ""
        if pointer is None:
            yield self.finding(
                ctx,
                manifest_pointer,
                f"the parser has no eventName, so the sample cases {_names(unnamed)} get "
                f"the fallback name {fallback!r}{also}; add parser.eventName pointing at the "
                "field that names the alert",
            )
            return
        old = _committed_event_name_pointer(ctx)
        if old is not None and old != pointer:
            stale = [
                run
                for run in unnamed
                if jsonpointer.resolve(run.event.json_body, old) not in (jsonpointer.MISSING, None)
            ]
            if stale:
                first = stale[0]
                yield self.finding_in(
                    ctx,
                    first.name,
                    "/request/body" if first.inline_body else "/request",
                    f"parser.eventName changed from {old!r} to {pointer!r} since the last "
                    f"commit, but the sample cases {_names(stale)} still carry the event name "
                    f"at {old!r}: move it to {pointer!r} in their request bodies, then run "
                    "`ldkit replay --update` and review the expected files (or restore the "
                    "pointer if the change was a mistake)",
                )
                unnamed = [run for run in unnamed if run not in stale]
                if not unnamed:
                    return
        named = [run for run in runs if run.named_from_body]
        if named:
            for run in unnamed:
                yield self.finding_in(
                    ctx,
                    run.name,
                    "/request/body" if run.inline_body else "/request",
                    f"this sample case has nothing at parser.eventName {pointer!r}, which "
                    f"{_names(named)} have, so it gets the fallback name "
                    f"{run.event.event_name!r}; give its body the field {pointer!r}, as the "
                    "partner's real payloads do",
                )
            return
        candidates = _shared_string_pointers(unnamed)
        hint = (
            f" (their bodies have text at {', '.join(repr(c) for c in candidates)})"
            if candidates
            else ""
        )
        yield self.finding(
            ctx,
            manifest_pointer,
            f"parser.eventName {pointer!r} finds nothing in any sample case "
            f"({_names(unnamed)}), so they get the fallback name {fallback!r}{also}; point "
            f"parser.eventName at the field that names the alert{hint}, or, if the partner's "
            "payload changed shape, update those case bodies",
        )


class SampleTestNotRecognised(Rule):
    id = "LD521"
    severity = Severity.ERROR
    title = "The sample test notification is not recognised as a test"
    explanation = (
        "An integration's `sample: test` replay case is the partner's test notification. If "
        "testEventNameRegexp (or the schema default `.*[Tt][Ee][Ss][Tt].*`) does not match its "
        "event name, pressing the partner's 'test' button flips the flag in production. "
        "(A test sample that gets no name from its body at all is reported by LD520.)"
    )
    bad_example = '"testEventNameRegexp": "^Test$" with a test sample titled "Test run"'
    good_example = '"testEventNameRegexp": "^Test run$" with a test sample titled "Test run"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for run in sample_results(ctx):
            if run.sample == "test" and run.named_from_body and not run.event.is_test:
                yield self.finding(
                    ctx,
                    _trigger_pointer(ctx, "testEventNameRegexp"),
                    f"the sample test notification {run.name} has the event name "
                    f"{run.event.event_name[:120]!r}, which the test regexp does not match, so "
                    "a test would change the flag; make testEventNameRegexp match it, e.g. "
                    f"{anchored(run.event.event_name)!r}",
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
        for run in sample_results(ctx):
            if run.sample == "event" and run.named_from_body and run.event.is_test:
                yield self.finding(
                    ctx,
                    _trigger_pointer(ctx, "testEventNameRegexp"),
                    f"the sample event {run.name} has the event name "
                    f"{run.event.event_name[:120]!r}, which the test regexp matches, so real "
                    "events like it would never change the flag; anchor testEventNameRegexp "
                    "to the partner's test name",
                )
