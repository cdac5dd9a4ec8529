"""Render contexts LaunchDarkly's validator builds for templates, and ldkit's own sample events."""

from __future__ import annotations

import json

from ldkit.audit_log.contexts import (
    endpoint_context,
    flag_link_context,
    form_variable_values,
    is_json_name,
    json_escape,
    sample_event,
    template_context,
)

MANIFEST = {
    "requiresOAuth": True,
    "formVariables": [
        {"key": "apiKey", "type": "string"},
        {"key": "site", "type": "enum"},
        {"key": "dyn", "type": "dynamicEnum"},
        {"key": "gen", "type": "generated"},
        {"key": "enabled", "type": "boolean"},
        {"key": "host", "type": "uri"},
        {"key": "auth", "type": "oauth"},
        {"key": "envs", "type": "environmentSelector"},
        {"key": "many", "type": "multiselect"},
        {"key": "pub", "type": "publicKey"},
    ],
}


def test_form_variable_values_are_synthesised_by_type():
    assert form_variable_values(MANIFEST) == {
        "apiKey": "apiKey",
        "site": "site",
        "dyn": "dyn",
        "gen": "gen",
        "enabled": True,
        "host": "https://host.com",
    }


def test_form_variable_values_tolerate_broken_manifests():
    assert form_variable_values({"formVariables": "nope"}) == {}
    assert form_variable_values([1, 2]) == {}
    assert form_variable_values({"formVariables": [None, {"key": 3, "type": "string"}]}) == {}


def test_endpoint_context_has_variables_at_root_plus_context_and_oauth():
    context = endpoint_context(MANIFEST)
    assert context["apiKey"] == "apiKey"
    assert context["context"]["kind"] == "flag"
    assert context["oauth"] == {"baseURI": "$OAUTH_BASE_URI", "accessToken": "$OAUTH_ACCESS_TOKEN"}
    assert endpoint_context({})["oauth"] is None


def test_template_context_escapes_the_event_but_not_form_variables():
    manifest = {"formVariables": [{"key": "q", "type": "string"}]}
    escaped = template_context(manifest, "flag", escape_json=True)
    plain = template_context(manifest, "flag", escape_json=False)
    assert '\\"' in escaped["title"]["html"] and '\\"' not in plain["title"]["html"]
    assert escaped["formVariables"] == {"q": "q", "oauth": None}


def test_each_template_kind_uses_its_sample_event():
    kinds = {
        k: template_context({}, k, escape_json=False)["kind"]
        for k in ("flag", "default", "project", "environment", "validation", "member")
    }
    assert kinds == {
        "flag": "flag",
        "default": "flag",
        "project": "project",
        "environment": "environment",
        "validation": "environment",
        "member": "member",
    }


def test_sample_events_have_the_documented_shape():
    flag = sample_event("flag")
    assert set(flag["timestamp"]) == {"milliseconds", "seconds", "rfc3339", "simple"}
    assert set(flag["customProperties"]) == {"dynatrace", "datadog", "jira"}
    assert flag["project"]["environment"]["tags"] is None and flag["comment"]
    member = sample_event("member")
    assert "key" not in member and member["tags"] is None and member["project"]["tags"] is None
    for kind in ("flag", "project", "environment", "member"):
        event = sample_event(kind)
        assert set(event["_links"]) == {"canonical", "parent", "self", "site", "details"}
        assert event["member"]["displayName"] and event["target"]["_id"]


def test_json_escape_matches_json_stringify_without_quotes():
    value = {"s": 'a"b\\c\n\u0001/\u2028', "n": [1, None, True, "x\ty"]}
    assert json_escape(value) == {"s": 'a\\"b\\\\c\\n\\u0001/\u2028', "n": [1, None, True, "x\\ty"]}
    assert json.loads('"' + json_escape('é"') + '"') == 'é"'


def test_flag_link_context():
    flag_link = {"metadata": {"issueKey": {"type": "string"}, "link": {"type": "uri"}}}
    assert flag_link_context(flag_link) == {
        "deepLink": "https://exampleDeeplink.com",
        "metadata": {"issueKey": "$ISSUEKEY", "link": "https://link.com"},
    }


def test_json_names_are_case_insensitive():
    assert is_json_name("templates/Flag.JSON.hbs") and is_json_name("t/x.json")
    assert not is_json_name("templates/default.text.hbs")
