"""What every placeholder becomes, and how values are escaped."""

from __future__ import annotations

import json

import pytest

from _render_helpers import PAYLOADS, render, sample
from ldkit.dynatrace.render import render_payload

OPENED = "memory-exhausted-opened"
PID = "-3815209474620185731_1763371920000V2"
URL = f"https://kqt41907.live.dynatrace.com/#problems/problemdetails;pid={PID}"
PROCESS = "checkout-service.jar checkout-7d9f*"


def recommended() -> str:
    return (PAYLOADS / "recommended.json").read_text(encoding="utf-8")


def test_every_text_placeholder_takes_its_value_from_the_problem_sample():
    result = render("every-placeholder.json", OPENED)
    body = json.loads(result.body)
    assert body["State"] == "OPEN"
    assert body["ProblemID"] == "P-251117042"
    assert body["PID"] == PID
    assert body["ProblemTitle"] == "Memory resources exhausted"
    assert body["ProblemURL"] == URL
    assert body["ProblemSeverity"] == "RESOURCE_CONTENTION"
    assert body["ProblemImpact"] == "INFRASTRUCTURE"
    assert body["ImpactedEntity"] == f"Memory resources exhausted on Process {PROCESS}"
    assert body["ImpactedEntityNames"] == PROCESS
    assert body["NamesOfImpactedEntities"] == PROCESS
    assert (
        body["Tags"]
        == "app:checkout, ld-flag:new-checkout-flow, critical, [Kubernetes]team:payments"
    )
    assert body["Tag"] == "checkout"


def test_details_text_follows_the_layout_of_real_notifications():
    body = json.loads(render("every-placeholder.json", OPENED).body)
    assert body["ProblemDetailsText"] == "\n".join(
        [
            "OPEN Problem P-251117042 in environment Production",
            "Problem detected at: 09:32 (UTC) 17.11.2025",
            "",
            "1 impacted entity",
            f"Process {PROCESS}",
            "",
            "Root cause:",
            f"Memory resources exhausted on {PROCESS}",
            "",
            URL,
        ]
    )
    assert body["ProblemDetailsHTML"].startswith(
        "<h1>OPEN Problem P-251117042 in environment Production</h1>"
    )
    assert f'<a href="{URL}">Open the problem in Dynatrace</a>' in body["ProblemDetailsHTML"]
    markdown = body["ProblemDetailsMarkdown"].split("\n")
    assert markdown[0] == "# OPEN Problem P-251117042 in environment Production"
    assert "- Process checkout-service.jar checkout-7d9f\\*" in markdown
    assert markdown[-1] == f"[Open the problem in Dynatrace]({URL})"


def test_impacted_entities_is_a_json_array_of_type_name_entity():
    result = render("every-placeholder.json", OPENED)
    expected = (
        '"ImpactedEntities": [{"type":"PROCESS_GROUP_INSTANCE",'
        f'"name":"{PROCESS}","entity":"PROCESS_GROUP_INSTANCE-5C3A9E1F07B2D468"}}]'
    )
    assert expected in result.body


def test_problem_details_json_is_a_v1_object_converted_from_the_v2_problem():
    v1 = json.loads(render("every-placeholder.json", OPENED).body)["ProblemDetailsJSON"]
    assert (v1["id"], v1["displayName"], v1["status"], v1["endTime"]) == (
        PID,
        "P-251117042",
        "OPEN",
        -1,
    )
    assert v1["impactLevel"] == "INFRASTRUCTURE"
    assert [(e["eventType"], e["isRootCause"], e["status"]) for e in v1["rankedEvents"]] == [
        ("MEMORY_RESOURCES_EXHAUSTED", True, "OPEN")
    ]
    assert v1["rankedImpacts"][0]["entityName"] == "CheckoutService"
    assert v1["affectedCounts"]["INFRASTRUCTURE"] == 1
    assert v1["recoveredCounts"]["INFRASTRUCTURE"] == 0
    assert v1["tagsOfAffectedEntities"][2] == {"context": "CONTEXTLESS", "key": "critical"}
    assert v1["hasRootCause"] is True


def test_problem_details_json_v2_is_the_problem_without_recent_comments():
    problem = dict(sample("memory-exhausted-resolved")["problem"])
    v2 = json.loads(render("every-placeholder.json", "memory-exhausted-resolved").body)[
        "ProblemDetailsJSONv2"
    ]
    assert "recentComments" in problem
    del problem["recentComments"]
    assert v2 == problem


