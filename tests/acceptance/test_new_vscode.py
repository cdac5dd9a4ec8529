"""`ldkit new --vscode`: map the manifest schema to integrations/*/manifest.json
in .vscode/settings.json, merged with what is there, never rewriting a file
that is not plain JSON."""

from __future__ import annotations

import json

import pytest

from conftest import NEW_ANSWERS

OPTIONS = ["--no-input", *NEW_ANSWERS]
ENTRY = {
    "fileMatch": ["/integrations/*/manifest.json"],
    "url": "./.vscode/ldkit-manifest.schema.json",
}


def _new(run, root, *more):
    return run("new", "acme-alerts", "--root", root, *OPTIONS, *more)


def test_without_settings_it_creates_them_and_the_schema_they_point_at(run, tmp_path):
    result = _new(run, tmp_path, "--vscode")
    assert result.exit_code == 0, result.stderr
    settings = json.loads((tmp_path / ".vscode" / "settings.json").read_text())
    assert settings == {"json.schemas": [ENTRY]}
    schema = json.loads((tmp_path / ".vscode" / "ldkit-manifest.schema.json").read_text())
    assert schema == json.loads(run("schema").stdout)
    assert f"{tmp_path / '.vscode' / 'settings.json'}" in result.stdout


def test_existing_settings_keep_every_other_setting_and_schema_entry(run, tmp_path):
    (tmp_path / ".vscode").mkdir()
    original = {
        "editor.tabSize": 4,
        "json.schemas": [{"fileMatch": ["/other.json"], "url": "./other.schema.json"}],
        "files.exclude": {"**/.git": True},
    }
    settings = tmp_path / ".vscode" / "settings.json"
    settings.write_text(json.dumps(original, indent=4) + "\n")
    assert _new(run, tmp_path, "--vscode").exit_code == 0
    text = settings.read_text()
    merged = json.loads(text)
    assert merged == {**original, "json.schemas": [*original["json.schemas"], ENTRY]}
    assert list(merged) == list(original)  # key order kept
    assert text.startswith('{\n    "editor.tabSize"')  # the file's indentation kept


def test_running_it_again_adds_nothing(run, tmp_path):
    assert _new(run, tmp_path, "--vscode").exit_code == 0
    settings = tmp_path / ".vscode" / "settings.json"
    before = settings.read_text()
    result = run("new", "second", "--root", tmp_path, *OPTIONS, "--vscode")
    assert result.exit_code == 0
    assert settings.read_text() == before


@pytest.mark.parametrize(
    "text,reason",
    [
        ('{\n  // team settings\n  "editor.tabSize": 2\n}\n', "is not plain JSON"),
        ('{"editor.tabSize": 2,}\n', "is not plain JSON"),
        ("[]\n", "does not hold a JSON object"),
        ('{"json.schemas": {}}\n', '"json.schemas" is not a list'),
    ],
)
def test_settings_it_cannot_merge_safely_are_refused_before_anything_is_written(
    run, tmp_path, text, reason
):
    (tmp_path / ".vscode").mkdir()
    settings = tmp_path / ".vscode" / "settings.json"
    settings.write_text(text)
    result = _new(run, tmp_path, "--vscode")
    assert result.exit_code == 2
    assert reason in result.stderr
    assert '"/integrations/*/manifest.json"' in result.stderr  # the entry to add by hand
    assert settings.read_text() == text
    assert not (tmp_path / "integrations").exists()
    assert not (tmp_path / ".vscode" / "ldkit-manifest.schema.json").exists()


def test_a_schema_file_ldkit_did_not_write_is_not_overwritten(run, tmp_path):
    (tmp_path / ".vscode").mkdir()
    mine = tmp_path / ".vscode" / "ldkit-manifest.schema.json"
    mine.write_text('{"title": "my own"}\n')
    result = _new(run, tmp_path, "--vscode")
    assert result.exit_code == 2
    assert "was not written by `ldkit schema`" in result.stderr
    assert mine.read_text() == '{"title": "my own"}\n'


def test_without_the_option_no_editor_settings_are_written(run, tmp_path):
    assert _new(run, tmp_path).exit_code == 0
    assert not (tmp_path / ".vscode").exists()


PRETTIER_LAYOUT = """{
  "json.schemas": [
    {
      "fileMatch": ["manifest.json"],
      "url": "./manifest.schema.json"
    }
  ],
  "editor.tabSize": 2
}
"""


def test_settings_in_prettiers_layout_stay_in_it_with_only_the_entry_added(
    run, tmp_path, monkeypatch
):
    # A fork's settings, laid out as LaunchDarkly's prettier check wants them.
    (tmp_path / ".vscode").mkdir()
    settings = tmp_path / ".vscode" / "settings.json"
    settings.write_text(PRETTIER_LAYOUT)
    assert _new(run, tmp_path, "--vscode").exit_code == 0
    added = """    },
    {
      "fileMatch": ["/integrations/*/manifest.json"],
      "url": "./.vscode/ldkit-manifest.schema.json"
    }
"""
    assert settings.read_text() == PRETTIER_LAYOUT.replace("    }\n", added, 1)
    monkeypatch.chdir(tmp_path)
    check = run("format", "--check", ".vscode")
    assert check.exit_code == 0, check.stdout


def test_the_schema_ldkit_writes_into_a_fork_passes_the_format_check(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _new(run, tmp_path, "--vscode").exit_code == 0
    assert run("schema", "-o", "exported.schema.json").exit_code == 0
    check = run("format", "--check", ".vscode", "exported.schema.json", "integrations")
    assert check.exit_code == 0, check.stdout
