"""Comparing two manifest schemas by what they accept, and the update procedure
`python -m ldkit.schema.compare_cli CHECKOUT` built on it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, REPO
from ldkit.schema.compare import compare
from ldkit.schema.compare_cli import main
from ldkit.schema.judge import bundled, load_folder

CHECKOUTS = FIXTURES / "schema-checkout"
FORK = CHECKOUTS / "fork"


def _obj(properties: dict, **more) -> dict:
    return {"type": "object", "properties": properties, "additionalProperties": False, **more}


def test_keys_added_and_removed_are_listed_by_field():
    old = _obj({"a": {"type": "string"}, "b": _obj({"x": {"type": "string"}})})
    new = _obj({"a": {"type": "string"}, "b": _obj({"y": {"type": "string"}}), "c": {}})
    found = compare(old, new)
    assert found.keys_added == ["c", "b.y"]  # field by field, the manifest first
    assert found.keys_removed == ["b.x"]
    assert found.changes == []


def test_both_ways_of_listing_keys_are_the_same_list():
    # ldkit writes additionalProperties: false; LaunchDarkly writes propertyNames enums.
    ours = _obj({"a": {"type": "string"}})
    theirs = {
        "type": "object",
        "propertyNames": {"enum": ["a"]},
        "properties": {"a": {"type": "string", "$comment": "annotation"}},
    }
    assert not compare(ours, theirs)
    assert compare(ours, theirs).summary() == "accepts the same manifests"


def test_limits_required_keys_and_openness_are_changes():
    old = _obj({"name": {"type": "string", "maxLength": 100}}, required=["name"])
    new = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 40}}}
    found = compare(old, new)
    assert found.lines() == [
        "changed: (manifest) keys: only its listed keys -> any key",
        "changed: (manifest) required: [name] -> none",
        "changed: name maxLength: 100 -> 40",
    ]


def test_a_constraint_that_cannot_apply_to_the_fields_type_is_not_a_difference():
    # LaunchDarkly's schema has minLength on arrays: Ajv ignores it, so do we.
    ours = {"type": "array", "items": {"type": "string"}}
    theirs = {"type": "array", "items": {"type": "string"}, "minLength": 1, "maxLength": 3}
    assert not compare(ours, theirs)


def test_the_fork_differs_from_the_bundled_schema_as_written():
    found = compare(bundled().tree, load_folder(FORK).tree)
    assert found.capabilities_added == ["releaseNotes"]
    assert "jiraIssueCreate" in found.capabilities_removed
    assert "details" in found.keys_removed
    assert ("name", "maxLength", "100", "40") in found.changes
    # Nothing inside an added or removed capability is listed field by field.
    assert not any(k.startswith("capabilities.") for k in found.keys_added + found.keys_removed)


def test_two_checkouts_that_accept_the_same_manifests_have_no_differences():
    fork = load_folder(FORK).tree
    assert not compare(fork, load_folder(CHECKOUTS / "not-launchdarkly").tree)


def test_the_script_lists_every_difference_and_exits_1(capsys):
    assert main([str(FORK)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("bundled:  ldkit's bundled schema (follows launchdarkly/")
    assert out[1] == f"checkout: the schema in {(FORK / 'schemas').resolve()} " + (
        "($id https://launchdarkly.com/schemas/v1.0/manifest.schema.json#)"
    )
    assert "capability added: releaseNotes" in out
    assert "capability removed: jiraIssueCreate" in out
    assert "changed: name maxLength: 100 -> 40" in out


def test_the_script_exits_0_when_both_accept_the_same_manifests(capsys):
    assert main([str(REPO / "schemas" / "manifest")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "no differences: both accept the same manifests"
    )


def test_the_script_has_a_json_form(capsys):
    assert main([str(FORK), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["capabilitiesAdded"] == ["releaseNotes"]
    assert {"field": "name", "constraint": "maxLength", "old": "100", "new": "40"} in report[
        "changes"
    ]


def test_the_script_exits_2_with_one_line_when_the_schema_cannot_be_read(capsys, tmp_path):
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_the_script_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "ldkit.schema.compare_cli", str(FORK)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "tools")},
    )
    assert done.returncode == 1
    assert "capability added: releaseNotes" in done.stdout


@pytest.mark.slow
def test_against_upstream_35c6f74_only_what_upstream_added_later_differs(upstream_checkout, capsys):
    """The bundled schema was written to accept exactly what 35c6f74 accepts, and
    then followed LaunchDarkly: jiraIssueCreate (pull request #133), segmentImport,
    and the form-variable types and keys of databricks-experimentation."""
    assert main([str(upstream_checkout), "--plan"]) == 1
    lines = capsys.readouterr().out.splitlines()[2:]
    assert lines == [
        "to make the bundled schema (schemas/manifest/) match the checkout, in this order:",
        "1. definitions.json#/definitions/formVariable "
        "(the checkout's schemas/definitions.json#/formVariable)",
        "   - remove key 'codeLanguage'",
        "   - remove key 'divider'",
        "   - remove key 'instructions'",
        "   - remove key 'instructionsHeading'",
        "   reaches 5 fields: capabilities.approval.approvalFormVariables[], "
        "capabilities.approval.environmentFormVariables[], "
        "capabilities.featureStore.formVariables[], capabilities.flagCleanup.formVariables[] "
        "and 1 more",
        "2. definitions.json#/definitions/formVariable/properties/type "
        "(the checkout's schemas/definitions.json#/formVariable/properties/type)",
        '   - enum: remove "sectionHeading", "codeEditor"',
        "   reaches 5 fields: capabilities.approval.approvalFormVariables[].type, "
        "capabilities.approval.environmentFormVariables[].type, "
        "capabilities.featureStore.formVariables[].type, "
        "capabilities.flagCleanup.formVariables[].type and 1 more",
        "3. base.json#/properties/capabilities",
        "   - remove 'jiraIssueCreate' from capabilities.properties and delete "
        "capabilities/jiraIssueCreate.json",
        "   - remove 'segmentImport' from capabilities.properties and delete "
        "capabilities/segmentImport.json",
        "4. UPSTREAM",
        "   - record the checkout's commit, and one `includes` line per change",
        "5. tests/fixtures/schema/constraints.json",
        "   - add a valid and an invalid case for every changed constraint",
    ]
