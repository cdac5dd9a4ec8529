"""JSON pointer rules LD410-LD413, through the real CLI, plus the pointer helpers."""

from __future__ import annotations

import pytest

from _triggerrules_helpers import findings_of, located
from ldkit.rules.pointers import field_name, pointer_fields, suggest

PARSER = "/capabilities/trigger/parser"


def test_trigger_parser_values_that_are_not_pointers_are_errors_with_a_fix(run):
    findings = findings_of(run, "trigger-pointers-invalid")
    assert [located(f) for f in findings] == [
        ("LD410", "error", f"{PARSER}/eventName", 23, 22),
        ("LD410", "error", f"{PARSER}/value", 24, 18),
        ("LD410", "error", f"{PARSER}/url", 25, 16),
    ]
    event_name, value, url = (f["message"] for f in findings)
    assert (
        "parser.eventName 'title' is not a JSON pointer (a JSON pointer must start with '/')"
        in (event_name)
    )
    assert "can never read the event name from the body; write '/title'" in event_name
    assert "'~' must be escaped as '~0'" in value and "write '/metric~0value'" in value
    assert "write '/data/links/0/href'" in url


def test_empty_trigger_pointer_names_the_whole_body_and_is_a_warning(run):
    [finding] = findings_of(run, "trigger-pointer-whole-body")
    assert located(finding) == ("LD411", "warning", f"{PARSER}/eventName", 23, 22)
    assert 'parser.eventName is "", which points at the whole request body' in finding["message"]


def test_bracket_index_in_a_pointer_is_a_warning_suggesting_a_path_segment(run):
    [finding] = findings_of(run, "bracket-index")
    assert located(finding) == ("LD412", "warning", f"{PARSER}/eventName", 23, 22)
    assert "'/alerts[0]/title' uses bracket indexing" in finding["message"]
    assert "write '/alerts/0/title'" in finding["message"]


def test_every_other_parser_pointer_is_checked_and_is_an_error(run):
    findings = findings_of(run, "capability-pointers-invalid")
    approval = "/capabilities/approval"
    segment = "/capabilities/syncedSegment/requestParser"
    assert [located(f) for f in findings] == [
        ("LD413", "error", f"{approval}/statusRequest/parser/statusValue", 62, 26),
        ("LD413", "error", f"{approval}/memberListRequest/parser/memberItems/email", 118, 22),
        ("LD413", "error", f"{segment}/cohortIdPath", 128, 25),
        ("LD413", "error", f"{segment}/arrayInclusion/path", 132, 19),
        ("LD413", "error", f"{segment}/memberArrayParser/memberIdPath", 136, 27),
        ("LD413", "error", "/capabilities/featureStore/validationRequest/parser/success", 155, 22),
        ("LD413", "error", "/formVariables/1/dynamicOptions/parser/optionsPath", 198, 26),
    ]
    messages = [f["message"] for f in findings]
    assert messages[0] == (
        "approval.statusRequest.parser.statusValue 'result.status' is not a JSON pointer "
        "(a JSON pointer must start with '/'), so it resolves to nothing at run time; "
        "write '/result/status'"
    )
    assert "write '/segments'" in messages[3]
    assert messages[6].startswith("formVariables[1].dynamicOptions.parser.optionsPath")
    assert "write '/projects'" in messages[6]


def test_valid_pointers_in_every_capability_draw_nothing(run):
    assert findings_of(run, "clean-capabilities") == []


def test_every_pointer_field_of_the_manifest_format_is_enumerated():
    import json

    from _triggerrules_helpers import manifest

    document = json.loads(manifest("clean-capabilities").read_text())
    names = {field_name(f.pointer) for f in pointer_fields(document)}
    assert names == {
        "trigger.parser.eventName",
        "trigger.parser.value",
        "trigger.parser.url",
        *(
            f"approval.{request}.parser.{key}"
            for request in ("creationRequest", "statusRequest", "postApplyRequest")
            for key in ("statusValue", "statusDisplay")
        ),
        "approval.deletionRequest.parser.statusValue",
        "approval.deletionRequest.parser.statusDisplay",
        "approval.creationRequest.parser.approvalId",
        "approval.memberListRequest.parser.memberArrayPath",
        "approval.memberListRequest.parser.memberItems.email",
        "approval.memberListRequest.parser.memberItems.memberId",
        "syncedSegment.requestParser.environmentIdPath",
        "syncedSegment.requestParser.contextKindPath",
        "syncedSegment.requestParser.cohortIdPath",
        "syncedSegment.requestParser.cohortNamePath",
        "syncedSegment.requestParser.memberArrayPath",
        "syncedSegment.requestParser.arrayInclusion.path",
        "syncedSegment.requestParser.memberArrayParser.memberIdPath",
        "syncedSegment.requestParser.memberArrayParser.booleanMembershipPath",
        "featureStore.validationRequest.parser.success",
        "featureStore.validationRequest.parser.errors",
        "formVariables[1].dynamicOptions.parser.optionsPath",
        "formVariables[1].dynamicOptions.parser.optionsItems.label",
        "formVariables[1].dynamicOptions.parser.optionsItems.value",
    }


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("title", "/title"),
        ("data.title", "/data/title"),
        ("$.data.items[2].name", "/data/items/2/name"),
        ("$['data']['title']", "/data/title"),
        ("#/title", "/title"),
        ("items[*]", "/items"),
        ("a/b", "/a/b"),
        ("/a~b", "/a~0b"),
    ],
)
def test_suggested_pointer_is_what_the_author_most_likely_meant(written, meant):
    assert suggest(written) == meant


@pytest.mark.parametrize(
    "manifest",
    [
        None,
        [],
        "text",
        {"capabilities": []},
        {"capabilities": {"trigger": {"parser": ["/title"]}}},
        {"capabilities": {"approval": {"statusRequest": "x", "memberListRequest": {"parser": 1}}}},
        {"capabilities": {"syncedSegment": {"requestParser": {"arrayInclusion": None}}}},
        {"formVariables": [None, 3, {"dynamicOptions": {"parser": {"optionsItems": []}}}]},
    ],
)
def test_malformed_manifests_yield_no_pointer_fields_and_no_crash(manifest):
    assert list(pointer_fields(manifest)) == []


def test_non_string_pointer_values_are_left_to_the_schema(run, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(
        '{"name": "Acme", "capabilities": {"trigger": {"documentation": 5, '
        '"parser": {"eventName": 3, "url": null}, "testEventNameRegexp": ["x"], '
        '"defaultEventName": false, "auth": 1}}}\n'
    )
    from _triggerrules_helpers import ld4_findings

    # Wrong types are schema errors; the LD4xx rules skip them instead of crashing.
    assert ld4_findings(run, path) == []
