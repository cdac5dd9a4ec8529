"""`ldkit validate` renders an integration's Dynatrace payload templates (issue
13): a payload that breaks for the test notification or any problem sample is
an error in the payload file, also when pre-commit passes only that file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from findings_helpers import edit_file, findings

from conftest import REPO

PAYLOAD = "integrations/dynatrace/payloads/with-context.json"


@pytest.fixture
def dynatrace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "integrations" / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", target)
    monkeypatch.chdir(tmp_path)
    return target


def test_the_shipped_integration_renders_clean(run, dynatrace):
    result = run("validate", "integrations/dynatrace", "--strict")
    assert result.exit_code == 0, result.stdout


def test_an_unquoted_placeholder_is_one_error_in_the_payload_file(run, dynatrace):
    edit_file(dynatrace / "payloads" / "with-context.json", '"{ProblemTitle}"', "{ProblemTitle}")
    # pre-commit passes the changed file; it stands for its integration.
    result = run("validate", PAYLOAD, "--format", "json")
    assert result.exit_code == 1
    [only] = findings(result)
    assert (only["rule"], only["path"], only["line"], only["column"]) == ("LD600", PAYLOAD, 2, 12)
    assert 'put it in double quotes ("{ProblemTitle}")' in only["message"]


def test_a_trailing_comma_is_reported_on_the_comma_of_the_payload(run, dynatrace):
    edit_file(
        dynatrace / "payloads" / "with-context.json",
        '"impactedEntities": {ImpactedEntities}',
        '"impactedEntities": {ImpactedEntities},',
    )
    result = run("validate", "integrations/dynatrace")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{PAYLOAD}:11:41: LD602 error: the rendered body is not")
    assert "trailing comma after the last member" in result.stdout
    assert '\n      "impactedEntities": {ImpactedEntities},\n' in result.stdout


def test_a_json_placeholder_in_quotes_is_reported_once(run, dynatrace):
    edit_file(
        dynatrace / "payloads" / "with-context.json",
        '"impactedEntities": {ImpactedEntities}',
        '"impactedEntities": "{ImpactedEntities}"',
    )
    found = findings(run("validate", "integrations/dynatrace", "--format", "json"))
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [("LD601", PAYLOAD, 11)]


def test_a_case_template_is_rendered_with_the_case_inputs(run, dynatrace):
    # The unquoted-title case replays a deliberately broken payload and says so;
    # without that declaration its template is an error like any other.
    edit_file(
        dynatrace / "replays" / "chain-unquoted-title.case.json",
        ',\n      "expectFindings": ["LD600", "LD602"]',
        "",
    )
    found = findings(run("validate", "integrations/dynatrace", "--format", "json"))
    assert [(f["rule"], f["path"]) for f in found] == [
        ("LD600", "integrations/dynatrace/replays/partner-payloads/unquoted-title.json")
    ]
    assert found[0]["message"].endswith("(rendered with memory-exhausted-opened.problem.json)")
