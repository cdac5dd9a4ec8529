"""Parsing one call: the event name, value and URL the manifest's parser
pointers read out of the body, the fallbacks when they read nothing, and
whether the event is a test (the manifest's `testEventNameRegexp`, on RE2)."""

from __future__ import annotations

import re

from ldkit.core.findings import Finding, Severity
from ldkit.javascript import json_type_word
from ldkit.load.pointer import MISSING
from ldkit.trigger.body import (
    decode_body,
    is_valid,
    lookup,
    position_in_body,
    scalar_text,
)
from ldkit.trigger.markdown import SAFE_URL
from ldkit.trigger.model import (
    SCHEMA_DEFAULT_EVENT_NAME,
    SCHEMA_DEFAULT_TEST_REGEXP,
    EventNameSource,
    ParsedEvent,
    TriggerRequest,
    TriggerSpec,
)
from ldkit.trigger.rules import TriggerRegexpBroken, TriggerUrlRejected

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]{0,30}):")


def _url_problem(value: object) -> str | None:
    """Why `value` may not become a link, or None when it is a safe absolute
    http(s) URL. Deliberately stricter than browsers: no leading spaces, no
    control characters, a host right after `//`."""
    if not isinstance(value, str):
        return f"it is a JSON {json_type_word(value)}, not a string"
    if _CONTROL.search(value):
        return "it contains control characters"
    if not SAFE_URL.match(value):
        scheme = _SCHEME.match(value)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            return (
                f"its scheme is {scheme.group(1)!r}; only absolute http and https URLs become links"
            )
        return "it is not an absolute http or https URL"
    return None


def parse_event(spec: TriggerSpec, request: TriggerRequest) -> ParsedEvent:
    """Read event name, value and url out of one body and decide whether it
    is a test event. Shared by `invoke` and the sample rules."""
    body, text, warnings = decode_body(request)

    raw_name = lookup(body, spec.event_name_pointer, "eventName", request, warnings)
    name = scalar_text(raw_name)
    source: EventNameSource = "body"
    if name is None:
        if spec.default_event_name is not None:
            name, source = spec.default_event_name, "defaultEventName"
        else:
            name, source = SCHEMA_DEFAULT_EVENT_NAME, "schemaDefault"

    raw_value = lookup(body, spec.value_pointer, "value", request, warnings)
    value = raw_value if isinstance(raw_value, str | int | float | bool) else None

    url: str | None = None
    raw_url = lookup(body, spec.url_pointer, "url", request, warnings)
    if body is not None and spec.url_pointer is not None and is_valid(spec.url_pointer):
        if raw_url is MISSING:
            why = "the body has nothing there"
        else:
            why = _url_problem(raw_url)
        if why is None:
            url = raw_url  # type: ignore[assignment]
        else:
            line, column = (
                (1, 1) if raw_url is MISSING else position_in_body(text, spec.url_pointer, raw_url)
            )
            warnings.append(
                Finding(
                    request.source,
                    line,
                    column,
                    TriggerUrlRejected.id,
                    Severity.WARNING,
                    f"url is null: the value at {spec.url_pointer!r} is not used because {why}; "
                    "the change-history entry gets no link (send an absolute http(s) URL)",
                    spec.url_pointer,
                )
            )

    pattern = spec.test_regexp if spec.test_regexp is not None else SCHEMA_DEFAULT_TEST_REGEXP
    from ldkit.regex.engine import PatternRefused, compile_matcher

    try:
        is_test = compile_matcher(pattern).search(name)
    except PatternRefused as refused:
        warnings.append(
            Finding(
                request.source,
                1,
                1,
                TriggerRegexpBroken.id,
                Severity.WARNING,
                f"the manifest's testEventNameRegexp {pattern!r} cannot be used: "
                f"{refused.message}; no event is treated as a test, so test notifications "
                "would change the flag",
                "",
            )
        )
        is_test = False

    return ParsedEvent(body, name, source, value, url, is_test, tuple(warnings))
