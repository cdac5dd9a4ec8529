"""Trigger capability checks that LaunchDarkly's own validator does not make.

Upstream's test-suite never looks at `capabilities.trigger` beyond the schema,
whose only real constraint is a `documentation` string starting with
`http(s)://`. Everything here is a warning: LaunchDarkly accepts these
manifests, but the trigger behaves in a way the partner probably did not mean
(test detection that swallows real alerts, change-history entries without a
name, a display name that says "trigger" twice). Pointer and regex syntax
checks live in `pointers.py` and `regexes.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.load.plain import parse_json
from ldkit.rules._support import value_at
from ldkit.rules.base import Rule, RuleContext
from ldkit.trigger.core import SCHEMA_DEFAULT_EVENT_NAME, SCHEMA_DEFAULT_TEST_REGEXP

TRIGGER = "/capabilities/trigger"
#: A name no test-event pattern should match: a plain production alert.
ORDINARY_EVENT_NAME = "Disk usage above 90% on web-01"
#: Real alert titles a test-event pattern must not match. Several contain the
#: letters "test" inside another word, which is what a bare `[Tt]est` or the
#: schema default catches; none of them is a test notification.
COMMON_ALERT_TITLES = (
    ORDINARY_EVENT_NAME,
    "Latest deploy failed",
    "Contest API down",
    "Attestation service unavailable",
    "Fastest replica lagging behind primary",
    "Lock contested on payments database",
    "High error rate on checkout-service",
    "Response time degradation on login",
    "Memory resources exhausted",
    "Certificate for api.example.com expires in 7 days",
)
_REGEX_SPECIAL = re.compile(r"([\\^$.|?*+()\[\]{}/])")

_UPSTREAM_URL_PREFIX = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://")
_TRIGGER_WORD = re.compile(r"\btriggers?\b", re.IGNORECASE)
_TRIGGER_WORD_AND_SPACE = re.compile(r"\s*\btriggers?\b", re.IGNORECASE)


def trigger_of(ctx: RuleContext) -> dict | None:
    """The trigger capability object, or None (absent or the wrong type, which
    the schema pass reports)."""
    trigger = value_at(ctx.manifest, "capabilities", "trigger")
    return trigger if isinstance(trigger, dict) else None


def fallback_event_name(trigger: dict) -> str:
    """The event name an entry gets when the body yields none (docs/trigger-semantics.md,
    step 2). A string `defaultEventName` is used as is, even when empty,
    as the reference trigger core does."""
    name = trigger.get("defaultEventName")
    return name if isinstance(name, str) else SCHEMA_DEFAULT_EVENT_NAME


def _url_problems(url: str) -> list[str]:
    from urllib.parse import urlsplit  # only manifests with a trigger pay for it

    problems: list[str] = []
    if any(char.isspace() or ord(char) < 0x20 for char in url):
        problems.append("it contains whitespace or control characters")
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return problems + ["it is not a well-formed URL"]
    if parts.scheme.lower() != "https":
        problems.append("it uses plain http")
    if not host:
        problems.append("it has no host")
    return problems


class TriggerDocumentationUrl(Rule):
    id = "LD400"
    severity = Severity.WARNING
    title = "Trigger documentation is not an absolute https URL"
    explanation = (
        "`capabilities.trigger.documentation` is the link LaunchDarkly shows next to a new "
        "trigger's URL so users can finish the setup in the partner's tool. LaunchDarkly's "
        "schema only checks that the text starts with http:// or https://, so `https://` alone, "
        "an address with spaces, or a plain-http page all pass. Give the full https address of "
        "the page that explains how to paste the trigger URL into your tool."
    )
    bad_example = '"documentation": "https://"'
    good_example = (
        '"documentation": "https://launchdarkly.com/docs/integrations/dynatrace/triggers"'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        trigger = trigger_of(ctx)
        if trigger is None:
            return
        url = trigger.get("documentation")
        # Values without the upstream prefix are schema errors, reported there.
        if not isinstance(url, str) or not _UPSTREAM_URL_PREFIX.match(url):
            return
        problems = _url_problems(url)
        if problems:
            yield self.finding(
                ctx,
                f"{TRIGGER}/documentation",
                f"trigger documentation URL {url!r} is accepted by LaunchDarkly, but "
                + "; ".join(problems)
                + "; link the full https address of your setup guide, e.g. "
                "'https://docs.example.com/launchdarkly/triggers'",
            )


class TriggerNameSaysTrigger(Rule):
    id = "LD401"
    severity = Severity.WARNING
    title = "Integration name contains the word 'trigger'"
    explanation = (
        "LaunchDarkly appends the word 'trigger' to the integration name wherever it names a "
        "trigger (the trigger list, the change-history actor). A manifest named 'Acme Trigger' "
        "therefore shows as 'Acme Trigger trigger'. LaunchDarkly's documentation asks for names "
        "without the word; `generic-trigger` is named 'Generic' for this reason."
    )
    bad_example = '{"name": "Acme Trigger", "capabilities": {"trigger": {...}}}'
    good_example = '{"name": "Acme", "capabilities": {"trigger": {...}}}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if trigger_of(ctx) is None:
            return
        name = ctx.manifest.get("name")  # type: ignore[union-attr]
        if not isinstance(name, str) or not _TRIGGER_WORD.search(name):
            return
        suggestion = _TRIGGER_WORD_AND_SPACE.sub("", name).strip(" -:") or "your product's name"
        yield self.finding(
            ctx,
            "/name",
            f"name {name!r} contains the word 'trigger', but LaunchDarkly appends 'trigger' to "
            f"the name of a trigger integration, so it shows as '{name} trigger'; "
            f"name it {suggestion!r}",
        )


class MissingTestEventRegexp(Rule):
    id = "LD402"
    severity = Severity.WARNING
    title = "Trigger has no testEventNameRegexp"
    explanation = (
        "Without `testEventNameRegexp` LaunchDarkly uses the schema default "
        f"`{SCHEMA_DEFAULT_TEST_REGEXP}`: every event whose name merely contains 'test' anywhere "
        "('Latest deploy failed', 'Contest API down', 'Attestation expired') is treated as a "
        "test notification, counted, and does not change the flag. Set an anchored pattern "
        "that matches only the name your tool gives its test notifications."
    )
    bad_example = '"trigger": {"documentation": "…", "parser": {"eventName": "/title"}}'
    good_example = (
        '"trigger": {"documentation": "…", "parser": {"eventName": "/title"}, '
        '"testEventNameRegexp": "^Acme test notification$"}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        trigger = trigger_of(ctx)
        if trigger is None or "testEventNameRegexp" in trigger:
            return
        yield self.finding(
            ctx,
            TRIGGER,
            "the trigger has no testEventNameRegexp, so LaunchDarkly uses the default "
            f"{SCHEMA_DEFAULT_TEST_REGEXP!r} and treats any event whose name contains 'test' "
            "(e.g. 'Latest deploy failed', 'Contest API down') as a test that changes nothing; "
            "add an anchored pattern for your tool's real test-notification name, e.g. "
            '"testEventNameRegexp": "^Acme test notification$"',
        )


class RealEventsMatchTestPattern(Rule):
    id = "LD403"
    severity = Severity.WARNING
    title = "Test-event pattern matches events that are not tests"
    explanation = (
        "Events whose name matches the test-event pattern are counted but never change the "
        "flag. Two names must not match it: the fallback name an event gets when its body "
        f"yields none (`defaultEventName`, or {SCHEMA_DEFAULT_EVENT_NAME!r} when that is not "
        "set), and ordinary "
        "alert names. An empty pattern, `.*`, or an unanchored common word turns every such "
        "event into a silent no-op. Anchor the pattern to the exact test-notification name, "
        "and pick a fallback name it does not match."
    )
    bad_example = '"defaultEventName": "Test alert"   (no testEventNameRegexp: default pattern)'
    good_example = '"defaultEventName": "An Acme alert", "testEventNameRegexp": "^Acme test$"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        from ldkit.regex.engine import PatternRefused, compile_matcher

        trigger = trigger_of(ctx)
        if trigger is None:
            return
        pattern = trigger.get("testEventNameRegexp", SCHEMA_DEFAULT_TEST_REGEXP)
        if not isinstance(pattern, str):
            return
        try:
            matches = compile_matcher(pattern).search
        except PatternRefused:
            return  # the regex rules report why
        name = fallback_event_name(trigger)
        if "testEventNameRegexp" in trigger:
            pointer = f"{TRIGGER}/testEventNameRegexp"
            if matches(ORDINARY_EVENT_NAME):
                yield self.finding(
                    ctx,
                    pointer,
                    f"testEventNameRegexp {pattern!r} matches ordinary alert names such as "
                    f"{ORDINARY_EVENT_NAME!r}, so nearly every event counts as a test and never "
                    "changes the flag; anchor the pattern to your test-notification name, e.g. "
                    "'^Acme test notification$'",
                )
            elif matches(name):
                yield self.finding(
                    ctx,
                    pointer,
                    f"testEventNameRegexp {pattern!r} also matches the fallback event name "
                    f"{name!r} (used when the body has no event name), so those events count as "
                    "tests and never change the flag; anchor the pattern to your "
                    "test-notification name, e.g. '^Acme test notification$'",
                )
            else:
                yield from self._swallowed_titles(ctx, pointer, pattern, matches)
        elif "defaultEventName" in trigger and matches(name):
            yield self.finding(
                ctx,
                f"{TRIGGER}/defaultEventName",
                f"defaultEventName {name!r} contains 'test', which the default test pattern "
                f"{SCHEMA_DEFAULT_TEST_REGEXP!r} matches, so events without a name count as "
                "tests and never change the flag; choose a name without 'test' or set an "
                "anchored testEventNameRegexp",
            )

    def _swallowed_titles(
        self, ctx: RuleContext, pointer: str, pattern: str, matches: Callable[[str], object]
    ) -> Iterator[Finding]:
        """Real-looking titles the pattern matches: the integration's own problem
        samples first, then the built-in list of common alert titles. A pattern
        that can backtrack catastrophically is not run on them (LD432 says so;
        matching could take minutes)."""
        from ldkit.regex.check import analyse

        if any(problem.kind == "backtracking" for problem in analyse(pattern)):
            return
        titles = [(title, f" ({source})") for source, title in _problem_sample_titles(ctx)]
        titles += [(title, "") for title in COMMON_ALERT_TITLES]
        swallowed = list(
            dict.fromkeys(f"{title!r}{where}" for title, where in titles if matches(title))
        )
        if not swallowed:
            return
        shown = ", ".join(swallowed[:3])
        yield self.finding(
            ctx,
            pointer,
            f"testEventNameRegexp {pattern!r} also matches real alert titles such as {shown}, "
            "so alerts like them count as tests and never change the flag (the kill switch "
            f"does not fire); anchor the pattern to the whole test-notification name, e.g. "
            f"{_anchored_suggestion(ctx)!r}",
        )


def _problem_sample_titles(ctx: RuleContext) -> list[tuple[str, str]]:
    """(file name, problem title) of the integration's Dynatrace problem samples."""

    titles: list[tuple[str, str]] = []
    from ldkit.fs import FileRefused, read_text
    from ldkit.integration import PROBLEM_SUFFIX, SAMPLES

    for path in sorted((ctx.integration_dir / SAMPLES).glob(f"**/*{PROBLEM_SUFFIX}")):
        try:
            sample = parse_json(
                read_text(path, root=ctx.integration_dir, reads=ctx.workspace.reads)
            )
        except (FileRefused, ValueError):
            continue
        title = value_at(sample, "problem", "title")
        if isinstance(title, str) and title:
            titles.append((path.relative_to(ctx.integration_dir).as_posix(), title))
    return titles


