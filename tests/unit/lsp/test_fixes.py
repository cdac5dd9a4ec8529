"""Formatting gives `ldkit format`'s bytes or nothing; a per-path ignore goes
into the configuration `validate` reads."""

from __future__ import annotations

from conftest import REPO
from ldkit.format import format_json
from ldkit.lsp.fixes import formatted_edits, per_path_ignore

UNFORMATTED = REPO / "tests" / "fixtures" / "formatting" / "unformatted" / "manifest.json"


def test_formatting_replaces_the_whole_text_with_the_formatters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = UNFORMATTED.read_text()
    [edit] = formatted_edits(tmp_path / "manifest.json", text, "utf-16")
    assert edit.new_text == format_json(text, "manifest.json")
    assert formatted_edits(tmp_path / "manifest.json", edit.new_text, "utf-16") == []
    assert formatted_edits(tmp_path / "manifest.json", "{,}", "utf-16") is None


def test_a_file_prettierignore_names_is_not_formatted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".prettierignore").write_text("manifest.json\n")
    assert formatted_edits(tmp_path / "manifest.json", UNFORMATTED.read_text(), "utf-16") is None


def test_a_per_path_ignore_joins_the_existing_table(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ldkit.toml").write_text(
        'select = ["LD"]\n\n[per-path-ignores]\n"a.json" = ["LD1"]\n'
    )
    target = tmp_path / "integrations" / "acme" / "manifest.json"
    target.parent.mkdir(parents=True)
    title, edit = per_path_ignore(target, "LD410")
    [change] = edit.changes[(tmp_path / ".ldkit.toml").as_uri()]
    assert title == "Ignore LD410 in integrations/acme/manifest.json (.ldkit.toml)"
    assert change.range.start.line == 3
    assert change.new_text == '"integrations/acme/manifest.json" = ["LD410"]\n'


def test_a_per_path_ignore_adds_the_table_to_pyproject(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ldkit]\nstrict = true\n'
    )
    target = tmp_path / "manifest.json"
    _title, edit = per_path_ignore(target, "LD014")
    [change] = edit.changes[(tmp_path / "pyproject.toml").as_uri()]
    assert change.new_text == '\n[tool.ldkit.per-path-ignores]\n"manifest.json" = ["LD014"]\n'


def test_no_per_path_ignore_when_the_path_has_an_entry_already(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ldkit.toml").write_text('[per-path-ignores]\n"manifest.json" = ["LD1"]\n')
    assert per_path_ignore(tmp_path / "manifest.json", "LD410") is None
