"""Each template problem draws its finding, at the right place, with advice."""

from __future__ import annotations

import json

import pytest

from _render_helpers import PAYLOADS, brief, render, sample
from ldkit.core.findings import Severity
from ldkit.dynatrace.render import render_payload

OPENED = "memory-exhausted-opened"


def only(result, rule):
    [finding] = [f for f in result.findings if f.rule == rule]
    return finding


def test_unquoted_text_placeholder_is_an_error_at_the_placeholder_and_breaks_the_body():
    result = render("unquoted-title.json", OPENED)
    assert brief(result) == [
        ("LD600", "error", 2, 12, "/title"),
        ("LD602", "error", 2, 12, ""),
    ]
    unquoted = only(result, "LD600")
    assert unquoted.path == "unquoted-title.json"
    assert unquoted.message == (
        "{ProblemTitle} becomes text but is not inside a JSON string; put it in double quotes "
        '("{ProblemTitle}"); Dynatrace escapes the value so that the string stays valid'
    )
    broken = only(result, "LD602")
    assert broken.path == "unquoted-title.json (rendered body)"
    assert broken.message.startswith(
        "the rendered body is not valid JSON: expected a JSON value, found the bare word "
        "'Memory'; a text value needs double quotes: \"Memory\"; the text there comes from the "
        "value substituted for {ProblemTitle} at template line 2, column 12."
    )
    assert result.body.split("\n")[1] == '  "title": Memory resources exhausted,'


def test_quoted_json_placeholder_is_an_error_and_the_body_breaks_inside_its_value():
    result = render("quoted-entities.json", OPENED)
    assert brief(result) == [
        ("LD601", "error", 3, 16, "/entities"),
        ("LD602", "error", 3, 19, ""),
    ]
    assert only(result, "LD601").message == (
        "{ImpactedEntities} becomes an array (JSON text, not escaped) but sits inside a JSON "
        'string, which its quotes break; remove the quotes around it ("key": {ImpactedEntities})'
    )
    assert "the value substituted for {ImpactedEntities} at template line 3, column 16" in (
        only(result, "LD602").message
    )


def test_quoted_problem_details_json_is_called_an_object():
    result = render_payload('{"details": "{ProblemDetailsJSON}"}', sample(OPENED))
    assert "{ProblemDetailsJSON} becomes an object" in only(result, "LD601").message


def test_trailing_comma_is_reported_in_the_rendered_body_and_traced_to_the_template():
    result = render("trailing-comma.json", OPENED)
    assert brief(result) == [("LD602", "error", 3, 113, "")]
    assert only(result, "LD602").message.startswith(
        "the rendered body is not valid JSON: trailing comma after the last member; JSON "
        "allows no comma before '}', remove it; the text there comes from template line 3, "
        "column 24."
    )


def test_typographic_quotes_draw_an_unquoted_error_naming_the_quote_and_a_json_error():
    result = render("smart-quotes.json", OPENED)
    assert brief(result) == [
        ("LD600", "error", 1, 12, ""),
        ("LD600", "error", 1, 37, ""),
        ("LD602", "error", 1, 2, ""),
    ]
    first = result.findings[0]
    assert first.message == (
        "{ProblemTitle} becomes text but is not inside a JSON string; the \u201c before it is a "
        "typographic quote, which JSON does not accept: replace the typographic quotes with "
        'straight double quotes ("{ProblemTitle}")'
    )
    assert "expected a member name in double quotes, found '\u201c'" in result.findings[2].message


def test_unknown_placeholders_are_warnings_with_a_suggestion_when_only_case_differs():
    result = render("unknown.json", OPENED)
    assert brief(result) == [
        ("LD603", "warning", 1, 41, "/started"),
        ("LD603", "warning", 1, 72, "/state"),
        ("LD603", "warning", 1, 88, "/x"),
    ]
    started, state, foo = (f.message for f in result.findings)
    assert started.startswith(
        "{ProblemStartTime} is not a Dynatrace placeholder, so it stays in the body as literal "
        "text; some third-party guides list it, but Dynatrace has no such placeholder. "
        "Dynatrace's placeholders: {State}, {ProblemID}, "
    )
    assert state == (
        "{state} is not a Dynatrace placeholder, so it stays in the body as literal text; "
        "placeholder names are case-sensitive: did you mean {State} (problem state, OPEN or "
        "RESOLVED)?"
    )
    assert foo.endswith("{ProblemDetailsJSON}, {ProblemDetailsJSONv2}, {Tags[key]}")


def test_tag_key_missing_from_the_problem_is_a_warning_saying_it_stays_literal():
    result = render("tags.json", OPENED)
    assert brief(result) == [("LD604", "warning", 5, 13, "/owner")]
    assert result.findings[0].message == (
        "the problem has no tag with the key 'owner', so Dynatrace leaves {Tags[owner]} in the "
        "body as literal text; use it only for tags every matching problem carries, or expect "
        "the literal"
    )


def test_a_missing_tag_outside_quotes_also_breaks_the_json():
    result = render_payload('{"flag": {Tags[owner]}}', sample(OPENED))
    assert [f.rule for f in result.findings] == ["LD600", "LD604", "LD602"]
    assert result.body == '{"flag": {Tags[owner]}}'


