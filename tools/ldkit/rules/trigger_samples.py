"""The sample rules (LD520–LD522): an integration's own sample cases, run
through the reference trigger, must agree with its trigger capability.

One mistake, one finding, in the file to edit: a parser pointer that is not a
JSON pointer is LD410's alone; a pointer no sample has is one LD520 naming the
cases; and when git shows that the pointer changed since the last commit while
the cases still carry the name at the old one, the stale side is the case
bodies, so the finding is in the first case file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.core.findings import Finding, Severity
from ldkit.load import pointer as jsonpointer
from ldkit.rules._support import value_at
from ldkit.rules.base import Rule, RuleContext
from ldkit.rules.triggers import anchored
from ldkit.trigger.core import SCHEMA_DEFAULT_TEST_REGEXP

if TYPE_CHECKING:
    from ldkit.replay.samples import SampleEvent


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


def _consumable(ctx: RuleContext, suspect: Callable[[SampleEvent], bool]) -> list[SampleEvent]:
    """The sample cases whose bodies these rules may judge: not those rendered
    from a broken payload template or problem sample, whose own finding is the
    cause (see docs/findings.md, "One mistake, one finding"). Empty when no case
    is `suspect` (the rule would report nothing): only then are the inputs
    judged, so a clean integration's check stays cheap."""
    from ldkit.replay.samples import broken_input

    runs = ctx.sample_events
    if not any(suspect(run) for run in runs):
        return []
    return [run for run in runs if broken_input(run) is None]


def _named(run: SampleEvent) -> bool:
    """The sample got its event name from its body."""
    return run.event.event_name_source == "body"


def _test_missed(run: SampleEvent) -> bool:
    """A test sample named from its body that the test pattern does not match."""
    return run.sample == "test" and _named(run) and not run.event.is_test


def _event_as_test(run: SampleEvent) -> bool:
    """An event sample named from its body that the test pattern matches."""
    return run.sample == "event" and _named(run) and run.event.is_test


def _test_pattern_unusable(ctx: RuleContext) -> bool:
    """testEventNameRegexp cannot run: it does not compile (LD430) or RE2,
    LaunchDarkly's engine, refuses it (LD431). That finding says so; whether a
    sample matches is then unknown, never "does not match"."""
    from ldkit.regex.check import analyse
    from ldkit.regex.problems import COMPILE, RE2

    pattern = value_at(ctx.manifest, "capabilities", "trigger", "testEventNameRegexp")
    return isinstance(pattern, str) and any(p.kind in (COMPILE, RE2) for p in analyse(pattern))


def _body_pointer(ctx: RuleContext, run: SampleEvent) -> str:
    """Where the case file writes its body: `request.body`, else the request."""
    request = value_at(ctx.document_of(run.case).value, "request")
    return "/request/body" if isinstance(request, dict) and "body" in request else "/request"


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
    import subprocess

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


def _names(runs: list[SampleEvent]) -> str:
    return ", ".join(run.case for run in runs)


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


def _shared_string_pointers(runs: list[SampleEvent]) -> list[str]:
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
        runs = _consumable(ctx, lambda run: not _named(run))
        unnamed = [run for run in runs if not _named(run)]
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
                    first.case,
                    _body_pointer(ctx, first),
                    f"parser.eventName changed from {old!r} to {pointer!r} since the last "
                    f"commit, but the sample cases {_names(stale)} still carry the event name "
                    f"at {old!r}: move it to {pointer!r} in their request bodies, then run "
                    "`ldkit replay --update` and review the expected files (or restore the "
                    "pointer if the change was a mistake)",
                )
                unnamed = [run for run in unnamed if run not in stale]
                if not unnamed:
                    return
        named = [run for run in runs if _named(run)]
        if named:
            for run in unnamed:
                yield self.finding_in(
                    ctx,
                    run.case,
                    _body_pointer(ctx, run),
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
        "testEventNameRegexp (or the schema default "
        f"`{SCHEMA_DEFAULT_TEST_REGEXP}`) does not match its "
        "event name, pressing the partner's 'test' button flips the flag in production. "
        "(A test sample that gets no name from its body at all is reported by LD520.)"
    )
    bad_example = '"testEventNameRegexp": "^Test$" with a test sample titled "Test run"'
    good_example = '"testEventNameRegexp": "^Test run$" with a test sample titled "Test run"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if _test_pattern_unusable(ctx):
            return
        missed = [run for run in _consumable(ctx, _test_missed) if _test_missed(run)]
        if not missed:
            return
        name = missed[0].event.event_name
        cases = "case depends" if len(missed) == 1 else "cases depend"
        yield self.finding(
            ctx,
            _trigger_pointer(ctx, "testEventNameRegexp"),
            f"the test notification's event name {name[:120]!r} (sample {_names(missed)}) "
            "does not match the test regexp, so every test notification would then flip the "
            f"flag ({len(missed)} replay {cases} on this); make testEventNameRegexp match "
            f"it, e.g. {anchored(name)!r}",
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
        for run in _consumable(ctx, _event_as_test):
            if _event_as_test(run):
                yield self.finding(
                    ctx,
                    _trigger_pointer(ctx, "testEventNameRegexp"),
                    f"the sample event {run.case} has the event name "
                    f"{run.event.event_name[:120]!r}, which the test regexp matches, so real "
                    "events like it would never change the flag; anchor testEventNameRegexp "
                    "to the partner's test name",
                )
