"""Template rules LD300–LD313 through the real CLI, one failing and one passing fixture each."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, REPO

CASES = FIXTURES / "templates"


@pytest.fixture
def findings(run):
    """`findings("case")` -> the LD3xx findings `ldkit validate` reports for that fixture."""

    def _findings(case: str) -> list[dict]:
        path = CASES / case / "manifest.json"
        result = run("validate", path, "--format", "json")
        data = result.json()
        return [
            f
            for f in (f for file in data["files"] for f in file["findings"])
            if "LD300" <= f["rule"] <= "LD349"
        ]

    return _findings


def only(found: list[dict], rule: str) -> list[dict]:
    return [f for f in found if f["rule"] == rule]


def where(finding: dict) -> tuple:
    return finding["severity"], finding["pointer"], finding["line"], finding["column"]


def test_good_fixture_has_no_template_findings(findings):
    assert findings("good") == []


def test_dynatrace_integration_templates_are_clean(run):
    result = run("validate", REPO / "integrations/dynatrace/manifest.json", "--format", "json")
    found = [
        f
        for f in (f for file in result.json()["files"] for f in file["findings"])
        if "LD300" <= f["rule"] <= "LD349"
    ]
    assert found == []


def test_ld300_endpoint_url_naming_a_missing_variable(findings):
    (finding,) = only(findings("bad-endpoint"), "LD300")
    assert where(finding) == ("error", "/capabilities/auditLogEventsHook/endpoint/url", 47, 35)
    assert "line 1, column 19 of the URL" in finding["message"]
    assert "'regoin' is not defined" in finding["message"]


def test_ld301_header_value_naming_a_missing_variable(findings):
    (finding,) = only(findings("bad-endpoint"), "LD301")
    assert where(finding) == (
        "error",
        "/capabilities/auditLogEventsHook/endpoint/headers/1/value",
        56,
        48,
    )
    assert "header 'Authorization'" in finding["message"]
    assert "line 1, column 26 of the value" in finding["message"]


def test_ld302_endpoint_without_headers(findings):
    (finding,) = only(findings("no-headers"), "LD302")
    assert where(finding) == ("error", "/capabilities/auditLogEventsHook/endpoint", 46, 19)
    assert "Content-Type" in finding["message"]
    assert only(findings("good"), "LD302") == []


def test_ld303_missing_template_file(findings):
    (finding,) = only(findings("missing-template"), "LD303")
    assert where(finding) == ("error", "/capabilities/auditLogEventsHook/templates/flag", 61, 17)
    assert "'templates/flag.jsn.hbs' does not exist" in finding["message"]


def test_ld304_render_error_is_positioned_in_the_template_file(findings):
    flag, project = only(findings("render-error"), "LD304")
    assert flag["path"].endswith("render-error/templates/flag.json.hbs")
    assert where(flag) == ("error", "", 3, 15)
    assert flag["message"].startswith("the flag template does not render")
    assert "'titel' is missing" in flag["message"]


def test_ld304_syntax_error_is_positioned_in_the_template_file(findings):
    project = only(findings("render-error"), "LD304")[1]
    assert project["path"].endswith("render-error/templates/project.json.hbs")
    assert where(project) == ("error", "", 4, 3)
    assert project["message"].startswith("the project template does not compile")
    assert "{{#if}} is closed by {{/each}}" in project["message"]


def test_ld305_invalid_json_is_positioned_where_the_template_produced_it(findings):
    environment, flag = only(findings("bad-json"), "LD305")
    # The trailing comma inside {{#each}}: the caret is on that comma in the template.
    assert flag["path"].endswith("bad-json/templates/flag.json.hbs")
    assert where(flag) == ("error", "", 3, 62)
    assert "trailing comma after the last item" in flag["message"]
    assert "line 3, column 33 of the rendered output" in flag["message"]
    # Double braces that break the sample: one finding, at the mustache, with the fix.
    assert environment["path"].endswith("bad-json/templates/environment.json.hbs")
    assert where(environment) == ("error", "", 3, 12)
    assert "invalid escape in a string" in environment["message"]
    assert environment["message"].endswith("use triple braces: `{{{title.html}}}`.")
    assert only(findings("bad-json"), "LD311") == []


def test_ld306_validation_and_member_must_render_text(findings):
    validation, member = only(findings("empty-output"), "LD306")
    assert where(validation) == (
        "error",
        "/capabilities/auditLogEventsHook/templates/validation",
        61,
        23,
    )
    assert where(member)[1] == "/capabilities/auditLogEventsHook/templates/member"
    assert "renders only whitespace" in member["message"]
    # An empty member template is reported once, not also as invalid JSON.
    assert only(findings("empty-output"), "LD305") == []


def test_ld307_standard_payload_with_template_key_and_folder(findings):
    key, folder = only(findings("standard-payload"), "LD307")
    assert where(key) == ("error", "/capabilities/auditLogEventsHook/templates/flag", 61, 9)
    assert where(folder) == (
        "error",
        "/capabilities/auditLogEventsHook/useStandardWebhookPayload",
        74,
        36,
    )
    assert "`templates/` folder" in folder["message"]


def test_ld308_flag_link_blocks_must_render(findings):
    url, description = only(findings("flaglink-bad"), "LD308")
    assert where(url) == ("error", "/capabilities/flagLink/uiBlocks/title/elements/0/url", 62, 25)
    assert "'metadata.ticketUrl' is not defined" in url["message"]
    assert where(description)[1] == "/capabilities/flagLink/uiBlocks/description"
    assert "line 1, column 27 of the string" in description["message"]


def test_ld309_flag_link_without_metadata(findings):
    (finding,) = only(findings("flaglink-no-metadata"), "LD309")
    assert where(finding) == ("error", "/capabilities/flagLink", 45, 17)
    assert only(findings("flaglink-bad"), "LD309") == []


def test_ld310_json_validation_template_rendering_invalid_json_is_a_warning(findings):
    (finding,) = only(findings("validation-json"), "LD310")
    assert finding["path"].endswith("validation-json/templates/validation.json.hbs")
    assert where(finding) == ("warning", "", 2, 33)
    assert "line 2, column 30 of the rendered output" in finding["message"]


def test_ld311_double_stash_inside_json_string(findings):
    (finding,) = only(findings("double-stash"), "LD311")
    assert finding["path"].endswith("double-stash/templates/flag.json.hbs")
    assert where(finding) == ("warning", "", 2, 13)
    assert finding["message"].startswith("`{{title.plainText}}` prints a string")
    assert "{{{title.plainText}}}" in finding["message"]


def test_ld312_events_hook_and_flag_import_templates(findings):
    missing, broken = only(findings("other-templates"), "LD312")
    assert where(missing) == (
        "warning",
        "/capabilities/eventsHook/templates/measuredRolloutReverted",
        53,
        36,
    )
    assert broken["path"].endswith("other-templates/templates/overview.json.hbs")
    assert where(broken) == ("warning", "", 2, 40)
    assert broken["message"].startswith("the flagImport splitOverview template does not")


def test_ld313_other_endpoints_compile_and_call_known_helpers(findings):
    url, header = only(findings("other-templates"), "LD313")
    assert where(url) == ("warning", "/capabilities/approval/creationRequest/endpoint/url", 66, 19)
    assert "never closed" in url["message"]
    assert where(header)[1] == "/capabilities/approval/creationRequest/endpoint/headers/0/value"
    assert "unknown helper 'signRequest'" in header["message"]
    # edgeGridAuth is a server-side helper: known, never rendered (the good fixture uses it).
    assert only(findings("good"), "LD313") == []


def test_every_template_rule_is_documented():
    from ldkit.catalogue import all_rules

    ids = [rule_id for rule_id in all_rules() if "LD300" <= rule_id <= "LD349"]
    assert ids == [f"LD{n}" for n in range(300, 314)]
    for rule_id in ids:
        rule = all_rules()[rule_id]
        assert rule.title and rule.explanation and rule.bad_example and rule.good_example


def test_ld311_detector_skips_numbers_form_variables_and_triple_stash():
    from ldkit.rules.audit_log_templates import _first_double_stash

    quiet = (
        '{"at": "{{timestamp.milliseconds}}", "k": "{{formVariables.apiKey}}", '
        '"t": "{{{title.html}}}", "q": "{{queryEncode name}}", "i": "{{@index}}"}'
    )
    assert _first_double_stash(quiet, "flag") is None
    assert _first_double_stash('[{{#each tags}}"{{this}}"{{/each}}]', "flag") == (1, 17, "{{this}}")
    assert _first_double_stash('{\n  "n": "{{ name }}"\n}', "flag") == (2, 9, "{{ name }}")
