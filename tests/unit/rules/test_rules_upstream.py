"""LaunchDarkly's own semantic checks (S2–S29), reproduced: each rule fails on a
fixture that breaks it, at the right place, and stays silent on one that does not."""

from __future__ import annotations

import pytest

from _upstream_helpers import by_rule, own, validate

# (case, integration folder, rule, severity, pointer, line, column, words in the message)
FAILING = [
    ("icon-missing", "example-tool", "LD200", "error", "/icons/horizontal", 17, 19,
     "'assets/wide.svg' does not exist"),
    ("icon-outside", "example-tool", "LD201", "warning", "/icons/square", 16, 15,
     "outside the integration folder"),
    ("icon-not-svg", "example-tool", "LD202", "warning", "/icons/square", 16, 15, "is empty"),
    ("icon-not-svg", "example-tool", "LD202", "warning", "/icons/horizontal", 17, 19,
     "is not an SVG document"),
    ("overview-no-period", "example-tool", "LD203", "error", "/overview", 4, 15,
     "must end with a period"),
    ("no-capabilities", "example-tool", "LD204", "error", "/otherCapabilities", 1, 1,
     "no capabilities and it has no otherCapabilities"),
    ("oauth-not-allowed", "my-tool", "LD205", "error", "/requiresOAuth", 22, 20,
     "LaunchDarkly must enable OAuth for the integration 'my-tool'"),
    ("oauth-shared-key", "alpha", "LD206", "error", "/oauthIntegrationKey", 22, 26,
     "'shared-client' is also used by integrations/beta"),
    ("oauth-shared-key", "beta", "LD206", "error", "/oauthIntegrationKey", 22, 26,
     "'shared-client' is also used by integrations/alpha"),
    ("oauth-no-key", "sentry", "LD207", "warning", "/requiresOAuth", 22, 20,
     'no "oauthIntegrationKey"'),
    ("hmac-no-form-variables", "example-tool", "LD208", "error",
     "/capabilities/auditLogEventsHook/endpoint/hmacSignature", 30, 26,
     'the manifest has no "formVariables"'),
    ("hmac-unknown-key", "example-tool", "LD208", "error",
     "/capabilities/auditLogEventsHook/endpoint/hmacSignature/hmacSecretFormVariableKey", 41, 40,
     "'secret' names no top-level form variable"),
    ("hmac-not-secret", "example-tool", "LD208", "error", "/formVariables/0/isSecret", 25, 19,
     'set "isSecret": true'),
    ("error-body-uri-host", "example-tool", "LD209", "error",
     "/capabilities/auditLogEventsHook/includeErrorResponseBody", 41, 35,
     "form variable 'host' of type 'uri'"),
    ("error-body-no-form-variables", "example-tool", "LD209", "error",
     "/capabilities/auditLogEventsHook/endpoint/url", 22, 16, "no top-level formVariables"),
    ("error-body-subdomain", "example-tool", "LD209", "error",
     "/capabilities/auditLogEventsHook/includeErrorResponseBody", 45, 35,
     "host '{{region}}.example.com' is templated"),
    ("error-body-spaced-host", "example-tool", "LD210", "warning",
     "/capabilities/auditLogEventsHook/includeErrorResponseBody", 41, 35,
     "form variable 'endpointUrl' of type 'uri'"),
    ("default-not-optional", "example-tool", "LD211", "error", "/formVariables/0/defaultValue",
     28, 23, "has a defaultValue but isOptional is not true"),
    ("default-optional-false", "example-tool", "LD211", "error", "/formVariables/0/isOptional",
     28, 21, "has a defaultValue but isOptional is not true"),
    ("default-wrong-type", "example-tool", "LD212", "error", "/formVariables/0/defaultValue",
     29, 23, "defaultValue must be a boolean"),
    ("optional-without-default", "example-tool", "LD213", "error", "/formVariables/0/isOptional",
     28, 21, "is optional but has no defaultValue"),
    ("multiselect-bad", "example-tool", "LD214", "error", "/formVariables/0/allowedValues",
     28, 7, "does not take 'allowedValues'"),
    ("multiselect-bad", "example-tool", "LD214", "error", "/formVariables/0/isSecret", 31, 7,
     "does not take 'isSecret' (even false or empty)"),
    ("multiselect-bad", "example-tool", "LD215", "error",
     "/formVariables/0/multiselectOptions", 23, 5,
     "has no multiselectOptions"),
    ("environment-selector-bad", "example-tool", "LD216", "error",
     "/formVariables/0/defaultValue", 29, 7, "does not take 'defaultValue'"),
    ("secret-uri", "example-tool", "LD217", "error", "/formVariables/0/isSecret", 28, 19,
     "of type 'uri' and cannot be secret"),
    ("dynamic-enum-without-options", "example-tool", "LD218", "error",
     "/formVariables/0/dynamicOptions", 23, 5,
     "has no dynamicOptions"),
    ("dynamic-options-on-string", "example-tool", "LD219", "error", "/formVariables/0/type",
     26, 15, 'need type "dynamicEnum"'),
    ("duplicate-keys", "example-tool", "LD220", "warning", "/formVariables/1/key", 31, 14,
     "'apiKey' is already used by formVariables[0]"),
    ("depends-on-unknown", "example-tool", "LD221", "warning",
     "/formVariables/1/dependsOn/0/variableKey", 38, 26,
     "'useEU', but formVariables has no form variable"),
    ("enum-without-allowed-values", "example-tool", "LD222", "warning",
     "/formVariables/0/allowedValues", 23, 5,
     "has no allowedValues"),
    ("default-not-allowed", "example-tool", "LD223", "warning", "/formVariables/0/defaultValue",
     33, 23, "'US', which is not one of its allowedValues ('us', 'eu')"),
    ("synced-remove-only", "cohorts", "LD230", "error",
     "/capabilities/syncedSegment/requestParser/removeMemberArrayPath", 25, 34,
     "addMemberArrayPath is missing"),
    ("synced-add-only", "cohorts", "LD231", "error",
     "/capabilities/syncedSegment/requestParser/addMemberArrayPath", 25, 31,
     "removeMemberArrayPath is missing"),
    ("synced-member-with-add-remove", "cohorts", "LD232", "error",
     "/capabilities/syncedSegment/requestParser/memberArrayPath", 25, 9,
     "cannot be used together with addMemberArrayPath"),
    ("synced-inclusion-without-member-array", "cohorts", "LD233", "error",
     "/capabilities/syncedSegment/requestParser/arrayInclusion", 25, 27,
     "memberArrayPath is missing"),
    ("synced-inclusion-with-add-remove", "cohorts", "LD234", "error",
     "/capabilities/syncedSegment/requestParser/arrayInclusion", 27, 9,
     "arrayInclusion cannot be used together with addMemberArrayPath"),
    ("synced-boolean-without-member-array", "cohorts", "LD235", "error",
     "/capabilities/syncedSegment/requestParser/memberArrayParser/booleanMembershipPath", 27, 36,
     "memberArrayPath is missing"),
    ("akamai-post", "akamai-edgeworkers", "LD240", "error",
     "/capabilities/featureStore/featureStoreRequest/endpoint/method", 91, 21,
     "featureStoreRequest uses POST"),
    ("akamai-no-validation-request", "akamai-edgeworkers", "LD240", "error",
     "/capabilities/featureStore/validationRequest/endpoint", 20, 21,
     "validationRequest.endpoint is missing"),
    ("akamai-header-mismatch", "akamai-edgeworkers", "LD241", "error",
     "/capabilities/featureStore/featureStoreRequest/endpoint/headers/0/value", 95, 24,
     "{{edgeGridAuth 'PUT' '/edgekv/v1/networks/{{network}}/namespaces/"),
]  # fmt: skip


