"""The bundled schema follows LaunchDarkly past 35c6f74: `jiraIssueCreate`
(pull request #133, merged 2026-07-13) and its response parser.

tests/fixtures/schema/jira/ is our own Jira manifest written from the facts of
that pull request: an optional `issueCreateUrl` form variable, a shared
`secret` for HMAC signing, and `jiraIssueCreate.creationRequest` with an
endpoint, a JSON body template and a parser for `issueKey`, `issueUrl` and the
optional `self`.
"""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURES, REPO
from ldkit.format import format_json
from ldkit.schema.judge import bundled, bundled_upstream, read_upstream

JIRA = FIXTURES / "schema" / "jira"


def test_the_bundled_schema_accepts_a_jira_manifest_with_jira_issue_create(run):
    result = run("validate", JIRA, "--format", "json")
    assert result.exit_code == 0
    assert result.json()["files"][0]["findings"] == []
    assert "ldkit:" not in result.stderr  # the bundled schema judged, silently
    assert "jiraIssueCreate" in bundled().capabilities


def _broken(tmp_path, change) -> dict:
    target = tmp_path / "jira"
    shutil.copytree(JIRA, target)
    manifest = json.loads((target / "manifest.json").read_text())
    change(manifest["capabilities"]["jiraIssueCreate"])
    # Formatted as LaunchDarkly's CI wants it, so only the change itself is reported.
    (target / "manifest.json").write_text(format_json(json.dumps(manifest)))
    return target


def test_the_parser_needs_the_issue_key_and_link(run, tmp_path):
    target = _broken(tmp_path, lambda c: c["creationRequest"]["parser"].pop("issueUrl"))
    result = run("validate", target, "--format", "json")
    findings = result.json()["files"][0]["findings"]
    assert [(f["rule"], f["pointer"]) for f in findings] == [
        ("LD101", "/capabilities/jiraIssueCreate/creationRequest/parser/issueUrl")
    ]
    assert findings[0]["message"] == (
        "capabilities.jiraIssueCreate.creationRequest.parser is missing the required key "
        '"issueUrl" (Issue link pointer)'
    )


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