def test_a_closed_problem_is_sent_as_resolved_with_a_closed_v1_object():
    body = json.loads(render("every-placeholder.json", "memory-exhausted-resolved").body)
    assert body["State"] == "RESOLVED"
    v1 = body["ProblemDetailsJSON"]
    assert (v1["status"], v1["commentCount"]) == ("CLOSED", 1)
    assert (v1["affectedCounts"]["INFRASTRUCTURE"], v1["recoveredCounts"]["INFRASTRUCTURE"]) == (
        0,
        1,
    )
    assert body["ProblemDetailsText"].split("\n")[1] == (
        "Problem detected at: 09:32 (UTC) 17.11.2025 - 10:11 (UTC) 17.11.2025 (was open for 39 min)"
    )


def test_explicit_notification_values_win_over_derived_ones():
    problem = sample(OPENED)
    problem["notification"] = {
        "problemUrl": "https://dt.example.org/e/abc/#problems/problemdetails;pid=" + PID,
        "impactedEntity": "Memory resources exhausted on 1 process",
        "problemDetailsJSON": {"id": PID, "displayName": "P-251117042"},
    }
    body = json.loads(render("every-placeholder.json", problem).body)
    assert body["ProblemURL"] == problem["notification"]["problemUrl"]
    assert body["ImpactedEntity"] == "Memory resources exhausted on 1 process"
    assert body["ProblemDetailsJSON"] == {"id": PID, "displayName": "P-251117042"}


def test_several_impacted_entities_are_summed_up_and_listed():
    body = json.loads(render("every-placeholder.json", "failure-rate-merged").body)
    assert body["ImpactedEntity"] == "Multiple service problems on 2 impacted entities"
    assert body["ImpactedEntityNames"] == "PaymentGateway, shop.example.com"
    assert body["ProblemImpact"] == "SERVICE"  # the v2 API's SERVICES


def test_text_values_are_json_escaped_under_the_default_content_type():
    title = sample("special-characters")["problem"]["title"]
    result = render_payload(recommended(), sample("special-characters"))
    assert result.findings == []
    assert result.body.startswith(
        '{"title":"Failure rate increase on \\"Checkout\\" C:\\\\payments'
    )
    assert "\\n" in result.body and "\n" not in result.body
    assert "/v2/orders" in result.body  # slashes may stay unescaped: same decoded value
    assert "決済エラー 🚨" in result.body  # non-ASCII is not turned into \u escapes
    assert json.loads(result.body)["title"] == title


@pytest.mark.parametrize("content_type", ["text/plain", "application/cloudevents+json"])
def test_text_values_are_raw_under_any_other_content_type(content_type):
    title = sample("special-characters")["problem"]["title"]
    result = render_payload(recommended(), sample("special-characters"), content_type=content_type)
    assert result.body.startswith('{"title":"' + title + '","url":"https://')


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON"])
def test_parameters_and_case_do_not_make_the_json_content_type_a_different_one(content_type):
    result = render_payload(recommended(), sample("special-characters"), content_type=content_type)
    assert '\\"Checkout\\"' in result.body


def test_json_placeholders_are_the_same_json_text_under_any_content_type():
    as_json = render("every-placeholder.json", OPENED)
    as_text = render("every-placeholder.json", OPENED, content_type="text/plain")
    entities = '[{"type":"PROCESS_GROUP_INSTANCE"'
    assert entities in as_json.body and entities in as_text.body


def test_tag_placeholder_gives_the_value_an_empty_string_or_stays_literal():
    body = json.loads(render("tags.json", OPENED).body)
    assert body == {
        "flag": "new-checkout-flow",
        "critical": "",
        "team": "payments",
        "owner": "{Tags[owner]}",
    }


def test_tags_render_empty_when_the_entities_have_none():
    assert json.loads(render("every-placeholder.json", "no-tags").body)["Tags"] == ""


def test_unknown_placeholders_stay_literal():
    body = json.loads(render("unknown.json", OPENED).body)
    assert body["started"] == "{ProblemStartTime}"
    assert body["state"] == "{state}"


