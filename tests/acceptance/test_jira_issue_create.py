"""The bundled schema follows LaunchDarkly past 35c6f74: `jiraIssueCreate`
(pull request #133, merged 2026-07-13) and its response parser, whose
definition (`parser.json#/jiraIssueCreateParser`) is in no public version of
LaunchDarkly's files: ldkit accepts whatever upstream's suite could, says so
once per run, and still checks that the pointers are JSON pointers.

tests/fixtures/schema/jira/ is our own Jira manifest written from the facts of
that pull request and of #134: optional `issueCreateUrl` and `jiraMetaUrl`
form variables, a shared `secret` for HMAC signing, and `jiraIssueCreate.creationRequest` with an
endpoint, a JSON body template and a parser for `issueKey`, `issueUrl` and the
optional `self`.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, REPO
from ldkit.format import format_json
from ldkit.schema.judge import bundled, bundled_upstream, read_upstream

JIRA = FIXTURES / "schema" / "jira"


def test_the_bundled_schema_accepts_a_jira_manifest_with_jira_issue_create(run):
    result = run("validate", JIRA, "--format", "json")
    assert result.exit_code == 0
    assert result.json()["files"][0]["findings"] == []
    # The bundled schema judged; the one note says which part rests on no seen definition.
    notes = [line for line in result.stderr.splitlines() if line.startswith("ldkit:")]
    assert notes == [
        "ldkit: accepted as LaunchDarkly's suite could, though no public version of "
        "LaunchDarkly's schema defining them has been seen: "
        f"{JIRA / 'manifest.json'}: capabilities.jiraIssueCreate.creationRequest.parser"
    ]
    assert "jiraIssueCreate" in bundled().capabilities


def _broken(tmp_path, change) -> dict:
    target = tmp_path / "jira"
    shutil.copytree(JIRA, target)
    manifest = json.loads((target / "manifest.json").read_text())
    change(manifest["capabilities"]["jiraIssueCreate"])
    # Formatted as LaunchDarkly's CI wants it, so only the change itself is reported.
    (target / "manifest.json").write_text(format_json(json.dumps(manifest)))
    return target


@pytest.mark.parametrize(
    "change",
    [
        lambda parser: parser.pop("issueUrl"),
        lambda parser: parser.update(issueId="/id"),
        lambda parser: parser.update(self=None),
    ],
    ids=["without-issueUrl", "extra-key", "null-self"],
)
def test_the_unseen_parser_definition_accepts_what_upstream_could(run, tmp_path, change):
    target = _broken(tmp_path, lambda c: change(c["creationRequest"]["parser"]))
    result = run("validate", target, "--format", "json")
    assert result.exit_code == 0
    assert result.json()["files"][0]["findings"] == []


def test_a_parser_pointer_that_is_not_a_json_pointer_is_reported(run, tmp_path):
    target = _broken(tmp_path, lambda c: c["creationRequest"]["parser"].update(issueKey="key"))
    result = run("validate", target, "--format", "json")
    findings = result.json()["files"][0]["findings"]
    assert [f["pointer"] for f in findings] == [
        "/capabilities/jiraIssueCreate/creationRequest/parser/issueKey"
    ]
    assert findings[0]["rule"].startswith("LD4")


def test_a_creation_request_that_is_not_an_object_passes_the_schema_but_draws_a_warning(
    run, tmp_path
):
    # LaunchDarkly's schema gives creationRequest no type: a string is accepted.
    target = _broken(tmp_path, lambda c: c.update(creationRequest="POST {{issueCreateUrl}}"))
    result = run("validate", target, "--format", "json")
    findings = result.json()["files"][0]["findings"]
    assert [(f["rule"], f["severity"], f["pointer"]) for f in findings] == [
        ("LD150", "warning", "/capabilities/jiraIssueCreate/creationRequest")
    ]
    assert result.exit_code == 0


def test_the_upstream_commit_is_recorded_in_one_file_read_by_code():
    upstream = bundled_upstream()
    assert upstream == read_upstream(REPO / "schemas" / "manifest" / "UPSTREAM")
    assert upstream.repository == "launchdarkly/integration-framework"
    assert len(upstream.commit) == 40 and upstream.short == upstream.commit[:7]
    assert "#133" in upstream.note
    assert upstream.short in bundled().label