def _anchored_suggestion(ctx: RuleContext) -> str:
    """`^<the sample test notification's name>$`, or a generic example."""
    for run in ctx.sample_events:
        if run.sample == "test" and run.event.event_name_source == "body":
            return anchored(run.event.event_name)
    return "^Acme test notification$"


def anchored(name: str) -> str:
    """A pattern that matches exactly `name` (escaped for JavaScript and RE2)."""
    return "^" + _REGEX_SPECIAL.sub(r"\\\1", name) + "$"


class TriggerWithoutParser(Rule):
    id = "LD404"
    severity = Severity.WARNING
    title = "Trigger has no parser for the event name"
    explanation = (
        "`parser.eventName` (and `parser.url`) tell LaunchDarkly which fields of the incoming "
        "body name the event and link to it. Without them every change-history entry carries "
        f"the same fallback name ({SCHEMA_DEFAULT_EVENT_NAME!r} unless `defaultEventName` "
        "is set) and no link, so "
        "users cannot tell which alert flipped the flag."
    )
    bad_example = '"trigger": {"documentation": "https://…"}'
    good_example = (
        '"trigger": {"documentation": "https://…", "parser": {"eventName": "/title", '
        '"url": "/url"}}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        trigger = trigger_of(ctx)
        if trigger is None:
            return
        name = fallback_event_name(trigger)
        if "parser" not in trigger:
            yield self.finding(
                ctx,
                TRIGGER,
                f"the trigger has no parser, so every change-history entry is named {name!r} "
                "and has no link; add a parser pointing at the alert's title and link in your "
                'payload, e.g. "parser": {"eventName": "/title", "url": "/url"}',
            )
            return
        parser = trigger["parser"]
        if isinstance(parser, dict) and "eventName" not in parser:
            yield self.finding(
                ctx,
                f"{TRIGGER}/parser",
                f"the parser has no eventName, so every change-history entry is named {name!r}; "
                'add a pointer to the alert title in your payload, e.g. "eventName": "/title"',
            )


class EmptyDefaultEventName(Rule):
    id = "LD405"
    severity = Severity.WARNING
    title = "defaultEventName is empty"
    explanation = (
        "`defaultEventName` names events whose body yields no event name. An empty or blank "
        "value gives their change-history entries no readable name. Set a short description, "
        f"or remove the key to get LaunchDarkly's default {SCHEMA_DEFAULT_EVENT_NAME!r}."
    )
    bad_example = '"defaultEventName": ""'
    good_example = '"defaultEventName": "An Acme alert"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        trigger = trigger_of(ctx)
        if trigger is None:
            return
        name = trigger.get("defaultEventName")
        if isinstance(name, str) and not name.strip():
            yield self.finding(
                ctx,
                f"{TRIGGER}/defaultEventName",
                f"defaultEventName is {'empty' if not name else 'blank'}, so events without a "
                "name get no readable name in the change history; set a short description such "
                f"as 'An Acme alert', or remove the key to use {SCHEMA_DEFAULT_EVENT_NAME!r}",
            )


class SharedSecretAuth(Rule):
    id = "LD406"
    severity = Severity.WARNING
    title = "Trigger uses auth: sharedSecret"
    explanation = (
        'The schema accepts `auth: "sharedSecret"`, but no public integration has ever used '
        "it and LaunchDarkly does not document how the secret is passed or checked. Trigger "
        "URLs already carry an unguessable secret. Leave `auth` out unless LaunchDarkly asked "
        "you to set it."
    )
    bad_example = '"trigger": {"documentation": "https://…", "auth": "sharedSecret"}'
    good_example = '"trigger": {"documentation": "https://…"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        trigger = trigger_of(ctx)
        if trigger is None or trigger.get("auth") != "sharedSecret":
            return
        yield self.finding(
            ctx,
            f"{TRIGGER}/auth",
            "auth 'sharedSecret' is accepted by the schema, but no public integration uses it "
            "and its wire format is undocumented, so you cannot test it; remove the key unless "
            "LaunchDarkly asked for it (the trigger URL itself is the secret)",
        )
