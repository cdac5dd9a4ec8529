"""Every finding of `ldkit dynatrace check`, one configuration that draws it and
one that does not, in each form: rule, line and column in the configuration
file, checked against the flagship Dynatrace integration and its samples."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, REPO
from ldkit.dynatrace.config.payload import load_integration
from ldkit.dynatrace.config.run import check_config, read_config

CONFIGS = FIXTURES / "dynatrace-config"
INTEGRATION = REPO / "integrations" / "dynatrace"

EXPECTED: list[tuple[str, list[tuple[str, int, int]]]] = [
    ("settings/good.json", []),
    ("settings/good-value.json", []),
    ("settings/good-get-items.json", []),
    ("settings/not-a-webhook.json", [("LD700", 1, 1)]),
    ("settings/secret-url-missing.json", [("LD701", 9, 28), ("LD706", 10, 28)]),
    ("settings/secret-url-ignored.json", [("LD701", 9, 28), ("LD706", 10, 20)]),
    ("settings/wrong-type.json", [("LD702", 14, 31)]),
    ("settings/blank-name.json", [("LD703", 6, 20)]),
    ("settings/url-format.json", [("LD704", 16, 14)]),
    ("settings/headers.json", [("LD705", 17, 19), ("LD705", 23, 21)]),
    ("settings/oauth.json", [("LD707", 18, 28), ("LD707", 19, 27)]),
    ("settings/payload-parameter.json", [("LD708", 16, 18)]),
    ("settings/http-url.json", [("LD710", 16, 14)]),
    ("settings/proxy-url.json", [("LD711", 16, 14)]),
    ("settings/wrong-key.json", [("LD720", 16, 18), ("LD721", 16, 18)]),
    (
        "settings/unquoted-title.json",
        [("LD600", 16, 18), ("LD602", 16, 18), ("LD720", 16, 18), ("LD721", 16, 18)],
    ),
    ("settings/text-content-type.json", [("LD607", 22, 18), ("LD721", 22, 18)]),
    ("settings/any-certificate.json", [("LD730", 12, 31)]),
    ("settings/closed-problems.json", [("LD731", 14, 31)]),
    ("settings/event-merges.json", [("LD732", 13, 35)]),
    ("settings/no-alerting-profile.json", [("LD733", 4, 12)]),
    ("settings/secret-header.json", [("LD740", 19, 20)]),
    ("settings/literal-trigger-url.json", [("LD740", 16, 14)]),
    (
        "settings/dynatrace-defaults.json",
        [
            ("LD720", 14, 20),
            ("LD721", 14, 20),
            ("LD731", 10, 30),
            ("LD733", 9, 26),
            ("LD740", 16, 16),
        ],
    ),
    ("classic/good.json", [("LD731", 1, 1)]),
    ("classic/missing-required.json", [("LD701", 1, 1), ("LD701", 1, 1), ("LD731", 1, 1)]),
    ("classic/api-example.json", [("LD731", 1, 1), ("LD740", 6, 10), ("LD740", 12, 16)]),
]


@pytest.fixture(scope="module")
def integration():
    return load_integration(INTEGRATION)


def found(path, integration) -> list[tuple[str, int, int]]:
    results = check_config(read_config(str(path)), integration)
    return sorted((f.rule, f.line, f.column) for r in results for f in r.findings)


@pytest.mark.parametrize(("name", "expected"), EXPECTED, ids=[name for name, _ in EXPECTED])
def test_json_configuration_draws_exactly_these_findings(name, expected, integration):
    assert found(CONFIGS / name, integration) == sorted(expected)


def test_every_rule_of_the_range_has_a_failing_case_somewhere():
    from ldkit.catalogue import declared_in
    from ldkit.dynatrace.config import rules

    terraform_and_monaco = {"LD700", "LD701", "LD708", "LD740"}
    drawn = {rule for _, expected in EXPECTED for rule, _, _ in expected} | terraform_and_monaco
    declared = {rule.id for rule in declared_in(rules)}
    assert len(declared) == 18
    assert declared <= drawn


def test_the_test_notification_finding_says_the_flag_would_flip_and_how_to_fix_it(integration):
    [config] = [read_config(str(CONFIGS / "settings/wrong-key.json"))]
    [result] = check_config(config, integration)
    [error] = [f for f in result.findings if f.rule == "LD720"]
    assert error.severity == "error"
    assert error.message == (
        '"Send test notification" would really run the trigger: its body gives the event name '
        "'An alert', which the dynatrace integration's testEventNameRegexp "
        "'^Dynatrace problem notification test run$' does not match, so LaunchDarkly applies "
        "the flag change; keep the test title where the manifest's parser reads it (the "
        'recommended payload: {"title":"{ProblemTitle}","url":"{ProblemURL}"})'
    )
    assert error.pointer == "/value/webHookNotification/payload"


def test_a_problem_without_event_name_is_one_warning_naming_every_sample(integration):
    [result] = check_config(read_config(str(CONFIGS / "settings/wrong-key.json")), integration)
    [warning] = [f for f in result.findings if f.rule == "LD721"]
    assert warning.message.startswith(
        "for the problem samples failure-rate-merged, many-services-huge, "
        "memory-exhausted-opened, memory-exhausted-resolved, no-tags, special-characters the "
        "trigger reads no event name from the body (the dynatrace integration's parser reads "
        "'/title')"
    )


def test_renderer_findings_keep_their_ids_and_say_which_render_they_come_from(integration):
    [result] = check_config(
        read_config(str(CONFIGS / "settings/text-content-type.json")), integration
    )
    [raw] = [f for f in result.findings if f.rule == "LD607"]
    assert raw.message.startswith(
        "payload rendered for problem sample special-characters, line 1, column 37: "
        "the rendered body is not valid JSON"
    )
    assert "Under Content-Type text/plain Dynatrace does not escape values" in raw.message


def test_closed_problems_default_is_named_when_the_setting_is_absent(integration):
    [result] = check_config(
        read_config(str(CONFIGS / "settings/dynatrace-defaults.json")), integration
    )
    [closed] = [f for f in result.findings if f.rule == "LD731"]
    assert closed.message.startswith(
        "notifyClosedProblems is not set, and the settings schema's default is true: when a "
        "problem closes Dynatrace posts the same title and URL again"
    )
    assert closed.message.endswith("set notifyClosedProblems to false")


def test_plain_secret_names_the_forms_secret_alternative(integration):
    [result] = check_config(read_config(str(CONFIGS / "settings/secret-header.json")), integration)
    [secret] = result.findings
    assert secret.message.startswith("header 'Authorization' carries a credential in plain text")
    assert "secretValue" in secret.message and "${LD_TRIGGER_URL}" in secret.message


def test_without_an_integration_only_the_test_notification_is_rendered():
    results = check_config(read_config(str(CONFIGS / "settings/unquoted-title.json")), None)
    rules = sorted(f.rule for r in results for f in r.findings)
    assert rules == ["LD600", "LD602"]
    [body] = [f for r in results for f in r.findings if f.rule == "LD602"]
    assert body.message.startswith("payload rendered for the test notification, line 1")


def test_json_syntax_errors_come_from_the_positioned_loader(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"value": {"displayName": "x",}}\n', encoding="utf-8")
    [result] = check_config(read_config(str(broken)), None)
    # A trailing comma: the caret is on the comma.
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("LD001", 1, 30)]


def test_other_notification_types_in_a_list_are_skipped(tmp_path):
    import json

    webhook = json.loads((CONFIGS / "classic" / "good.json").read_text(encoding="utf-8"))
    slack = {"type": "SLACK", "name": "on-call", "active": True, "channel": "#ops"}
    listing = tmp_path / "notifications.json"
    listing.write_text(json.dumps([slack, webhook], indent=2), encoding="utf-8")
    config = read_config(str(listing))
    assert [hook.label for hook in config.webhooks] == ["notification [1]"]
    [result] = check_config(config, None)
    assert [f.rule for f in result.findings] == ["LD731"]
