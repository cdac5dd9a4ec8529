"""Warnings about one trigger call (LD500–LD504), emitted by the reference
trigger (`ldkit.trigger.core`, `ldkit.trigger.loading`) for `ldkit trigger` and
`ldkit replay`. Their `path` is the body or the manifest of that call."""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class TriggerBodyNotAnObject(RuleDeclaration):
    id = "LD500"
    severity = Severity.WARNING
    title = "Trigger body is not a JSON object"
    explanation = (
        "Reported by `ldkit trigger` and `ldkit replay`. The request body was empty, not "
        "UTF-8, not JSON, or JSON whose root is not an object, so no parser pointer can "
        "resolve: the recorded jsonBody is null and the event name falls back to "
        "defaultEventName (or the schema default event name). LaunchDarkly still counts "
        "the call and still "
        "acts. Send a JSON object, e.g. Dynatrace's recommended custom payload."
    )
    bad_example = "OPEN Problem P-22013994: CPU saturation"
    good_example = '{"title": "CPU saturation", "url": "https://example.live.dynatrace.com/..."}'


class TriggerUrlRejected(RuleDeclaration):
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


class TriggerRegexpBroken(RuleDeclaration):
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


class TriggerPointerInvalid(RuleDeclaration):
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


class TriggerCapabilityMissing(RuleDeclaration):
    id = "LD504"
    severity = Severity.ERROR
    title = "No trigger capability to call"
    explanation = (
        "Reported by `ldkit trigger` and `ldkit replay` (exit code 1): the manifest has no "
        "`capabilities.trigger` object, so there is no trigger to run a body through."
    )
    bad_example = '"capabilities": {"auditLogEventsHook": {...}}'
    good_example = '"capabilities": {"trigger": {"documentation": "https://...", ...}}'