def test_substitution_is_textual_inside_longer_strings():
    result = render_payload(
        '{"summary": "Problem {ProblemID} ({State}): {ProblemTitle}"}', sample(OPENED)
    )
    assert result.body == '{"summary": "Problem P-251117042 (OPEN): Memory resources exhausted"}'
    assert result.findings == []


def test_a_substituted_value_is_never_scanned_for_placeholders_again():
    problem = sample(OPENED)
    problem["problem"]["title"] = "Slow {PID} lookups"
    result = render_payload('{"title":"{ProblemTitle}"}', problem)
    assert result.body == '{"title":"Slow {PID} lookups"}'


def test_the_test_notification_uses_the_values_dynatrace_documents():
    result = render("every-placeholder.json", None, test_notification=True)
    body = json.loads(result.body)
    assert body["ProblemTitle"] == "Dynatrace problem notification test run"
    assert (body["State"], body["ProblemID"], body["PID"]) == ("OPEN", "999", "99999")
    assert body["ImpactedEntity"] == "MyHost1, MyService1"
    assert body["ImpactedEntities"] == [
        {"type": "HOST", "name": "MyHost1", "entity": "HOST-XXXXXXXXXXXXX"},
        {"type": "SERVICE", "name": "MyService1", "entity": "SERVICE-XXXXXXXXXXXXX"},
    ]
    assert body["ProblemImpact"] == "INFRASTRUCTURE"
    assert body["Tags"] == "testtag1, testtag2"
    assert body["ProblemDetailsHTML"] == "<h1>Dynatrace problem notification test run details</h1>"
    assert '"ProblemDetailsJSON": {"ID" : "99999"}' in result.body  # documented text, verbatim
    assert body["ProblemURL"] == "https://example.com"


def test_the_test_notification_flags_every_value_dynatrace_does_not_document():
    result = render("every-placeholder.json", None, test_notification=True)
    assert [(f.line, f.column, f.pointer) for f in result.findings if f.rule == "LD609"] == [
        (7, 23, "/ProblemSeverity"),
        (10, 27, "/ImpactedEntityNames"),
        (11, 31, "/NamesOfImpactedEntities"),
        (17, 30, "/ProblemDetailsMarkdown"),
        (19, 27, "/ProblemDetailsJSONv2"),
    ]
    [severity] = [f for f in result.findings if f.pointer == "/ProblemSeverity"]
    assert severity.severity == "warning"
    assert severity.message == (
        "Dynatrace does not document what {ProblemSeverity} becomes in a test notification; "
        "ldkit renders 'ERROR', the real test run may differ"
    )


def test_a_tag_key_the_test_run_lacks_stays_literal_in_the_test_run_too():
    result = render("tags.json", None, test_notification=True)
    assert json.loads(result.body)["flag"] == "{Tags[ld-flag]}"
    assert [f.pointer for f in result.findings if f.rule == "LD604"] == [
        "/flag",
        "/critical",
        "/team",
        "/owner",
    ]


def test_the_recommended_payload_in_a_test_run_is_clean():
    result = render_payload(recommended(), None, test_notification=True)
    assert result.body == (
        '{"title":"Dynatrace problem notification test run","url":"https://example.com"}'
    )
    assert result.findings == []


def test_a_test_run_ignores_any_problem_given():
    result = render_payload(recommended(), sample(OPENED), test_notification=True)
    assert "test run" in result.body


def test_a_sample_of_the_wrong_shape_renders_without_raising():
    odd = {"problem": {"title": 5, "impactedEntities": "x", "entityTags": [1, {"key": None}]}}
    result = render("every-placeholder.json", odd)
    body = json.loads(result.body)
    assert (body["ProblemTitle"], body["ImpactedEntities"], body["ProblemID"]) == ("5", [], "")
    assert render_payload("{State}", [1, 2]).body == "OPEN"


def test_no_problem_without_test_notification_is_a_programming_error():
    with pytest.raises(ValueError, match="needs a problem sample"):
        render_payload(recommended(), None)


def test_the_readme_explains_where_every_placeholder_comes_from():
    from ldkit.dynatrace.placeholders import CATALOGUE

    readme = (PAYLOADS.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Where each value comes from")[1].split("###")[0]
    for placeholder in CATALOGUE.values():
        assert f"`{placeholder.token}`" in table, placeholder.token
    assert "`{Tags[key]}`" in table
