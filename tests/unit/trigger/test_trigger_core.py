"""The reference trigger semantics (docs/trigger-semantics.md), one rule per test."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES as TESTS_FIXTURES
from conftest import REPO
from ldkit.trigger.core import (
    TriggerConfig,
    TriggerHistory,
    TriggerRequest,
    escape_markdown,
    invoke,
    link_target,
)

FIXTURES = TESTS_FIXTURES / "trigger"
T0 = 1732000000000


def manifest(name: str) -> dict:
    if name == "dynatrace":
        return json.loads((REPO / "integrations/dynatrace/manifest.json").read_text())
    return json.loads((FIXTURES / name / "manifest.json").read_text())


def body(name: str) -> bytes:
    return (FIXTURES / "bodies" / name).read_bytes()


def call(
    manifest_name: str,
    data: bytes | dict,
    *,
    action: str = "turnFlagOff",
    flag_on: bool | None = None,
    history: TriggerHistory | None = None,
    timestamp: int = T0,
) -> dict:
    if isinstance(data, dict):
        data = json.dumps(data).encode()
    config = TriggerConfig(action=action)  # type: ignore[arg-type]
    if flag_on is None:
        flag_on = not config.turns_on
    request = TriggerRequest(data, timestamp, source="body.json")
    result = invoke(manifest(manifest_name), manifest_name, config, flag_on, request, history)
    return result.to_dict()


# --- 1. body decoding ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "why", "column"),
    [
        (b"", "the request body is empty", 1),
        (b"   \n", "the request body is empty", 1),
        (b'{"title": "Caf\xe9"}', "not valid UTF-8 (byte 0xe9)", 15),
        (b'{"title": "x",}', "not JSON", 15),
        (b"  [1, 2]", "a JSON array, not an object", 3),
        (b'"just a string"', "a JSON string, not an object", 1),
        (b"null", "a JSON null, not an object", 1),
        (b'{"title": NaN}', "not JSON", 1),
        (b'{"value": 1e999}', "out of range", 1),
        (b'\xef\xbb\xbf{"title": "x"}', "byte order mark", 1),
    ],
)
def test_unusable_body_gives_null_json_body_a_warning_and_still_counts(data, why, column):
    result = call("dynatrace", data)
    assert result["recentTriggerBody"] == {"timestamp": T0, "jsonBody": None}
    assert result["triggerCount"] == 1
    assert result["eventName"] == "An alert"
    [warning] = result["warnings"]
    assert warning["rule"] == "LD500" and warning["severity"] == "warning"
    assert why in warning["message"]
    assert (warning["path"], warning["pointer"], warning["line"]) == ("body.json", "", 1)
    assert warning["column"] == column


def test_unusable_body_still_acts_on_the_flag():
    result = call("dynatrace", b"not json")
    assert result["outcome"] == "applied"
    assert result["entry"]["triggerBody"] is None


def test_invalid_json_warning_points_at_the_offending_line_and_column():
    [warning] = call("dynatrace", b'{\n  "title": "x"\n  "url": 1\n}')["warnings"]
    assert (warning["line"], warning["column"]) == (3, 3)


# --- 2. eventName ----------------------------------------------------------------


def test_string_event_name_is_used_as_is():
    result = call("dynatrace", {"title": "  CPU\nsaturation  "})
    assert result["eventName"] == "  CPU\nsaturation  "
    assert result["eventNameSource"] == "body"


@pytest.mark.parametrize(
    ("value", "text"), [(42, "42"), (-1.5, "-1.5"), (True, "true"), (False, "false")]
)
def test_number_or_boolean_event_name_is_its_json_text(value, text):
    result = call("dynatrace", {"title": value})
    assert (result["eventName"], result["eventNameSource"]) == (text, "body")


@pytest.mark.parametrize("value", [None, {}, {"a": 1}, [], ["x"], ""])
def test_null_object_array_or_empty_event_name_falls_back(value):
    result = call("dynatrace", {"title": value})
    assert (result["eventName"], result["eventNameSource"]) == ("An alert", "schemaDefault")


def test_pointer_to_missing_key_falls_back_to_default_event_name():
    result = call("generic", body("generic-no-event-name.json"))
    assert (result["eventName"], result["eventNameSource"]) == ("An event", "defaultEventName")
    assert result["value"] == 3


def test_without_default_event_name_the_schema_default_an_alert_is_used():
    result = call("dynatrace", {"ProblemTitle": "CPU saturation"})
    assert (result["eventName"], result["eventNameSource"]) == ("An alert", "schemaDefault")


def test_pointer_with_escapes_and_array_index_resolves():
    result = call("pointers", body("pointers.json"))
    assert (result["eventName"], result["eventNameSource"]) == ("Checkout latency", "body")


def test_invalid_parser_pointer_never_resolves_and_warns():
    result = call("bad-pointer", {"title": "CPU saturation", "url": "https://x.example/"})
    assert result["eventNameSource"] == "schemaDefault"
    [warning] = result["warnings"]
    assert (warning["rule"], warning["pointer"]) == ("LD503", "title")
    assert "must be empty or start with '/'" in warning["message"]


# --- 3. value --------------------------------------------------------------------


def test_scalar_value_is_kept_with_its_json_type():
    assert call("generic", body("generic-event.json"))["value"] == 0.42
    assert call("generic", {"eventName": "x", "value": "high"})["value"] == "high"
    assert call("generic", {"eventName": "x", "value": False})["value"] is False


def test_object_value_becomes_null():
    result = call("pointers", body("pointers.json"))
    assert result["value"] is None  # /metrics/1 is an object
    assert call("generic", {"eventName": "x", "value": [1]})["value"] is None


# --- 4. url ----------------------------------------------------------------------


def test_absolute_https_url_is_kept():
    result = call("generic", body("generic-event.json"))
    assert result["url"] == "https://status.example.com/incidents/7"
    assert result["warnings"] == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "its scheme is 'javascript'"),
        ("JavaScript:alert(1)", "its scheme is 'JavaScript'"),
        ("data:text/html,<b>x</b>", "its scheme is 'data'"),
        ("/relative/path", "not an absolute http or https URL"),
        ("https://", "not an absolute http or https URL"),
        (" https://example.com", "not an absolute http or https URL"),
        ("https://example.com/\nx", "control characters"),
        (7, "it is a JSON number, not a string"),
        ({"href": "https://example.com"}, "it is a JSON object, not a string"),
    ],
)
def test_url_that_is_not_absolute_http_is_dropped_with_a_warning(url, why):
    result = call("dynatrace", {"title": "CPU", "url": url})
    assert result["url"] is None
    assert result["entry"]["url"] is None
    assert "](" not in result["entry"]["description"]
    [warning] = result["warnings"]
    assert (warning["rule"], warning["pointer"]) == ("LD501", "/url")
    assert why in warning["message"]


def test_url_warning_is_positioned_at_the_value_in_the_body():
    [warning] = call("dynatrace", b'{\n  "title": "CPU",\n  "url": "ftp://x"\n}')["warnings"]
    assert (warning["line"], warning["column"]) == (3, 10)


def test_missing_url_warns_when_the_parser_has_a_url_pointer():
    [warning] = call("dynatrace", {"title": "CPU"})["warnings"]
    assert warning["rule"] == "LD501"
    assert "the body has nothing there" in warning["message"]


def test_uppercase_http_scheme_is_accepted():
    assert call("dynatrace", {"title": "CPU", "url": "HTTP://EXAMPLE.COM/"})["url"]


# --- 5. test detection -------------------------------------------------------------


def test_manifest_test_regexp_matches_the_documented_test_title():
    result = call("dynatrace", {"title": "Dynatrace problem notification test run"})
    assert result["isTest"] is True


def test_anchored_test_regexp_does_not_match_a_variation_of_the_test_title():
    result = call("dynatrace", {"title": "Dynatrace problem notification test run (2)"})
    assert result["isTest"] is False


def test_without_test_regexp_latest_deploy_is_treated_as_a_test():
    result = call("generic", body("generic-latest-deploy.json"))
    assert result["isTest"] is True
    assert result["outcome"] == "test-event"


def test_default_regexp_is_searched_unanchored_in_the_final_event_name():
    assert call("generic", {"eventName": "Contest winner"})["isTest"] is True
    assert call("generic", {"eventName": "Error budget burn"})["isTest"] is False
    # the fallback name is tested too: "An event" has no "test" in it
    assert call("generic", {})["isTest"] is False


def test_regexp_that_does_not_compile_warns_and_matches_nothing():
    result = call("bad-regexp", {"title": "Test run"})
    assert result["isTest"] is False
    assert result["outcome"] == "applied"
    [warning] = result["warnings"]
    assert warning["rule"] == "LD502"
    assert "'^Test ('" in warning["message"] and "does not compile" in warning["message"]


# --- 6. counting ----------------------------------------------------------------


def test_every_call_counts_and_history_keeps_ten_bodies_newest_first():
    history = TriggerHistory()
    for n in range(12):
        result = call("generic", {"eventName": f"e{n}"}, history=history, timestamp=T0 + n)
    assert result["triggerCount"] == 12
    assert len(history.recent) == 10
    assert [b["timestamp"] for b in history.recent] == [T0 + n for n in range(11, 1, -1)]
    assert history.recent[0]["jsonBody"] == {"eventName": "e11"}


def test_test_events_and_no_change_calls_count_too():
    history = TriggerHistory()
    call("dynatrace", {"title": "Dynatrace problem notification test run"}, history=history)
    call("dynatrace", {"title": "CPU"}, flag_on=False, history=history)
    assert history.trigger_count == 2


# --- 7. outcomes ------------------------------------------------------------------


def test_test_event_changes_nothing_and_writes_no_entry():
    result = call("dynatrace", {"title": "Dynatrace problem notification test run"})
    assert (result["outcome"], result["flagOnAfter"], result["entry"]) == ("test-event", True, None)


def test_flag_already_in_target_state_is_no_change():
    result = call("dynatrace", {"title": "CPU"}, flag_on=False)
    assert (result["outcome"], result["flagOnAfter"], result["entry"]) == ("no-change", False, None)
    result = call("dynatrace", {"title": "CPU"}, action="turnFlagOn", flag_on=True)
    assert (result["outcome"], result["flagOnAfter"]) == ("no-change", True)


def test_applied_flips_the_flag_both_ways():
    assert call("dynatrace", {"title": "CPU"})["flagOnAfter"] is False
    result = call("dynatrace", {"title": "CPU"}, action="turnFlagOn")
    assert (result["outcome"], result["flagOnAfter"]) == ("applied", True)


def test_result_keys_are_in_documented_order():
    assert list(call("dynatrace", {"title": "CPU"})) == [
        "outcome",
        "eventName",
        "eventNameSource",
        "value",
        "url",
        "isTest",
        "flagOnAfter",
        "triggerCount",
        "recentTriggerBody",
        "entry",
        "warnings",
    ]


# --- 8. change-history entry ---------------------------------------------------------


def test_applied_entry_has_the_documented_shape_and_wording():
    result = call("generic", body("generic-event.json"), action="turnFlagOn")
    assert result["entry"] == {
        "date": T0,
        "kind": "flag",
        "action": "updateOn",
        "actor": {"kind": "trigger", "integrationKey": "generic", "name": "Generic trigger"},
        "target": {"flag": "example-flag", "environment": "production"},
        "titleVerb": "turned on",
        "title": "Generic trigger turned on the flag example-flag in production",
        "eventName": "Error budget burn",
        "value": 0.42,
        "url": "https://status.example.com/incidents/7",
        "description": (
            "[Error budget burn](https://status.example.com/incidents/7)\n\nValue: 0.42"
        ),
        "triggerBody": json.loads(body("generic-event.json")),
    }


def test_entry_without_url_shows_the_event_name_plain():
    result = call("generic", {"eventName": "Disk full"})
    assert result["entry"]["description"] == "Disk full"
    assert result["entry"]["title"].endswith("turned off the flag example-flag in production")


def test_link_target_percent_encodes_parentheses_spaces_and_angle_brackets():
    result = call("pointers", body("pointers.json"))
    assert result["url"] == "https://mon.example.com/a b(c)<d>"
    assert result["entry"]["description"] == (
        "[Checkout latency](https://mon.example.com/a%20b%28c%29%3Cd%3E)"
    )


def test_markdown_in_event_name_is_escaped_so_it_cannot_add_a_link():
    name = "[click](javascript:alert(1)) **bold** <img src=x> `x` | ~s~ #h !"
    description = call("dynatrace", {"title": name, "url": "https://x.example/"})["entry"][
        "description"
    ]
    assert description == (
        "[\\[click\\]\\(javascript\\:alert\\(1\\)\\) \\*\\*bold\\*\\* \\<img src\\=x\\> "
        "\\`x\\` \\| \\~s\\~ \\#h \\!](https://x.example/)"
    )


def test_line_breaks_in_event_name_become_spaces_in_the_description():
    assert escape_markdown("a\nb\r\n\tc\u2028d") == "a b c d"


def test_escape_keeps_non_latin_text_and_emoji():
    assert escape_markdown("決済 🚨 Ошибка") == "決済 🚨 Ошибка"


def test_link_target_keeps_existing_percent_escapes():
    assert link_target("https://x.example/a%20b?q=(1)") == "https://x.example/a%20b?q=%281%29"


def test_actor_name_falls_back_to_the_integration_key_without_a_manifest_name():
    config = TriggerConfig()
    request = TriggerRequest(b'{"title": "x"}', T0)
    entry = invoke({"capabilities": {"trigger": {}}}, "acme", config, True, request).entry
    assert entry is not None and entry["actor"]["name"] == "acme trigger"


def test_string_value_is_escaped_in_the_value_line():
    result = call("generic", {"eventName": "Disk", "value": "[x](javascript:1)\nmore"})
    assert result["entry"]["description"] == "Disk\n\nValue: \\[x\\]\\(javascript\\:1\\) more"
