"""Whichever schema judges, its own fast check answers first and can only say
"certainly accepted": it never skips a check that schema makes."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import FIXTURES
from ldkit.load.jsonpos import load_text
from ldkit.schema.check import schema_findings
from ldkit.schema.fast import compile_acceptance
from ldkit.schema.judge import SchemaChoice, bundled, load_folder

FORK = FIXTURES / "schema-checkout" / "fork"
GOOD = json.loads((FORK / "integrations" / "acme-notes" / "manifest.json").read_text())


def _mutations():
    def at(path, value):
        manifest = copy.deepcopy(GOOD)
        node = manifest
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return manifest

    notes = ("capabilities", "releaseNotes")
    yield "clean", GOOD, True
    yield "maxEntries at the maximum", at((*notes, "maxEntries"), 50), True
    yield "maxEntries above the maximum", at((*notes, "maxEntries"), 51), False
    yield "maxEntries below the minimum", at((*notes, "maxEntries"), 0), False
    yield "maxEntries not an integer", at((*notes, "maxEntries"), 2.5), False
    yield "unknown key (propertyNames)", at((*notes, "extra"), 1), False
    yield "unknown capability", at(("capabilities", "flagLink"), {}), False
    yield "name at the tightened limit", at(("name",), "x" * 40), True
    yield "name over the tightened limit", at(("name",), "x" * 41), False
    yield "email Ajv rejects", at(("supportEmail",), "support@exämple.com"), False
    yield "method not allowed here", at((*notes, "endpoint", "method"), "PATCH"), False


CASES = list(_mutations())


@pytest.mark.parametrize("name,manifest,valid", CASES, ids=[c[0] for c in CASES])
def test_the_checkouts_fast_check_agrees_with_its_validator(name, manifest, valid):
    schema = load_folder(FORK)
    assert schema.fast_check is not None  # compiled from the checkout's own tree
    assert schema.fast_check(manifest) is valid
    assert (list(schema.validator.iter_errors(manifest)) == []) is valid
    document = load_text(json.dumps(manifest, indent=2, ensure_ascii=False), "manifest.json")
    assert (schema_findings(document.document, schema) == []) is valid


def test_a_keyword_the_fast_check_does_not_know_sends_every_manifest_to_jsonschema():
    schema = load_folder(FORK)
    tree = copy.deepcopy(schema.tree)
    tree["dependencies"] = {"details": ["links"]}
    assert compile_acceptance(tree) is None


def test_keywords_draft_07_does_not_define_are_annotations_for_the_fast_check_too():
    assert compile_acceptance({"type": "string", "#id": "#/misspelt", "deprecated": True})("x")


def test_numeric_bounds_in_the_fast_check():
    check = compile_acceptance({"type": "number", "exclusiveMinimum": 0, "maximum": 10})
    assert [check(v) for v in (0, 0.5, 10, 10.5, True)] == [False, True, True, False, False]


def test_the_bundled_schema_judges_outside_a_checkout(tmp_path):
    choice = SchemaChoice()
    assert choice.for_manifest(tmp_path / "manifest.json") is bundled()
    assert choice.used == [] and choice.notes() == []


def test_one_checkout_is_loaded_once_and_noted_once():
    choice = SchemaChoice()
    first = choice.for_manifest(FORK / "integrations" / "acme-notes" / "manifest.json")
    second = choice.for_manifest(FORK / "integrations" / "long-name" / "manifest.json")
    assert first is second and not first.is_bundled
    assert choice.used == [first]
    assert len(choice.notes()) == 1
    assert first.capabilities == {"trigger", "releaseNotes"}


def test_object_size_bounds_in_the_fast_check():
    # LaunchDarkly's schema puts minProperties on endpoint headers (an array): a no-op there.
    check = compile_acceptance({"minProperties": 1, "maxProperties": 2})
    assert [check(v) for v in ({}, {"a": 1}, {"a": 1, "b": 2, "c": 3}, [])] == [
        False,
        True,
        False,
        True,
    ]


@pytest.mark.slow
def test_launchdarklys_own_schema_compiles_to_a_fast_check_that_agrees_on_its_manifests(
    upstream_checkout,
):
    schema = load_folder(upstream_checkout)
    assert schema.fast_check is not None
    manifests = sorted(upstream_checkout.glob("integrations/*/manifest.json"))
    assert len(manifests) > 100
    for path in manifests:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        assert schema.fast_check(manifest), path  # LaunchDarkly accepted every one
        assert list(schema.validator.iter_errors(manifest)) == [], path


def test_a_checkouts_other_formats_and_bounds_read_like_the_rest():
    from ldkit.schema.judge import ManifestSchema

    tree = {
        "type": "object",
        "properties": {
            "released": {"type": "string", "format": "date"},
            "retries": {"type": "integer", "minimum": 1},
        },
    }
    schema = ManifestSchema(tree, "test schema", FORK, is_bundled=False)
    text = '{\n  "released": "13/07/2026",\n  "retries": 0\n}\n'
    findings = schema_findings(load_text(text, "manifest.json").document, schema)
    assert [(f.rule, f.pointer, f.line, f.column, f.message) for f in findings] == [
        (
            "LD100",
            "/released",
            2,
            15,
            'released must be a date such as 2026-07-13, not "13/07/2026"',
        ),
        ("LD100", "/retries", 3, 14, "retries is 0; it must be at least 1"),
    ]


def test_a_hole_the_judging_schema_closes_is_an_error_without_the_hole_warning(tmp_path):
    """LaunchDarkly's schema gives jiraIssueCreate.creationRequest no type (ldkit
    warns, LD150); a checkout that adds `type: object` rejects a string there, and
    then the warning would only repeat the error."""
    from ldkit.checks.manifest import check
    from ldkit.rules.base import Workspace
    from ldkit.schema.judge import ManifestSchema

    tree = copy.deepcopy(bundled().tree)
    jira = tree["properties"]["capabilities"]["properties"]["jiraIssueCreate"]
    jira["properties"]["creationRequest"]["type"] = "object"
    closed = ManifestSchema(tree, "closed", FORK, is_bundled=False)
    manifest = json.loads((FIXTURES / "schema" / "jira" / "manifest.json").read_text())
    manifest["capabilities"]["jiraIssueCreate"]["creationRequest"] = "POST"
    text = json.dumps(manifest, indent=2)
    where = "/capabilities/jiraIssueCreate/creationRequest"

    def rules(schema):
        document = load_text(text, str(FIXTURES / "schema" / "jira" / "manifest.json")).document
        found = check(document, Workspace(SchemaChoice(explicit=schema)))
        return [(f.rule, f.pointer) for f in found if f.pointer == where]

    assert rules(bundled()) == [("LD150", where)]
    assert rules(closed) == [("LD103", where)]
