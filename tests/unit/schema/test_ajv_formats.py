"""`format` as Ajv 6 ("fast" mode) checks it: JavaScript regular expressions
with the `i` flag, ASCII-only, whole string. Every expected verdict below was
checked against ajv 6.15.0's own `lib/compile/formats.js` under Node."""

from __future__ import annotations

import pytest

from ldkit.schema.formats import format_check, unchecked_formats

CASES = [
    ("email", "support@example.com", True),
    ("email", "Support@Example.COM", True),
    ("email", "support@exämple.com", False),
    ("email", "support@example.com\n", False),
    ("date", "2026-07-13", True),
    ("date", "2026-7-13", False),
    ("date-time", "2026-07-13T13:45:00Z", True),
    ("date-time", "2026-07-13 13:45:00+02:00", True),
    ("date-time", "2026-07-13T13:45:00", False),
    ("time", "23:59:60", True),
    ("uri", "https://example.com/a b", False),
    ("uri", "mailto:someone", True),
    ("uri", "/relative/path", False),
    ("uri-reference", "/relative/path", True),
    ("ipv4", "192.0.2.1", True),
    ("ipv4", "192.0.2.256", False),
    ("uuid", "123E4567-E89B-12D3-A456-426614174000", True),
    ("json-pointer", "/data/title", True),
    ("json-pointer", "data/title", False),
    ("json-pointer", "/a~2", False),
    ("relative-json-pointer", "0/title", True),
    ("hostname", "example.com", True),
    ("hostname", "-example.com", False),
]


@pytest.mark.parametrize("fmt,value,ok", CASES)
def test_format(fmt, value, ok):
    check = format_check(fmt)
    assert check is not None
    assert check(value) is ok


def test_formats_ldkit_does_not_check_are_named_not_silently_skipped():
    schema = {
        "properties": {
            "a": {"type": "string", "format": "ipv6"},
            "b": {"type": "string", "format": "email"},
            "c": {"items": {"format": "made-up"}},
            "format": {"type": "string"},
        }
    }
    assert format_check("ipv6") is None
    assert sorted(unchecked_formats(schema)) == ["ipv6", "made-up"]
