"""Inside a checkout of LaunchDarkly's integrations repository, the checkout's
own schema judges; anywhere else, the bundled one; `--schema DIR` chooses.

The fixture checkouts under tests/fixtures/schema-checkout/ are our own minimal
schema files written in the layout of LaunchDarkly's `schemas/` folder
(`$id`, `propertyNames` enums, `$ref`s from the repository root in base.json):
`fork` adds a `releaseNotes` capability and limits `name` to 40 characters.
"""

from __future__ import annotations

import json

from conftest import FIXTURES

CHECKOUTS = FIXTURES / "schema-checkout"
FORK = CHECKOUTS / "fork"


def _findings(result) -> list[tuple[str, str, int, int]]:
    report = result.json()
    return [
        (f["rule"], f["pointer"], f["line"], f["column"])
        for file in report["files"]
        for f in file["findings"]
    ]


def test_a_manifest_using_a_capability_the_checkout_adds_validates_clean(run):
    result = run("validate", FORK / "integrations" / "acme-notes", "--format", "json")
    assert result.exit_code == 0
    assert _findings(result) == []


def test_stderr_says_once_which_schema_judged_and_how_it_differs_from_the_bundled_one(run):
    result = run("validate", FORK, "--format", "json")
    notes = [line for line in result.stderr.splitlines() if line.startswith("ldkit:")]
    assert len(notes) == 1, result.stderr
    note = notes[0]
    assert f"the schema in {(FORK / 'schemas').resolve()}" in note
    assert "$id https://launchdarkly.com/schemas/v1.0/manifest.schema.json#" in note
    assert (
        "compared with ldkit's bundled schema (follows launchdarkly/integration-framework" in note
    )
    assert "capabilities added: releaseNotes" in note
    assert "capabilities removed: approval, auditLogEventsHook" in note
    assert "keys removed: allowIntegrationConfigurations, details" in note
    # Three manifests were judged by the one checkout schema.
    assert len(result.json()["files"]) == 3


def test_breaking_the_added_capability_is_an_error_at_the_right_pointer(run):
    result = run("validate", FORK / "integrations" / "broken-notes", "--format", "json")
    assert result.exit_code == 1
    assert _findings(result) == [
        ("LD104", "/capabilities/releaseNotes/audience", 34, 19),
        ("LD103", "/capabilities/releaseNotes/maxEntries", 35, 21),
        ("LD102", "/capabilities/releaseNotes/maxEntrys", 36, 7),
    ]
    messages = [f["message"] for f in result.json()["files"][0]["findings"]]
    assert messages[1] == (
        'capabilities.releaseNotes.maxEntries must be a whole number, not a string ("20")'
    )
    assert messages[2] == (
        'unknown key "maxEntrys" in capabilities.releaseNotes; did you mean "maxEntries"? '
        "Allowed keys: endpoint, audience, maxEntries"
    )


def test_a_limit_the_checkout_tightens_is_enforced(run):
    result = run("validate", FORK / "integrations" / "long-name", "--format", "json")
    assert result.exit_code == 1
    finding = result.json()["files"][0]["findings"][0]
    assert (finding["rule"], finding["pointer"], finding["line"], finding["column"]) == (
        "LD106",
        "/name",
        2,
        11,
    )
    assert finding["message"] == "name is 45 characters long; it must have at most 40"


def test_the_same_manifest_passes_the_bundled_schema_which_allows_100_characters(run):
    result = run(
        "validate",
        FORK / "integrations" / "long-name",
        "--schema",
        FIXTURES.parent.parent / "schemas" / "manifest",
        "--format",
        "json",
    )
    assert result.exit_code == 1  # releaseNotes is unknown to the bundled schema
    assert [(f[0], f[1]) for f in _findings(result)] == [("LD102", "/capabilities/releaseNotes")]


def test_outside_a_checkout_the_bundled_schema_judges_and_says_nothing(run):
    # Same layout, but base.json's $id is not LaunchDarkly's: not a checkout.
    manifest = CHECKOUTS / "not-launchdarkly" / "integrations" / "acme-notes"
    result = run("validate", manifest, "--format", "json")
    assert result.exit_code == 1
    assert [(f[0], f[1]) for f in _findings(result)] == [("LD102", "/capabilities/releaseNotes")]
    assert "ldkit:" not in result.stderr


def test_outside_a_checkout_an_unknown_capability_stays_an_error_with_a_did_you_mean(run, tmp_path):
    manifest = json.loads((FIXTURES / "schema" / "jira" / "manifest.json").read_text())
    manifest["capabilities"]["jiraIssueCreat"] = manifest["capabilities"].pop("jiraIssueCreate")
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, indent=2))
    result = run("validate", tmp_path / "manifest.json", "--format", "json")
    schema = [f for f in result.json()["files"][0]["findings"] if f["rule"].startswith("LD1")]
    assert len(schema) == 1
    finding = schema[0]
    assert (finding["rule"], finding["pointer"]) == ("LD102", "/capabilities/jiraIssueCreat")
    assert 'did you mean "jiraIssueCreate"?' in finding["message"]


def test_schema_option_chooses_a_checkout_explicitly(run):
    manifest = CHECKOUTS / "not-launchdarkly" / "integrations" / "acme-notes"
    result = run("validate", manifest, "--schema", FORK, "--format", "json")
    assert result.exit_code == 0
    assert _findings(result) == []
    assert f"the schema in {(FORK / 'schemas').resolve()}" in result.stderr


def test_schema_option_takes_the_schemas_folder_itself(run):
    result = run(
        "validate",
        FORK / "integrations" / "acme-notes",
        "--schema",
        FORK / "schemas",
        "--format",
        "json",
    )
    assert result.exit_code == 0


def test_schema_option_without_a_schema_is_a_usage_error(run, tmp_path):
    result = run("validate", FORK, "--schema", tmp_path)
    assert result.exit_code == 2
    assert "Invalid value for --schema" in result.stderr
    assert "no schema here" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_checkout_whose_schema_cannot_be_loaded_is_a_one_line_usage_error(run):
    result = run("validate", CHECKOUTS / "broken-schema" / "integrations" / "acme-notes")
    assert result.exit_code == 2
    assert "its schema cannot be used" in result.stderr
    assert "schemas/capabilities/releaseNotes.json#/releaseNotes' names no file" in result.stderr
    assert "choose a schema with --schema DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_checkout_schema_that_is_not_valid_draft_07_is_a_one_line_usage_error(run, tmp_path):
    import shutil

    checkout = tmp_path / "fork"
    shutil.copytree(FORK, checkout)
    base = checkout / "schemas" / "base.json"
    schema = json.loads(base.read_text())
    schema["properties"]["name"]["type"] = "text"
    base.write_text(json.dumps(schema, indent=2))
    result = run("validate", checkout / "integrations" / "acme-notes")
    assert result.exit_code == 2
    assert "is not a valid draft-07 schema at properties/name/type" in result.stderr
    assert "Traceback" not in result.stderr
