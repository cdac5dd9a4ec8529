"""LD014: `ldkit validate` rejects a JSON file `ldkit format` would change."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldkit.checks.formatted import unformatted
from ldkit.format.rules import NotPrettierFormatted
from ldkit.load.jsonpos import load_text


def _finding(text: str, path: str = "integrations/acme/manifest.json"):
    return unformatted(load_text(text, path).document)


def test_a_formatted_file_draws_nothing() -> None:
    assert _finding('{\n  "name": "Acme",\n  "tags": ["a", "b"]\n}\n') is None


def test_an_over_long_array_is_reported_at_its_line_and_first_differing_column() -> None:
    text = (
        '{\n  "name": "Acme",\n  "allowedValues": '
        '["production", "staging", "development", "qa-environment", "sandbox"]\n}\n'
    )
    finding = _finding(text)
    assert finding is not None
    assert (finding.rule, finding.severity.value) == (NotPrettierFormatted.id, "error")
    assert (finding.line, finding.column) == (3, 21)
    assert finding.message == (
        "LaunchDarkly's prettier check would reformat this file from here (prettier writes "
        "'\"allowedValues\": [' on this line); run `ldkit format integrations/acme/manifest.json`"
    )


def test_what_ld010_to_ld013_already_report_is_not_reported_again() -> None:
    assert _finding('{\r\n  "name": "Acme"  \r\n}') is None
    assert _finding('{\n  "name": "Acme"\n}\n\n\n') is None


def test_a_file_prettierignore_names_is_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".prettierignore").write_text("integrations/*/samples/\n")
    text = '{"a": [\n1]}\n'
    assert _finding(text, "integrations/acme/samples/x.problem.json") is None
    assert _finding(text, "integrations/acme/replays/x.case.json") is not None


def test_validate_reports_it_for_replay_cases_and_samples_too(run, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "integrations" / "acme"
    (folder / "samples").mkdir(parents=True)
    sample = folder / "samples" / "x.problem.json"
    sample.write_text('{"ProblemTitle": "x",\n\n"ProblemURL": "https://x.example"}\n')
    result = run("validate", sample)
    assert "x.problem.json:1:2: LD014 error: " in result.stdout
