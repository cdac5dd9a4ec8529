"""JSON syntax mistakes partners make when editing a manifest by hand, said in
plain words with the caret on the offending character (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from findings_helpers import edit_manifest, findings, scaffold


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = scaffold(tmp_path, "acme", "trigger")
    monkeypatch.chdir(tmp_path)
    return folder


CASES = [
    (
        '"version": "1.0.0",',
        '"version": "1.0.0", // bump on release',
        "JSON has no comments; remove the comment",
        "// bump",
    ),
    ('"version": "1.0.0",', "'version': '1.0.0',", "JSON strings use double quotes", "'version'"),
    (
        '"version": "1.0.0",',
        'version: "1.0.0",',
        'member names need double quotes in JSON; write "version"',
        "version:",
    ),
    (
        '"testEventNameRegexp": "^Test notification$"\n    }',
        '"testEventNameRegexp": "^Test notification$",\n    }',
        "trailing comma after the last member",
        ",\n",
    ),
    (
        '"categories": ["monitoring"]',
        '"categories": ["monitoring",]',
        "trailing comma after the last item",
        ",]",
    ),
    ('"version": "1.0.0",', '"version": NaN,', "NaN and Infinity are not JSON", "NaN"),
    ('"version": "1.0.0",', '"version": -Infinity,', "NaN and Infinity are not JSON", "-Inf"),
]


@pytest.mark.parametrize(("old", "new", "message", "at"), CASES)
def test_one_plain_finding_with_the_caret_on_the_mistake(run, acme, old, new, message, at):
    edit_manifest(acme, old, new)
    result = run("validate", "integrations/acme/manifest.json", "--format", "json")
    assert result.exit_code == 1
    [only] = findings(result)
    assert only["rule"] == "LD001"
    assert only["message"].startswith(message)
    lines = (acme / "manifest.json").read_text("utf-8").split("\n")
    offending = lines[only["line"] - 1][only["column"] - 1 :] + "\n"
    assert offending.startswith(at)
