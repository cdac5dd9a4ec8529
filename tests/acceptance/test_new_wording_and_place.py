"""`ldkit new`: the words it writes, the licence it offers, where the folder
lands, and why it refuses a blank answer."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from conftest import NEW_ANSWERS

REQUIRED = NEW_ANSWERS


def _author(required: tuple[str, ...], author: str) -> list[str]:
    values = list(required)
    values[values.index("--author") + 1] = author
    return values


def test_the_api_token_description_reads_as_english_before_any_name(run, tmp_path):
    result = run(
        "new", "acme-events", "--root", tmp_path, "--no-input", *REQUIRED,
        "--capability", "auditLogEventsHook",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    manifest = tmp_path / "integrations" / "acme-events" / "manifest.json"
    [token] = [v for v in json.loads(manifest.read_text("utf-8"))["formVariables"]
               if v["key"] == "apiToken"]  # fmt: skip
    assert token["description"] == "An API token for Acme Events that may create events."


def test_the_licence_ends_the_copyright_line_with_one_period_whatever_the_author(run, tmp_path):
    year = datetime.date.today().year
    for key, author, line in [
        ("acme", "Acme Inc.", f"Copyright {year} Acme Inc."),
        ("globex", "Globex Corporation", f"Copyright {year} Globex Corporation."),
    ]:
        result = run("new", key, "--root", tmp_path, "--no-input", *_author(REQUIRED, author))
        assert result.exit_code == 0, result.stderr
        licence = (tmp_path / "integrations" / key / "LICENSE.md").read_text("utf-8")
        assert licence.splitlines()[2] == line
        assert "Apache License, Version 2.0" in licence


def test_no_license_leaves_the_licence_out_and_the_rest_still_validates(run, tmp_path):
    result = run("new", "acme", "--root", tmp_path, "--no-input", *REQUIRED, "--no-license")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "integrations" / "acme"
    assert not (folder / "LICENSE.md").exists()
    assert "LICENSE.md" not in result.stdout
    checked = run("validate", folder, "--format", "json")
    assert checked.exit_code == 0, checked.stdout
    assert checked.json()["summary"]["errors"] == 0


def _answers(*, author: list[str], licence: str) -> str:
    lines = ["", "", "", "", *author, "help@acme.example", "https://acme.example"]
    lines += ["https://acme.example/privacy", "", "", licence]
    return "\n".join(lines) + "\n"


def test_the_prompt_says_where_the_licence_comes_from_and_no_leaves_it_out(run, tmp_path):
    result = run("new", "acme", "--root", tmp_path, input=_answers(author=["Acme"], licence="n"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (
        "Add LICENSE.md with the Apache-2.0 licence (the licence of LaunchDarkly's integrations "
        "repository, where you submit the integration)? [Y/n]: n"
    ) in result.stdout
    assert not (tmp_path / "integrations" / "acme" / "LICENSE.md").exists()


def test_a_blank_answer_without_a_default_is_refused_with_the_reason(run, tmp_path):
    answers = _answers(author=["", "   ", "Acme"], licence="")
    result = run("new", "acme", "--root", tmp_path, input=answers)
    assert result.exit_code == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    reason = (
        "Error: an answer is required (the manifest names the author on the integrations page) "
        "and there is no default"
    )
    assert output.count(reason) == 2
    assert output.count("Author (your company):") == 3
    assert (tmp_path / "integrations" / "acme" / "LICENSE.md").is_file()


def _new_in(run, monkeypatch, cwd: Path, key: str = "acme"):
    monkeypatch.chdir(cwd)
    return run("new", key, "--no-input", *REQUIRED)


def test_run_inside_integrations_it_creates_the_folder_there(run, tmp_path, monkeypatch):
    integrations = tmp_path / "integrations"
    integrations.mkdir()
    result = _new_in(run, monkeypatch, integrations)
    assert result.exit_code == 0, result.stderr
    assert (integrations / "acme" / "manifest.json").is_file()
    assert not (integrations / "integrations").exists()
    assert result.stdout.startswith("Created acme:\n")
    assert "  ldkit validate acme\n" in result.stdout


def test_run_inside_an_integration_it_creates_a_sibling(run, tmp_path, monkeypatch):
    integrations = tmp_path / "integrations"
    (integrations / "first" / "replays").mkdir(parents=True)
    (integrations / "first" / "manifest.json").write_text("{}\n", encoding="utf-8")
    result = _new_in(run, monkeypatch, integrations / "first" / "replays")
    assert result.exit_code == 0, result.stderr
    assert (integrations / "acme" / "manifest.json").is_file()
    assert result.stdout.startswith(f"Created {Path('..', '..', 'acme')}:\n")


def test_the_search_for_integrations_stops_at_the_repository_top(run, tmp_path, monkeypatch):
    """A repository that happens to sit inside a folder named `integrations` is
    still a repository: its own integrations/ is created."""
    repository = tmp_path / "integrations" / "partner-repo"
    (repository / ".git").mkdir(parents=True)
    result = _new_in(run, monkeypatch, repository)
    assert result.exit_code == 0, result.stderr
    assert (repository / "integrations" / "acme" / "manifest.json").is_file()


def test_root_pointing_at_integrations_is_understood_too(run, tmp_path):
    integrations = tmp_path / "integrations"
    integrations.mkdir()
    result = run("new", "acme", "--root", integrations, "--no-input", *REQUIRED)
    assert result.exit_code == 0, result.stderr
    assert (integrations / "acme" / "manifest.json").is_file()
    assert f"Created {integrations / 'acme'}:" in result.stdout
