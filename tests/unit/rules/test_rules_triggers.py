"""Trigger capability rules LD400-LD406, through the real CLI."""

from __future__ import annotations

import pytest

from _triggerrules_helpers import REPO, findings_of, ld4_findings, located

TRIGGER = "/capabilities/trigger"


@pytest.mark.parametrize("case", ["clean-trigger", "clean-capabilities"])
def test_a_well_formed_trigger_manifest_draws_no_trigger_pointer_or_regex_finding(run, case):
    assert findings_of(run, case) == []


def test_the_dynatrace_integration_draws_no_trigger_pointer_or_regex_finding(run):
    assert ld4_findings(run, REPO / "integrations" / "dynatrace" / "manifest.json") == []


def test_rule_catalogue_documents_every_trigger_rule():
    from ldkit.catalogue import all_rules

    for rule_id in [f"LD40{n}" for n in range(7)] + ["LD410", "LD411", "LD412", "LD413"]:
        rule = all_rules()[rule_id]
        assert rule.title and rule.explanation and rule.bad_example and rule.good_example


# LD400 -----------------------------------------------------------------------------------------


def test_plain_http_documentation_url_is_a_warning_at_the_url(run):
    [finding] = findings_of(run, "documentation-http")
    assert located(finding) == ("LD400", "warning", f"{TRIGGER}/documentation", 21, 24)
    assert "it uses plain http" in finding["message"]
    assert "link the full https address of your setup guide" in finding["message"]


def test_documentation_url_without_host_is_a_warning(run):
    [finding] = findings_of(run, "documentation-no-host")
    assert located(finding) == ("LD400", "warning", f"{TRIGGER}/documentation", 21, 24)
    assert "'https://' is accepted by LaunchDarkly, but it has no host" in finding["message"]


# LD401 -----------------------------------------------------------------------------------------


def test_integration_name_with_the_word_trigger_is_a_warning_at_the_name(run):
    [finding] = findings_of(run, "name-with-trigger")
    assert located(finding) == ("LD401", "warning", "/name", 2, 11)
    assert "it shows as 'Acme Trigger trigger'" in finding["message"]
    assert "name it 'Acme'" in finding["message"]


def test_trigger_inside_a_longer_word_is_not_the_word_trigger(run):
    assert findings_of(run, "name-with-trigger-word-inside") == []


# LD402 -----------------------------------------------------------------------------------------


def test_missing_test_regexp_warns_that_names_containing_test_are_swallowed(run):
    [finding] = findings_of(run, "no-test-regexp")
    assert located(finding) == ("LD402", "warning", TRIGGER, 20, 16)
    message = finding["message"]
    assert "'.*[Tt][Ee][Ss][Tt].*'" in message
    assert "'Latest deploy failed'" in message
    assert '"testEventNameRegexp": "^Acme test notification$"' in message


# LD403 -----------------------------------------------------------------------------------------


def test_test_regexp_matching_the_default_event_name_is_a_warning_at_the_regexp(run):
    [finding] = findings_of(run, "test-regexp-matches-fallback")
    assert located(finding) == ("LD403", "warning", f"{TRIGGER}/testEventNameRegexp", 28, 30)
    assert (
        "'test|alert' also matches the fallback event name 'An Acme alert'" in (finding["message"])
    )


def test_default_event_name_containing_test_under_the_default_regexp_is_flagged(run):
    findings = findings_of(run, "default-name-contains-test")
    assert [located(f) for f in findings] == [
        ("LD402", "warning", TRIGGER, 20, 16),
        ("LD403", "warning", f"{TRIGGER}/defaultEventName", 27, 27),
    ]
    assert "defaultEventName 'Latest Acme event' contains 'test'" in findings[1]["message"]


# LD404 -----------------------------------------------------------------------------------------


def test_trigger_without_parser_warns_that_every_entry_gets_the_default_name(run):
    [finding] = findings_of(run, "no-parser")
    assert located(finding) == ("LD404", "warning", TRIGGER, 20, 16)
    assert "every change-history entry is named 'An Acme alert'" in finding["message"]
    assert '"parser": {"eventName": "/title", "url": "/url"}' in finding["message"]


def test_parser_without_event_name_is_a_warning_at_the_parser(run):
    [finding] = findings_of(run, "parser-without-event-name")
    assert located(finding) == ("LD404", "warning", f"{TRIGGER}/parser", 22, 17)
    assert "the parser has no eventName" in finding["message"]


# LD405 -----------------------------------------------------------------------------------------


def test_empty_default_event_name_is_a_warning(run):
    [finding] = findings_of(run, "empty-default-event-name")
    assert located(finding) == ("LD405", "warning", f"{TRIGGER}/defaultEventName", 27, 27)
    assert "defaultEventName is empty" in finding["message"]
    assert "remove the key to use 'An alert'" in finding["message"]


# LD406 -----------------------------------------------------------------------------------------


def test_shared_secret_auth_is_a_warning_at_the_auth_value(run):
    [finding] = findings_of(run, "shared-secret")
    assert located(finding) == ("LD406", "warning", f"{TRIGGER}/auth", 29, 15)
    assert "its wire format is undocumented" in finding["message"]


def test_catch_all_test_regexp_is_a_warning_that_every_event_is_swallowed(run):
    [finding] = findings_of(run, "test-regexp-matches-everything")
    assert located(finding) == ("LD403", "warning", f"{TRIGGER}/testEventNameRegexp", 28, 30)
    assert finding["message"].startswith(
        "testEventNameRegexp '' matches ordinary alert names such as "
        "'Disk usage above 90% on web-01'"
    )


def test_an_empty_default_event_name_is_the_fallback_as_the_trigger_core_uses_it(run, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(
        '{"name": "Acme", "capabilities": {"trigger": {\n'
        '  "documentation": "https://acme.example/docs",\n'
        '  "parser": {"eventName": "/title"},\n'
        '  "defaultEventName": "",\n'
        '  "testEventNameRegexp": "^$"}}}\n'
    )
    findings = ld4_findings(run, path)
    assert [located(f) for f in findings] == [
        ("LD405", "warning", f"{TRIGGER}/defaultEventName", 4, 23),
        ("LD403", "warning", f"{TRIGGER}/testEventNameRegexp", 5, 26),
    ]
    assert "also matches the fallback event name ''" in findings[1]["message"]