def test_double_braces_warn_at_the_outer_brace_and_keep_it_in_the_body():
    result = render("double-braces.json", OPENED)
    assert brief(result) == [("LD608", "warning", 1, 12, "/title")]
    assert json.loads(result.body)["title"] == "{Memory resources exhausted}"


def test_pointers_follow_nesting_through_objects_and_arrays():
    result = render_payload(
        '{"a": [{ProblemTitle}, {"b~/c": {ProblemID}}], "d": {"e": "{ImpactedEntities}"}}',
        sample(OPENED),
    )
    assert [(f.rule, f.pointer) for f in result.findings if f.rule != "LD602"] == [
        ("LD600", "/a/0"),
        ("LD600", "/a/1/b~0~1c"),
        ("LD601", "/d/e"),
    ]


def test_placeholders_in_member_names_are_inside_strings():
    result = render_payload('{"{ProblemID}": "{ProblemTitle}"}', sample(OPENED))
    assert result.findings == []
    assert result.body == '{"P-251117042": "Memory resources exhausted"}'


def padded(length: int) -> str:
    """A JSON template of exactly `length` characters that renders to as many."""
    head, tail = '{"id":"{ProblemID}","pad":"', '"}'
    return head + "x" * (length - len(head) - len(tail)) + tail


def test_a_template_of_exactly_5000_characters_is_accepted():
    assert [f.rule for f in render_payload(padded(5000), sample(OPENED)).findings] == []


def test_a_template_over_5000_characters_is_an_error_where_the_limit_is_crossed():
    result = render_payload(padded(5001), sample(OPENED), path="long.json")
    assert brief(result) == [("LD605", "error", 1, 5001, "")]
    assert result.findings[0].message == (
        "the custom payload is 5,001 characters long; Dynatrace refuses to save one over 5,000 "
        "characters (this is where the limit is crossed): shorten it"
    )


def test_an_empty_template_is_an_error():
    result = render_payload("", sample(OPENED))
    assert brief(result)[0] == ("LD605", "error", 1, 1, "")
    assert "empty; Dynatrace requires 1 to 5,000 characters" in result.findings[0].message


def test_a_rendered_body_over_5000_characters_warns_at_the_largest_placeholder():
    template = (PAYLOADS / "full-details.json").read_text(encoding="utf-8")
    result = render_payload(template, sample("many-services-huge"), path="full-details.json")
    assert brief(result) == [("LD606", "warning", 7, 14, "/problem")]
    message = result.findings[0].message
    assert f"the rendered body is {len(result.body):,} characters long" in message
    assert "the largest value is {ProblemDetailsJSONv2} with " in message
    json.loads(result.body)


def test_a_rendered_body_of_exactly_5000_characters_does_not_warn():
    problem = sample(OPENED)
    template = '{"title":"{ProblemTitle}","pad":"' + "x" * 4000 + '"}'
    base = len(render_payload(template, problem).body)
    problem["problem"]["title"] += "y" * (5000 - base)
    assert len(render_payload(template, problem).body) == 5000
    assert render_payload(template, problem).findings == []
    problem["problem"]["title"] += "y"
    assert [f.rule for f in render_payload(template, problem).findings] == ["LD606"]


def test_plain_text_under_the_json_content_type_is_reported_with_the_way_out():
    result = render("plain-text.txt", OPENED)
    assert [f.rule for f in result.findings] == ["LD600"] * 4 + ["LD602"]
    assert "render with --content-type" in result.findings[-1].message


def test_under_a_custom_content_type_quoting_is_not_checked():
    result = render("plain-text.txt", OPENED, content_type="text/plain")
    assert result.findings == []
    assert result.body.startswith("Problem P-251117042 (OPEN): Memory resources exhausted\n")


def test_a_json_body_broken_by_raw_values_under_a_custom_content_type_is_a_warning():
    template = (PAYLOADS / "recommended.json").read_text(encoding="utf-8")
    result = render_payload(
        template, sample("special-characters"), content_type="text/plain", path="p.json"
    )
    assert brief(result) == [("LD607", "warning", 1, 37, "")]
    assert result.findings[0].path == "p.json (rendered body)"
    assert "Under Content-Type text/plain Dynatrace does not escape values" in (
        result.findings[0].message
    )


def test_every_dynatrace_rule_is_explained_with_its_severity():
    from ldkit.catalogue import declared_in
    from ldkit.dynatrace import rules

    declared = {cls.id: cls for cls in declared_in(rules)}
    errors = {
        rules.TextPlaceholderUnquoted.id,
        rules.JsonPlaceholderQuoted.id,
        rules.BodyNotJson.id,
        rules.TemplateLength.id,
        rules.SampleSchema.id,
    }
    assert len(declared) == 12
    for rule_id, cls in declared.items():
        assert cls.title and cls.explanation, rule_id
        expected = Severity.ERROR if rule_id in errors else Severity.WARNING
        assert cls.severity is expected, rule_id
    assert all(rule_id.startswith("LD6") for rule_id in declared)


@pytest.mark.parametrize(
    "template",
    ['{"title": "{ProblemTitle}", "url": "{ProblemURL}"}', "{ProblemTitle}", "{", "}}}]]]", '"'],
)
def test_odd_templates_never_raise(template):
    render_payload(template, sample(OPENED))
