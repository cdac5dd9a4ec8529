"""The Dynatrace integration's flag template: what Dynatrace's events API receives."""

from __future__ import annotations

import json

from conftest import REPO
from ldkit.audit_log.contexts import template_context
from ldkit.handlebars import render

TEMPLATE = (REPO / "integrations" / "dynatrace" / "templates" / "flag.json.hbs").read_text()
MANIFEST = json.loads((REPO / "integrations" / "dynatrace" / "manifest.json").read_text())


def _event(**form_values: object) -> dict:
    context = template_context(MANIFEST, "flag", escape_json=True)
    context["formVariables"].update(form_values)
    return json.loads(render(TEMPLATE, context))


def _tags(event: dict) -> list[str]:
    return [tag["key"] for tag in event["attachRules"]["tagRule"][0]["tags"]]


def test_the_tag_form_variable_wins_when_it_is_set():
    event = _event(tag="ld-flags", entity="SERVICE")
    assert _tags(event) == ["ld-flags"]
    assert event["attachRules"]["tagRule"][0]["meTypes"] == ["SERVICE"]


def test_without_the_tag_variable_the_flags_dynatrace_custom_property_is_used():
    assert _tags(_event(tag="")) == ["checkout-service", "frontend-web"]


def test_without_tag_variable_or_custom_property_the_flag_key_is_the_tag():
    context = template_context(MANIFEST, "flag", escape_json=True)
    context["formVariables"]["tag"] = ""
    del context["customProperties"]["dynatrace"]
    event = json.loads(render(TEMPLATE, context))
    assert _tags(event) == [context["key"]]


def test_the_event_describes_the_change_and_links_back_to_launchdarkly():
    context = template_context(MANIFEST, "flag", escape_json=False)
    event = _event()
    assert event["eventType"] == "CUSTOM_CONFIGURATION"
    assert event["description"] == context["title"]["plainText"]
    assert event["customProperties"]["Flag key"] == context["key"]
    assert event["customProperties"]["Link"] == context["_links"]["site"]["href"]
    assert event["customProperties"]["Comment"] == context["comment"]
