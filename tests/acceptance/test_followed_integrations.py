"""Integrations LaunchDarkly merged after 35c6f74 validate clean under the
bundled schema, and the review rules (LD800-LD802) say what LaunchDarkly's
reviewers would.

tests/fixtures/followed/ holds our own copies of the public manifests of
mattermost (pull request #129), clickhouse, contentful,
launchdarkly-developer-toolbar, bigquery-experimentation and
databricks-experimentation as test data (icons and templates are our own), and
segment-import, a manifest of ours using the `segmentImport` capability.
tests/fixtures/review/ holds one manifest per review comment, and its fix.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES

FOLLOWED = FIXTURES / "followed"
REVIEW = FIXTURES / "review"
MERGED = [
    "mattermost",
    "clickhouse",
    "contentful",
    "launchdarkly-developer-toolbar",
    "bigquery-experimentation",
    "databricks-experimentation",
    "segment-import",
]


def _findings(result) -> list[dict]:
    return [f for file in result.json()["files"] for f in file["findings"]]


@pytest.mark.parametrize("name", MERGED)
def test_an_integration_launchdarkly_merged_later_draws_no_error(run, name):
    result = run("validate", FOLLOWED / name, "--format", "json")
    assert result.exit_code == 0
    found = [(f["rule"], f["severity"]) for f in _findings(result)]
    if name == "launchdarkly-developer-toolbar":
        # The merged file has no final newline, which LaunchDarkly's CI lets through.
        assert found == [("LD011", "warning")]
    else:
        assert found == []


def test_the_unseen_definitions_are_named_once_for_the_whole_run(run):
    result = run("validate", FOLLOWED, "--format", "json")
    notes = [line for line in result.stderr.splitlines() if line.startswith("ldkit:")]
    assert len(notes) == 1
    databricks = FOLLOWED / "databricks-experimentation" / "manifest.json"
    assert notes[0].endswith(
        f"{databricks}: formVariables[].type = 'sectionHeading', "
        "formVariables[].type = 'codeEditor', formVariables[].divider, "
        "formVariables[].codeLanguage, formVariables[].instructionsHeading, "
        "formVariables[].instructions"
    )


def test_a_manifest_using_only_seen_definitions_draws_no_note(run):
    result = run("validate", FOLLOWED / "mattermost", "--format", "json")
    assert "ldkit:" not in result.stderr


@pytest.mark.parametrize(
    ("case", "rule", "pointer", "words"),
    [
        ("data-category", "LD800", "/categories/1", "pull request #23"),
        ("data-export-capability", "LD801", "/otherCapabilities/0", 'legacy.kind "dataExport"'),
        (
            "synced-segments-shared",
            "LD802",
            "/capabilities/syncedSegment",
            'shares this listing with "flagLink"',
        ),
    ],
)
def test_a_review_comment_becomes_a_warning_at_the_field_to_change(run, case, rule, pointer, words):
    result = run("validate", REVIEW / case, "--format", "json")
    assert result.exit_code == 0
    [finding] = _findings(result)
    assert (finding["rule"], finding["severity"], finding["pointer"]) == (
        rule,
        "warning",
        pointer,
    )
    assert words in finding["message"]


@pytest.mark.parametrize("case", ["data-export-destination", "synced-segments-own"])
def test_the_reviewers_own_layout_draws_no_review_warning(run, case):
    result = run("validate", REVIEW / case, "--format", "json")
    assert _findings(result) == []


def test_launchdarkly_data_listings_keep_the_data_category(run):
    # A Data Export destination and the warehouse integrations use "data" as intended.
    for name in ("clickhouse", "bigquery-experimentation", "databricks-experimentation"):
        result = run("validate", FOLLOWED / name, "--format", "json")
        assert [f["rule"] for f in _findings(result)] == []
