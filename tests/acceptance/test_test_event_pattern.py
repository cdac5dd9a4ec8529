"""A test-event pattern that also matches real alert titles turns those alerts
into silent no-ops (issue 13): LD403 names titles it would swallow and the
anchored pattern to write instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from findings_helpers import edit_file, edit_manifest, findings, scaffold

from conftest import REPO


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = scaffold(tmp_path, "acme", "trigger")
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.mark.parametrize("pattern", ["[Tt]est", "est", "[Tt][Ee][Ss][Tt]"])
def test_a_bare_word_names_the_alerts_it_swallows_and_the_anchored_fix(run, acme, pattern):
    edit_manifest(acme, '"^Test notification$"', f'"{pattern}"')
    result = run("validate", "integrations/acme", "--format", "json")
    [only] = findings(result)
    assert (only["rule"], only["severity"]) == ("LD403", "warning")
    assert only["pointer"] == "/capabilities/trigger/testEventNameRegexp"
    assert "'Latest deploy failed'" in only["message"]
    # The fix is spelled from the integration's own test notification.
    assert only["message"].endswith("e.g. '^Test notification$'")


def test_an_anchored_pattern_draws_nothing(run, acme):
    result = run("validate", "integrations/acme", "--strict")
    assert result.exit_code == 0, result.stdout


def test_the_integrations_own_problem_titles_come_first(run, tmp_path, monkeypatch):
    target = tmp_path / "integrations" / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", target)
    monkeypatch.chdir(tmp_path)
    manifest = target / "manifest.json"
    text = manifest.read_text("utf-8")
    start = text.index('"testEventNameRegexp": ') + len('"testEventNameRegexp": ')
    end = text.index("\n", start)
    edit_file(manifest, text[start:end], '"ou"' + ("," if text[end - 1] == "," else ""))
    [ld403] = [
        f
        for f in findings(run("validate", "integrations/dynatrace", "--format", "json"))
        if f["rule"] == "LD403"
    ]
    assert "'Memory resources exhausted' (samples/" in ld403["message"]
