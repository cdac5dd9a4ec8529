"""Ajv 6's `format` keyword, as LaunchDarkly's validator applies it.

Ajv 6 runs in its default "fast" format mode: each format is one JavaScript
regular expression with the `i` flag and no `u` flag, so case folding is
ASCII-only, `\\d` is ASCII, `$` is the very end of the string and `\\s` is
JavaScript's whitespace. The bundled schema uses only `email`; a checkout of
LaunchDarkly's repository may use others, and they must judge the way Ajv does.

Formats Ajv knows but ldkit does not reproduce (`url`, `ipv6`, `uri-template`,
`regex`) and formats nobody knows are reported by `unchecked_formats`, so the
stderr note can say which checks ldkit skipped rather than skip them silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from ldkit.javascript import JS_WHITESPACE

_FLAGS = re.ASCII | re.IGNORECASE
_NOT_SPACE = f"[^{JS_WHITESPACE}]"
_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TIME = r"(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?"
_ZONE = r"(?:z|[+-]\d\d(?::?\d\d)?)"

#: Ajv 6 "fast" format regular expressions, without their ^ and $ (applied
#: with `fullmatch`, which is what ^...$ means in JavaScript without flags).
_PATTERNS: dict[str, str] = {
    "date": r"\d\d\d\d-[0-1]\d-[0-3]\d",
    "time": _TIME + _ZONE + "?",
    "date-time": r"\d\d\d\d-[0-1]\d-[0-3]\d[t" + JS_WHITESPACE + "]" + _TIME + _ZONE,
    "uri": r"(?:[a-z][a-z0-9+\-.]*:)(?:/?/)?" + _NOT_SPACE + "*",
    "uri-reference": (
        r"(?:(?:[a-z][a-z0-9+\-.]*:)?/?/)?(?:[^\\#" + JS_WHITESPACE + "]"
        r"[^#" + JS_WHITESPACE + r"]*)?(?:#[^\\" + JS_WHITESPACE + "]*)?"
    ),
    "email": (r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + _HOST_LABEL + r"(?:\." + _HOST_LABEL + ")*"),
    "hostname": r"(?=[^\n\r\u2028\u2029]{1,253}\.?\Z)"
    + _HOST_LABEL
    + r"(?:\."
    + _HOST_LABEL
    + r")*\.?",
    "ipv4": r"(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)",
    "uuid": r"(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}",
    "json-pointer": r"(?:/(?:[^~/]|~0|~1)*)*",
    "json-pointer-uri-fragment": r"#(?:/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~0|~1)*)*",
    "relative-json-pointer": r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)",
}

#: What each format means, for messages ("must be ...").
FORMAT_MEANING: dict[str, str] = {
    "date": "a date such as 2026-07-13",
    "time": "a time such as 13:45:00Z",
    "date-time": "a date and time such as 2026-07-13T13:45:00Z",
    "uri": "an absolute URI such as https://example.com/path",
    "uri-reference": "a URI or a relative reference",
    "email": "an email address such as support@example.com",
    "hostname": "a host name such as example.com",
    "ipv4": "an IPv4 address such as 192.0.2.1",
    "uuid": "a UUID such as 123e4567-e89b-12d3-a456-426614174000",
    "json-pointer": "a JSON pointer such as /data/title",
    "json-pointer-uri-fragment": "a JSON pointer URI fragment such as #/data/title",
    "relative-json-pointer": "a relative JSON pointer such as 0/title",
}


@cache
def _compiled(name: str) -> Callable[[str], Any]:
    """A format's matcher, compiled on first use: the bundled schema uses only
    `email`, so validating a manifest compiles one of these, not all."""
    return re.compile(_PATTERNS[name], _FLAGS).fullmatch


def format_check(name: str) -> Callable[[str], bool] | None:
    """A predicate for `format: name` as Ajv 6 applies it, or None when ldkit
    does not check that format (the value then passes, and the note says so)."""
    if name not in _PATTERNS:
        return None
    match = _compiled(name)
    return lambda value: match(value) is not None


def is_ajv_email(value: str) -> bool:
    """Ajv 6's `format: email` in its default ("fast") mode."""
    return _compiled("email")(value) is not None


def unchecked_formats(schema: Any) -> Iterator[str]:
    """Every `format` the schema uses that ldkit does not check, once each."""
    seen: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            fmt = node.get("format")
            if isinstance(fmt, str) and fmt not in _PATTERNS and fmt not in seen:
                seen.add(fmt)
                yield fmt
            stack.extend(v for k, v in node.items() if k not in ("enum", "const", "default"))
        elif isinstance(node, list):
            stack.extend(node)
