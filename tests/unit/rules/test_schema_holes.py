"""Warnings for what LaunchDarkly's schema means to forbid but lets through (LD150-LD156).

Each hole is first shown to pass the schema pass (LaunchDarkly accepts it, so no
error), then to draw exactly its warning, at the right place.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from ldkit.catalogue import all_rules
from ldkit.core.findings import Severity
from ldkit.load.jsonpos import load_text
from ldkit.rules.base import RuleContext
from ldkit.rules.schema_holes import (
    EmptyHeaders,
    EmptyPolicyStatement,
    EmptyUiBlockElements,
    NotAnObject,
    RequestBodyTemplateExtraKey,
    ReservedCustomPropertiesCount,
    UncheckedEventsHookTriggers,
)
from ldkit.schema.check import schema_findings

FULL = json.loads((FIXTURES / "schema" / "full" / "manifest.json").read_text(encoding="utf-8"))
HOLE_RULES = [
    NotAnObject,
    ReservedCustomPropertiesCount,
    EmptyUiBlockElements,
    EmptyHeaders,
    RequestBodyTemplateExtraKey,
    EmptyPolicyStatement,
    UncheckedEventsHookTriggers,
]


def _context(manifest: object) -> RuleContext:
    document = load_text(json.dumps(manifest, indent=2), "manifest.json").document
    return RuleContext(document=document, integration_dir=Path("."))


def _hole_findings(manifest: object) -> list[tuple[str, str]]:
    ctx = _context(manifest)
    assert schema_findings(ctx.document) == [], "LaunchDarkly accepts every hole"
    return [(f.rule, f.pointer) for rule in HOLE_RULES for f in rule().check(ctx)]


def _with(**changes) -> dict:
    manifest = copy.deepcopy(FULL)
    for pointer, value in changes.items():
        *parents, last = pointer.split("__")
        node = manifest
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        node[int(last) if isinstance(node, list) else last] = value
    return manifest


def test_full_fixture_draws_no_hole_warning():
    assert _hole_findings(FULL) == []


@pytest.mark.parametrize(
    "path",
    [
        "capabilities__approval__creationRequest",
        "capabilities__approval__statusRequest",
        "capabilities__approval__postApplyRequest",
        "capabilities__approval__deletionRequest",
        "capabilities__approval__memberListRequest",
        "capabilities__approval__memberListRequest__parser__memberItems",
        "capabilities__buttonAction__actionRequest",
        "formVariables__0__dynamicOptions__parser__optionsItems",
    ],
)
@pytest.mark.parametrize("value", [None, "text", 3, [], False])
def test_each_of_the_eight_untyped_object_nodes_warns_on_a_non_object(path, value):
    pointer = "/" + path.replace("__", "/")
    assert _hole_findings(_with(**{path: value})) == [("LD150", pointer)]


def test_untyped_node_message_names_the_field_and_the_actual_type():
    ctx = _context(_with(capabilities__approval__creationRequest=None))
    [finding] = NotAnObject().check(ctx)
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("capabilities.approval.creationRequest is null;")


@pytest.mark.parametrize("count", [0, 4, 7])
def test_reserved_custom_properties_outside_one_to_three_warn(count):
    items = [{"name": f"P{i}", "key": f"p{i}"} for i in range(count)]
    manifest = _with(capabilities__reservedCustomProperties=items)
    assert _hole_findings(manifest) == [("LD151", "/capabilities/reservedCustomProperties")]


@pytest.mark.parametrize("count", [1, 3])
def test_reserved_custom_properties_within_one_to_three_are_quiet(count):
    items = [{"name": f"P{i}", "key": f"p{i}"} for i in range(count)]
    assert _hole_findings(_with(capabilities__reservedCustomProperties=items)) == []


@pytest.mark.parametrize("block", ["title", "context"])
def test_empty_flag_link_elements_warn(block):
    manifest = _with(**{f"capabilities__flagLink__uiBlocks__{block}__elements": []})
    assert _hole_findings(manifest) == [
        ("LD152", f"/capabilities/flagLink/uiBlocks/{block}/elements")
    ]


@pytest.mark.parametrize(
    "endpoint",
    [
        "capabilities__auditLogEventsHook__endpoint",
        "capabilities__eventsHook__endpoint",
        "capabilities__approval__statusRequest__endpoint",
        "capabilities__buttonAction__actionRequest__endpoint",
        "capabilities__featureStore__validationRequest__endpoint",
        "capabilities__featureStore__featureStoreRequest__endpoint",
        "formVariables__0__dynamicOptions__endpoint",
        "capabilities__approval__memberListRequest__endpoint",
    ],
)
def test_empty_headers_warn_on_every_endpoint(endpoint):
    manifest = _with(**{f"{endpoint}__headers": []})
    pointer = "/" + endpoint.replace("__", "/") + "/headers"
    assert _hole_findings(manifest) == [("LD153", pointer)]


def test_absent_headers_are_not_this_rule():
    manifest = copy.deepcopy(FULL)
    del manifest["capabilities"]["eventsHook"]["endpoint"]["headers"]
    assert _hole_findings(manifest) == []


def test_extra_key_in_request_body_template_warns_on_the_key():
    manifest = _with(capabilities__buttonAction__requestBodyTemplates__0__jsonbody="{}")
    pointer = "/capabilities/buttonAction/requestBodyTemplates/0/jsonbody"
    assert _hole_findings(manifest) == [("LD154", pointer)]
    ctx = _context(manifest)
    [finding] = RequestBodyTemplateExtraKey().check(ctx)
    assert (finding.line, finding.column) == ctx.document.position(pointer, key=True)
    assert 'did you mean "jsonBody"?' in finding.message


def test_empty_policy_statement_warns_but_a_partial_one_does_not():
    manifest = _with(capabilities__auditLogEventsHook__defaultPolicy=[{"effect": "deny"}, {}])
    assert _hole_findings(manifest) == [
        ("LD155", "/capabilities/auditLogEventsHook/defaultPolicy/1")
    ]


@pytest.mark.parametrize("value", [None, "sometimes", 0, [], {"kind": "x"}])
def test_events_hook_triggers_warn_whatever_the_value(value):
    manifest = _with(capabilities__eventsHook__triggers=value)
    assert _hole_findings(manifest) == [("LD156", "/capabilities/eventsHook/triggers")]


@pytest.mark.parametrize(
    "manifest",
    [
        None,
        [],
        "text",
        {"capabilities": []},
        {"capabilities": {"approval": [], "buttonAction": "x", "eventsHook": 1}},
        {"capabilities": {"approval": {"memberListRequest": {"parser": []}}}},
        {"capabilities": {"buttonAction": {"requestBodyTemplates": [1, None, "x"]}}},
        {"capabilities": {"auditLogEventsHook": {"defaultPolicy": {}, "endpoint": []}}},
        {"formVariables": [None, {"dynamicOptions": []}, {"dynamicOptions": {"parser": 1}}]},
        {"capabilities": {"flagLink": {"uiBlocks": {"title": []}}}},
    ],
)
def test_hole_rules_never_crash_on_values_of_the_wrong_shape(manifest):
    ctx = _context(manifest)
    for rule in HOLE_RULES:
        list(rule().check(ctx))


def test_hole_rules_are_registered_warnings_in_their_range():
    rules = all_rules()
    for rule in HOLE_RULES:
        assert rules[rule.id] is rule
        assert "LD150" <= rule.id <= "LD199"
        assert rule.severity is Severity.WARNING
        assert rule.title and rule.explanation and rule.bad_example and rule.good_example
