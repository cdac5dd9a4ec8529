"""One mistake, one finding, in the file to edit (issue 13): a scaffolded
integration with a single partner mistake draws only the finding for its cause,
and that finding says what to change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from findings_helpers import edit_manifest, findings, scaffold


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = scaffold(tmp_path, "acme")
    monkeypatch.chdir(tmp_path)
    return folder


def _validate(run) -> tuple[int, list[dict]]:
    result = run("validate", "integrations/acme", "--format", "json")
    return result.exit_code, findings(result)


def test_a_password_type_is_one_schema_finding_not_three(run, acme):
    # The API token variable is used in the endpoint's Authorization header.
    edit_manifest(
        acme,
        '"type": "string",\n      "description": "An API token',
        '"type": "password",\n      "description": "An API token',
    )
    code, found = _validate(run)
    assert code == 1
    assert [(f["rule"], f["pointer"]) for f in found] == [("LD104", "/formVariables/0/type")]
    assert found[0]["message"].endswith('For a secret, use "type": "string" with "isSecret": true')


def test_a_dotted_event_name_is_ld410_alone(run, acme):
    edit_manifest(acme, '"eventName": "/eventName"', '"eventName": "data.title"')
    code, found = _validate(run)
    assert code == 1
    assert [f["rule"] for f in found] == ["LD410"]
    assert "write '/data/title'" in found[0]["message"]


def test_a_pointer_no_sample_has_blames_the_pointer_once_and_names_the_cases(run, acme):
    edit_manifest(acme, '"eventName": "/eventName"', '"eventName": "/alert/title"')
    code, found = _validate(run)
    assert code == 1
    assert len(found) == 1
    only = found[0]
    assert (only["rule"], only["path"]) == ("LD520", "integrations/acme/manifest.json")
    assert only["pointer"] == "/capabilities/trigger/parser/eventName"
    message = only["message"]
    assert "replays/example-event.case.json, replays/test-event.case.json" in message
    assert "not recognised as a test either" in message
    assert "their bodies have text at '/eventName'" in message


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")
def test_a_deliberate_pointer_change_blames_the_stale_case_bodies(run, acme):
    root = acme.parent.parent
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "scaffold"], check=True)
    edit_manifest(acme, '"eventName": "/eventName"', '"eventName": "/alert/title"')
    code, found = _validate(run)
    assert code == 1
    assert len(found) == 1
    only = found[0]
    assert only["rule"] == "LD520"
    assert only["path"] == "integrations/acme/replays/example-event.case.json"
    assert (only["pointer"], only["line"], only["column"]) == ("/request/body", 5, 13)
    assert only["message"].startswith(
        "parser.eventName changed from '/eventName' to '/alert/title' since the last commit, "
        "but the sample cases replays/example-event.case.json, replays/test-event.case.json "
        "still carry the event name at '/eventName': move it to '/alert/title'"
    )
    text = run("validate", "integrations/acme").stdout
    assert text.startswith("integrations/acme/replays/example-event.case.json:5:13: LD520 error: ")
    assert '\n        "body": {\n                ^\n' in text


def test_a_test_pattern_that_does_not_compile_is_ld430_alone(run, acme):
    edit_manifest(acme, '"^Test notification$"', '"^Test (notification$"')
    code, found = _validate(run)
    assert code == 1
    assert [(f["rule"], f["column"]) for f in found] == [("LD430", 30 + len("^Test ("))]
