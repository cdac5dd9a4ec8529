"""Bodies written to hurt: none may crash the trigger, hang it, or put markup or
a link into a change-history entry."""

from __future__ import annotations

import json
import time

import pytest

from conftest import REPO
from ldkit.trigger.core import (
    TriggerConfig,
    TriggerRequest,
    escape_markdown,
    invoke,
    to_json,
)

DYNATRACE = json.loads((REPO / "integrations/dynatrace/manifest.json").read_text())
GENERIC = {
    "name": "Generic",
    "capabilities": {"trigger": {"parser": {"eventName": "/eventName", "url": "/url"}}},
}
UNESCAPED_FORBIDDEN = set("[]()<>*_`!|~#&:\\")


def run_body(data: bytes, manifest: dict = DYNATRACE) -> dict:
    request = TriggerRequest(data, 1, source="hostile")
    result = invoke(manifest, "x", TriggerConfig(), True, request).to_dict()
    to_json(result)  # the result can always be printed
    return result


def assert_plain(markdown: str) -> None:
    """Every Markdown metacharacter is backslash-escaped, and no line break."""
    assert "\n" not in markdown and "\r" not in markdown
    i = 0
    while i < len(markdown):
        if markdown[i] == "\\":
            i += 2
            continue
        assert markdown[i] not in UNESCAPED_FORBIDDEN, (markdown, i)
        i += 1


HOSTILE_NAMES = [
    "[click me](javascript:alert(1))",
    "![pixel](https://evil.example/p.gif)",
    "<script>alert(1)</script>",
    "<https://evil.example>",
    "[ref]\n\n[ref]: https://evil.example",
    "&#x6A;avascript&colon;alert(1)",
    "https://evil.example and www.evil.example",
    "`code` **bold** __under__ ~~strike~~ | table | # heading",
    "line1\r\nline2\u2028line3\x00\x1b[31mred\x7f",
    "trailing backslash \\",
    "\\[already escaped\\]",
    "safe\u202egnp.exe",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_event_name_markup_is_escaped_and_cannot_inject_a_link(name):
    result = run_body(json.dumps({"title": name}).encode())
    assert result["eventName"] == name  # the field itself keeps the text as sent
    description = result["entry"]["description"]
    assert_plain(description)
    assert "\u202e" not in description


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_with_a_url_only_the_one_intended_link_is_produced(name):
    result = run_body(json.dumps({"title": name, "url": "https://ok.example/a)b c"}).encode())
    description = result["entry"]["description"]
    assert description.startswith("[") and description.endswith("](https://ok.example/a%29b%20c)")
    assert_plain(description[1 : -len("](https://ok.example/a%29b%20c)")])


def test_huge_body_is_handled_quickly():
    name = "x" * 5_000_000
    started = time.perf_counter()
    result = run_body(json.dumps({"title": name, "url": "https://ok.example/"}).encode())
    assert time.perf_counter() - started < 5
    assert len(result["eventName"]) == 5_000_000


def test_megabyte_event_name_against_the_default_regexp_does_not_backtrack_for_ever():
    started = time.perf_counter()
    result = run_body(json.dumps({"eventName": "a" * 1_000_000}).encode(), GENERIC)
    assert time.perf_counter() - started < 2
    assert result["isTest"] is False
    assert run_body(json.dumps({"eventName": "a" * 10_000 + "Test"}).encode(), GENERIC)["isTest"]


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 200_000,
        b'{"a":' * 200_000,
        b'{"title": "x", "deep": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    ],
)
def test_deeply_nested_body_is_a_warning_not_a_crash(data):
    result = run_body(data)
    assert result["recentTriggerBody"]["jsonBody"] is None
    assert result["warnings"][0]["rule"] == "LD500"


def test_nesting_that_parses_but_is_deep_still_positions_the_url_warning():
    deep = b"[" * 400 + b"]" * 400
    result = run_body(b'{"deep": ' + deep + b', "title": "x", "url": "ftp://x"}')
    [warning] = result["warnings"]
    assert warning["rule"] == "LD501"


@pytest.mark.parametrize(
    "data",
    [
        b'{"title": "\\ud800 lone surrogate"}',
        b'{"title": "nul \\u0000 inside"}',
        b'{"title": "x"}\x00',
        b"\x00\x01\x02",
        b'{"title": ' + b"9" * 5000 + b"}",
        b"\xff\xfe{\x00}\x00",
        b'{"title": "a", "title": "b"}',
    ],
)
def test_odd_bytes_never_crash_and_always_print(data):
    result = run_body(data)
    assert result["triggerCount"] == 1
    assert result["outcome"] in ("applied", "test-event", "no-change")


def test_lone_surrogate_result_is_printed_with_ascii_escapes():
    result = run_body(b'{"title": "\\ud800"}')
    text = to_json(result)
    assert "\\ud800" in text
    text.encode("utf-8")


def test_escape_markdown_is_idempotent_in_what_it_renders():
    # escaping an escaped string escapes the backslashes again, so the reader
    # sees the original text with its backslashes, never a live metacharacter
    assert escape_markdown("\\*") == "\\\\\\*"