@pytest.mark.parametrize(
    "case, key, rule, severity, pointer, line, column, words",
    FAILING,
    ids=[f"{row[2]}-{row[0]}" for row in FAILING],
)
def test_rule_reports_the_broken_fixture_at_the_offending_place(
    run, case, key, rule, severity, pointer, line, column, words
):
    findings = by_rule(validate(run, case, key), rule)
    located = [f for f in findings if f["pointer"] == pointer]
    assert located, f"{rule} not reported at {pointer!r}; got {findings}"
    [finding] = located
    assert finding["severity"] == severity
    assert (finding["line"], finding["column"]) == (line, column)
    assert words in finding["message"]
    assert finding["path"].endswith("manifest.json")


# (case, integration folder, rules that must stay silent there)
PASSING = [
    ("clean", "example-tool", ["LD200", "LD201", "LD202", "LD203", "LD204", "LD208", "LD209",
                               "LD210", "LD211", "LD212", "LD213", "LD214", "LD215", "LD216",
                               "LD217", "LD218", "LD219", "LD220", "LD221", "LD222", "LD223"]),
    ("icon-outside", "shared-assets", ["LD200", "LD201", "LD202"]),
    # Upstream joins folder and path as text: "/assets/square.svg" stays inside.
    ("icon-leading-slash", "example-tool", ["LD200", "LD201", "LD202"]),
    ("empty-capabilities", "example-tool", ["LD204"]),
    ("aiconfig-exempt", "aiconfig-test-run", ["LD204"]),
    ("oauth-allowed", "sentry", ["LD205", "LD206", "LD207"]),
    ("oauth-shared-key", "gamma", ["LD206"]),
    ("oauth-shared-key", "servicenow", ["LD205", "LD206"]),
    ("oauth-shared-key", "servicenow-app", ["LD205", "LD206"]),
    ("error-body-static-host", "example-tool", ["LD209", "LD210"]),
    ("error-body-subdomain-empty-list", "example-tool", ["LD209", "LD210"]),
    ("error-body-spaced-host", "example-tool", ["LD209"]),
    ("synced-member-array", "cohorts", ["LD230", "LD231", "LD232", "LD233", "LD234", "LD235"]),
    ("synced-add-remove", "cohorts", ["LD230", "LD231", "LD232", "LD233", "LD234", "LD235"]),
    ("akamai-ok", "akamai-edgeworkers", ["LD240", "LD241"]),
    ("post-outside-akamai", "edge-store", ["LD240", "LD241"]),
]  # fmt: skip


