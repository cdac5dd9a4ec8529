"""The shipped problem samples: valid, covering the cases that matter, and
rendering to JSON with every shipped payload."""

from __future__ import annotations

import json

import pytest

from _render_helpers import PAYLOADS, PROBLEMS, SAMPLES, all_samples
from ldkit.checks.problem_sample import check
from ldkit.dynatrace.render import render_payload
from ldkit.dynatrace.sample_schema import schema
from ldkit.fs import USER_NAMED
from ldkit.load.jsonpos import load_path


def load(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def findings_of(path):
    return sorted(check(load_path(str(path), root=USER_NAMED).document))


def test_the_problem_schema_is_a_valid_draft_2020_12_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema())


def test_ldkit_validate_accepts_every_shipped_sample(run):
    result = run("validate", *all_samples(), "--format", "json")
    assert result.exit_code == 0
    report = result.json()
    assert report["summary"] == {"files": len(all_samples()), "errors": 0, "warnings": 0}


def test_validating_the_integration_folder_includes_its_samples(run):
    result = run("validate", SAMPLES.parent, "--format", "json")
    paths = [f["path"] for f in result.json()["files"]]
    assert sum(p.endswith(".problem.json") for p in paths) == len(all_samples())


@pytest.mark.parametrize("path", all_samples(), ids=lambda p: p.name)
def test_the_recommended_payload_renders_valid_json_for_every_sample(path):
    template = (PAYLOADS / "recommended.json").read_text(encoding="utf-8")
    problem = load(path)
    result = render_payload(template, problem)
    assert result.findings == []
    body = json.loads(result.body)
    assert body["title"] == problem["problem"]["title"]
    assert body["url"].startswith(problem["environment"]["url"] + "/#problems/problemdetails;pid=")
    assert body["url"].endswith(problem["problem"]["problemId"])


@pytest.mark.parametrize("path", all_samples(), ids=lambda p: p.name)
@pytest.mark.parametrize("payload", ["with-context.json", "full-details.json"])
def test_the_richer_payloads_render_valid_json_for_every_sample(path, payload):
    template = (PAYLOADS / payload).read_text(encoding="utf-8")
    result = render_payload(template, load(path))
    assert not [f for f in result.findings if f.severity == "error"]
    json.loads(result.body)


def test_the_samples_cover_the_deliveries_and_edge_cases_that_matter():
    samples = {p.name.removesuffix(".problem.json"): load(p) for p in all_samples()}
    deliveries = {s.get("notification", {}).get("delivery") for s in samples.values()}
    assert {"opened", "resolved", "merged"} <= deliveries
    opened = samples["memory-exhausted-opened"]["problem"]
    resolved = samples["memory-exhausted-resolved"]["problem"]
    assert opened["problemId"] == resolved["problemId"]
    assert (opened["status"], resolved["status"]) == ("OPEN", "CLOSED")
    title = samples["special-characters"]["problem"]["title"]
    for part in ('"', "\\", "/", "\n", "決済", "\U0001f6a8"):
        assert part in title
    tags = samples["special-characters"]["problem"]["entityTags"]
    assert any("value" in t for t in tags) and any("value" not in t for t in tags)
    assert samples["no-tags"]["problem"]["entityTags"] == []


def test_the_huge_sample_renders_a_body_over_5000_characters():
    template = (PAYLOADS / "full-details.json").read_text(encoding="utf-8")
    result = render_payload(template, load(SAMPLES / "many-services-huge.problem.json"))
    assert len(result.body) > 5000
    assert [f.rule for f in result.findings] == ["LD606"]


def test_schema_violations_are_errors_at_the_offending_value():
    findings = findings_of(PROBLEMS / "wrong-types.problem.json")
    assert [(f.rule, f.severity, f.line, f.column, f.pointer) for f in findings] == [
        ("LD620", "error", 2, 26, "/environment/url"),
        ("LD620", "error", 3, 29, "/notification/state"),
        ("LD620", "error", 4, 14, "/problem/title"),
        ("LD620", "error", 7, 20, "/problem/impactLevel"),
        ("LD620", "error", 13, 39, "/problem/impactedEntities/0/entityId"),
        ("LD620", "error", 18, 3, "/severity"),
    ]
    messages = [f.message for f in findings]
    assert messages[0] == (
        "environment.url must be an absolute http or https URL such as "
        'https://abc12345.live.dynatrace.com, not "kqt41907.live.dynatrace.com"'
    )
    assert messages[1] == (
        'notification.state is "CLOSED", which is not allowed. Allowed values: "OPEN", "RESOLVED"'
    )
    assert messages[2] == 'problem is missing the required key "title"'
    assert messages[3].startswith('problem.impactLevel is "SERVICE", which is not allowed; did ')
    assert messages[4] == (
        "problem.impactedEntities[0].entityId must be an object, "
        'not a string ("HOST-91F0C2D3A4B5E6F7")'
    )
    assert messages[5] == (
        'unknown key "severity" in the problem sample; remove it or fix its name. Allowed keys: '
        "$schema, description, environment, notification, problem"
    )


def test_contradictions_between_notification_and_problem_are_warnings():
    findings = findings_of(PROBLEMS / "inconsistent.problem.json")
    assert [(f.rule, f.severity, f.pointer) for f in findings] == [
        ("LD621", "warning", "/notification/state"),
        ("LD621", "warning", "/notification/problemUrl"),
        ("LD621", "warning", "/problem/endTime"),
        ("LD621", "warning", "/problem/endTime"),
        ("LD621", "warning", "/problem/evidenceDetails/totalCount"),
    ]
    assert findings[0].message == (
        "the notification says RESOLVED but the problem is OPEN; Dynatrace sends RESOLVED for "
        'closed problems: set problem.status to "CLOSED"'
    )
    assert (findings[0].line, findings[0].column) == (5, 14)
    assert {f.message for f in findings[2:4]} == {
        "endTime is before startTime",
        "the problem is OPEN but its endTime is 1763370000000; Dynatrace reports -1 while a "
        "problem is open",
    }


def test_a_delivery_kind_that_contradicts_the_state_is_a_warning():
    problem = load(SAMPLES / "memory-exhausted-opened.problem.json")
    problem["notification"] = {"delivery": "resolved"}
    from ldkit.load.jsonpos import load_text

    document = load_text(json.dumps(problem, indent=2), "x.problem.json").document
    [finding] = check(document)
    assert finding.message == (
        "a 'resolved' delivery carries State RESOLVED, but this sample's State is OPEN"
    )


def test_a_sample_that_is_not_json_is_reported_by_the_loader(run):
    result = run("validate", PROBLEMS / "not-json.problem.json", "--format", "json")
    assert result.exit_code == 1
    [finding] = result.json()["files"][0]["findings"]
    # A trailing comma: the caret is on the comma.
    assert (finding["rule"], finding["line"], finding["column"]) == ("LD001", 3, 52)


@pytest.mark.parametrize("value", [None, [], "text", 3, {"problem": []}, {"problem": {"x": 1}}])
def test_checking_a_sample_of_any_shape_never_raises(value):
    from ldkit.load.jsonpos import load_text

    document = load_text(json.dumps(value), "x.problem.json").document
    assert all(f.rule == "LD620" for f in check(document))
