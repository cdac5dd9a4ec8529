"""Re-checking only what an edit can change gives what a full `ldkit validate`
of the same content gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from ldkit.checks import validate_paths
from ldkit.checks.shown import shown
from ldkit.config import resolve
from ldkit.fs import unsaved_texts
from ldkit.lsp.diagnose import Checker, unit_of

EDITS = [
    # (file, old, new): each applied on top of the previous ones
    ("manifest.json", '"eventName": "/title"', '"eventName": "title"'),
    ("payloads/recommended.json", '"{ProblemTitle}"', "{ProblemTitle}"),
    ("replays/problem-opened.case.json", '"timestamp"', '"timestamp_"'),
    ("payloads/recommended.json", "{ProblemTitle}", '"{ProblemTitle}"'),
    ("manifest.json", '"eventName": "title"', '"eventName": "/title"'),
    ("samples/no-tags.problem.json", '"problem"', '"problem_"'),
    (".ldkit.toml", "", 'ignore = ["LD5"]\n'),
]


@pytest.fixture
def repository(tmp_path, monkeypatch):
    shutil.copytree(REPO / "integrations" / "dynatrace", tmp_path / "integrations" / "dynatrace")
    (tmp_path / ".ldkit.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rows(findings):
    return sorted((f.path, f.line, f.column, f.rule, f.severity, f.message) for f in findings)


def test_every_step_of_a_series_of_unsaved_edits_matches_a_full_run(repository):
    folder = repository / "integrations" / "dynatrace"
    unit = unit_of(folder / "manifest.json")
    assert unit == folder
    checker = Checker()
    checker.run(unit, None, {})
    texts: dict[str, bytes] = {}
    for name, old, new in EDITS:
        path = repository / name if name == ".ldkit.toml" else folder / name
        current = texts.get(str(path), path.read_bytes()).decode()
        assert old in current
        texts[str(path)] = current.replace(old, new, 1).encode()
        outcome = checker.run(unit, [Path(os.path.abspath(path))], dict(texts))
        with unsaved_texts(texts):
            full, _ = shown(validate_paths(["integrations/dynatrace"]), resolve(paths=[str(unit)]))
        incremental = [f for findings in outcome.findings.values() for f in findings]
        assert rows(incremental) == rows(full.all_findings()), name
    assert not any(f.rule.startswith("LD5") for f in incremental)


def test_a_file_outside_any_integration_is_its_own_unit(tmp_path):
    lone = tmp_path / "lone.json"
    lone.write_text("{}")
    assert unit_of(lone) == lone
    assert unit_of(tmp_path / "notes.txt") is None


def test_an_unusable_configuration_is_a_problem_on_its_file(repository):
    (repository / ".ldkit.toml").write_text('ignore = ["LD9999"]\n')
    folder = repository / "integrations" / "dynatrace"
    outcome = Checker().run(folder, None, {})
    [problem] = outcome.problems
    assert problem.path == repository / ".ldkit.toml"
    assert "unknown rule code 'LD9999'" in problem.message


def test_the_baseline_hides_what_it_recorded_and_shows_what_is_new(repository):
    from ldkit.report import baseline as baselines

    folder = repository / "integrations" / "dynatrace"
    manifest = folder / "manifest.json"
    broken = manifest.read_text().replace('"eventName": "/title"', '"eventName": "title"')
    checker = Checker()
    with unsaved_texts({str(manifest): broken.encode()}):
        recorded = validate_paths(["integrations/dynatrace"])
    baselines.write(recorded, repository / "baseline.json")
    (repository / ".ldkit.toml").write_text('baseline = "baseline.json"\n')
    hidden = checker.run(folder, None, {str(manifest): broken.encode()})
    assert [f.rule for found in hidden.findings.values() for f in found] == []
    worse = broken.replace('"url": "/url"', '"url": "url"')
    shown_now = checker.run(folder, [manifest], {str(manifest): worse.encode()})
    messages = [f.message for found in shown_now.findings.values() for f in found]
    # only the new mistake shows (what it draws); the recorded one stays hidden
    assert any("parser.url 'url'" in message for message in messages)
    assert all("'url'" in message and "'title'" not in message for message in messages)
