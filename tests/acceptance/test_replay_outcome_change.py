"""`ldkit replay --update` never silently approves a case that turns from a test
event into a flag change, or back (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from findings_helpers import edit_manifest, scaffold


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = scaffold(tmp_path, "acme", "trigger")
    monkeypatch.chdir(tmp_path)
    return folder


def _outcome(folder: Path, name: str) -> str:
    data = json.loads((folder / "replays" / f"{name}.expected.json").read_text("utf-8"))
    return data["outcome"]


def test_update_refuses_a_test_notification_that_now_changes_the_flag(run, acme):
    edit_manifest(acme, '"^Test notification$"', '"^Test$"')
    before = (acme / "replays" / "test-event.expected.json").read_bytes()
    result = run("replay", "--update")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "REFUSED integrations/acme/replays/test-event.case.json: not updated: the call would "
        "change from a test event (the flag is left alone) to a real event (the flag is "
        "changed); if that is intended, rerun with `ldkit replay --update "
        "--accept-outcome-change`"
    )
    assert '-  "outcome": "test-event",\n+  "outcome": "applied",\n' in result.stdout
    assert result.stdout.endswith(
        "2 replay cases: 1 passed, 0 failed, 1 not updated (outcome class changed)\n"
    )
    assert (acme / "replays" / "test-event.expected.json").read_bytes() == before


def test_update_refuses_a_real_alert_that_becomes_a_test(run, acme):
    edit_manifest(acme, '"^Test notification$"', '"rate"')
    result = run("replay", "--update")
    assert result.exit_code == 1
    assert "example-event.case.json: not updated: the call would change from a real event" in (
        result.stdout
    )
    assert _outcome(acme, "example-event") == "applied"


def test_accept_outcome_change_writes_it(run, acme):
    edit_manifest(acme, '"^Test notification$"', '"^Test$"')
    result = run("replay", "--update", "--accept-outcome-change")
    assert result.exit_code == 0
    assert "UPDATED integrations/acme/replays/test-event.expected.json: written" in result.stdout
    assert _outcome(acme, "test-event") == "applied"


def test_other_changes_are_still_updated_without_asking(run, acme):
    edit_manifest(acme, '"url": "/url"', '"url": "/link"')
    result = run("replay", "--update")
    assert result.exit_code == 0
    assert result.stdout.endswith("2 replay cases: 0 passed, 0 failed, 2 updated\n")