@pytest.mark.parametrize("case, key, rules", PASSING, ids=[f"{row[0]}-{row[1]}" for row in PASSING])
def test_rule_stays_silent_on_a_fixture_that_follows_it(run, case, key, rules):
    findings = validate(run, case, key)
    assert [f for f in findings if f["rule"] in rules] == []


def test_every_upstream_rule_has_a_failing_and_a_passing_fixture():
    from ldkit.catalogue import all_rules

    own_ids = {i for i in all_rules() if i.startswith("LD2")}
    failing = {row[2] for row in FAILING}
    passing = {rule for row in PASSING for rule in row[2]}
    assert own_ids - failing == set()
    assert own_ids - passing == set()


def test_the_clean_fixture_draws_nothing_from_these_rules(run):
    assert own(validate(run, "clean", "example-tool")) == []


def test_oauth_key_shared_by_the_servicenow_family_is_not_a_conflict(run):
    for key in ("servicenow", "servicenow-app", "gamma"):
        assert by_rule(validate(run, "oauth-shared-key", key), "LD206") == []


def test_a_host_written_with_spaces_is_only_a_warning_like_upstream_lets_it_pass(run):
    findings = own(validate(run, "error-body-spaced-host", "example-tool"))
    assert [(f["rule"], f["severity"]) for f in findings] == [("LD210", "warning")]


def test_a_templated_subdomain_is_accepted_when_there_are_no_form_variables_to_compare(run):
    # Upstream only crashes inside its loop over the top-level form variables.
    assert own(validate(run, "error-body-subdomain-empty-list", "example-tool")) == []


def test_values_of_unexpected_types_are_left_to_the_schema_and_never_crash(run):
    findings = validate(run, "wrong-types", "akamai-edgeworkers")
    assert [f for f in findings if f["rule"].startswith("LD2")] == []


def test_synced_segment_rules_use_key_presence_not_truthiness(run):
    # arrayInclusion together with add/remove arrays breaks two upstream tests at once.
    findings = own(validate(run, "synced-inclusion-with-add-remove", "cohorts"))
    assert sorted(f["rule"] for f in findings) == ["LD233", "LD234"]
