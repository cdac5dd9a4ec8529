"""The sample rules (LD520–LD522): an integration's own sample cases, run
through the reference trigger, must agree with its trigger capability."""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.report.findings import Finding, Severity
from ldkit.rules._support import value_at
from ldkit.rules.base import Rule, RuleContext
from ldkit.trigger.core import SCHEMA_DEFAULT_TEST_REGEXP


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
        for name, sample, event in ctx.sample_events:
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
        "testEventNameRegexp (or the schema default "
        f"`{SCHEMA_DEFAULT_TEST_REGEXP}`) does not match its "
        "event name, pressing the partner's 'test' button flips the flag in production."
    )
    bad_example = '"testEventNameRegexp": "^Test$" with a test sample titled "Test run"'
    good_example = '"testEventNameRegexp": "^Test run$" with a test sample titled "Test run"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for name, sample, event in ctx.sample_events:
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
        for name, sample, event in ctx.sample_events:
            if sample == "event" and event.is_test:
                yield self.finding(
                    ctx,
                    _trigger_pointer(ctx, "testEventNameRegexp"),
                    f"the sample event {name} has the event name "
                    f"{event.event_name[:120]!r}, which the test regexp matches, so real "
                    "events like it would never change the flag; anchor testEventNameRegexp "
                    "to the partner's test name",
                )
