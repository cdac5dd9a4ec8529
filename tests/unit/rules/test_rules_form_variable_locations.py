"""Where LaunchDarkly applies its form-variable rules (its tests under
`__tests__/` in https://github.com/launchdarkly/integration-framework).

Accepted public manifests break a form-variable rule in a list upstream
does not check. Those situations must draw warnings only, while the same
mistake in a list upstream does check stays an error.
"""

from __future__ import annotations

import pytest

from _upstream_helpers import integration, own, validate

# (fixture case, folder, rule, pointer, the public manifest in the same situation)
ACCEPTED_UPSTREAM = [
    ("feature-store-default-not-optional", "edge-store", "LD211",
     "/capabilities/featureStore/formVariables/0/defaultValue", "akamai-edgeworkers"),
    ("feature-store-optional-without-default", "edge-store", "LD213",
     "/capabilities/featureStore/formVariables/1/isOptional", "vercel"),
    ("approval-optional-without-default", "change-tool", "LD213",
     "/capabilities/approval/approvalFormVariables/0/isOptional", "servicenow-c0 and -normal"),
]  # fmt: skip


@pytest.mark.parametrize(
    "case, key, rule, pointer, like", ACCEPTED_UPSTREAM, ids=[r[0] for r in ACCEPTED_UPSTREAM]
)
def test_rule_broken_in_a_list_upstream_skips_is_only_a_warning(
    run, case, key, rule, pointer, like
):
    result = run("validate", integration(case, key), "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert result.json()["summary"]["errors"] == 0
    [finding] = own(validate(run, case, key))
    assert (finding["rule"], finding["severity"], finding["pointer"]) == (rule, "warning", pointer)
    assert "LaunchDarkly accepts this in capabilities." in finding["message"]


def test_the_akamai_edgeworkers_situation_draws_only_warnings(run):
    result = run("validate", integration("akamai-ok", "akamai-edgeworkers"), "--format", "json")
    assert result.exit_code == 0, result.stdout
    findings = own(validate(run, "akamai-ok", "akamai-edgeworkers"))
    assert {(f["rule"], f["severity"]) for f in findings} == {("LD211", "warning")}


def test_default_without_optional_in_an_approval_list_is_an_error_like_upstream(run):
    [finding] = own(validate(run, "approval-default-not-optional", "change-tool"))
    assert finding["rule"] == "LD211"
    assert finding["severity"] == "error"
    assert finding["pointer"] == "/capabilities/approval/environmentFormVariables/0/defaultValue"
    assert (finding["line"], finding["column"]) == (27, 27)


def test_kind_rules_outside_the_top_level_list_are_warnings(run):
    [finding] = own(validate(run, "approval-secret-uri", "change-tool"))
    assert finding["rule"] == "LD217"
    assert finding["severity"] == "warning"
    assert finding["pointer"] == "/capabilities/approval/environmentFormVariables/0/isSecret"
    assert "cannot be secret" in finding["message"]
