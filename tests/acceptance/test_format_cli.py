"""`ldkit format`: rewrite, check, diff, and leave broken files alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import NEW_ANSWERS, REPO

UNFORMATTED = '{\n    "name": "Acme",\n    "tags": [\n        "a",\n        "b"\n    ]\n}'
FORMATTED = '{\n  "name": "Acme",\n  "tags": ["a", "b"]\n}\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A partner repository with one unformatted and one formatted integration."""
    (tmp_path / "integrations" / "acme").mkdir(parents=True)
    (tmp_path / "integrations" / "acme" / "manifest.json").write_text(UNFORMATTED)
    (tmp_path / "integrations" / "tidy").mkdir()
    (tmp_path / "integrations" / "tidy" / "manifest.json").write_text(FORMATTED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_lists_files_that_would_change_writes_nothing_and_exits_1(run, repo: Path) -> None:
    result = run("format", "--check")
    assert result.exit_code == 1
    assert result.stdout == "integrations/acme/manifest.json\n"
    assert result.stderr == "1 file would be reformatted, 1 file already formatted\n"
    assert (repo / "integrations" / "acme" / "manifest.json").read_text() == UNFORMATTED


def test_format_rewrites_only_changed_files_and_keeps_mtimes_of_the_others(run, repo: Path) -> None:
    tidy = repo / "integrations" / "tidy" / "manifest.json"
    os.utime(tidy, (1_000_000, 1_000_000))
    result = run("format", "integrations")
    assert result.exit_code == 0
    assert result.stdout == "formatted integrations/acme/manifest.json\n"
    assert (repo / "integrations" / "acme" / "manifest.json").read_text() == FORMATTED
    assert tidy.stat().st_mtime == 1_000_000
    assert sorted(p.name for p in (repo / "integrations" / "acme").iterdir()) == ["manifest.json"]
    again = run("format", "--check")
    assert (again.exit_code, again.stdout) == (0, "")


def test_exit_non_zero_on_format_is_what_the_pre_commit_hook_uses(run, repo: Path) -> None:
    assert run("format", "--exit-non-zero-on-format").exit_code == 1
    assert run("format", "--exit-non-zero-on-format").exit_code == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(run, repo: Path) -> None:
    result = run("format", "--diff", "integrations/acme/manifest.json")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "--- a/integrations/acme/manifest.json\n+++ b/integrations/acme/manifest.json\n"
    )
    assert '+  "tags": ["a", "b"]\n' in result.stdout
    assert "\\ No newline at end of file\n" in result.stdout
    assert (repo / "integrations" / "acme" / "manifest.json").read_text() == UNFORMATTED


def test_a_file_that_is_not_json_is_left_alone_and_reported_with_its_position(
    run, repo: Path
) -> None:
    broken = repo / "integrations" / "acme" / "replays" / "x.case.json"
    broken.parent.mkdir()
    broken.write_text('{\n  "a": 1,\n}\n')
    result = run("format", "integrations/acme")
    assert result.exit_code == 1
    assert (
        "integrations/acme/replays/x.case.json:2:9: LD001 error: trailing comma after the "
        "last member; JSON allows no comma before '}', remove it (left unformatted)"
    ) in result.stdout
    assert broken.read_text() == '{\n  "a": 1,\n}\n'
    assert (repo / "integrations" / "acme" / "manifest.json").read_text() == FORMATTED
    assert result.stderr.endswith(", 1 file not JSON (left alone)\n")


def test_prettierignore_entries_are_skipped_even_when_named(run, repo: Path) -> None:
    (repo / ".prettierignore").write_text("integrations/*/payloads/\n")
    payload = repo / "integrations" / "acme" / "payloads" / "p.json"
    payload.parent.mkdir()
    payload.write_text('{"title":"{ProblemTitle}"}')
    result = run("format", "--check", str(payload), "integrations/acme")
    assert result.stdout == "integrations/acme/manifest.json\n"


def test_a_missing_path_is_a_usage_error(run, repo: Path) -> None:
    result = run("format", "nowhere")
    assert result.exit_code == 2
    assert "no such file or folder: nowhere" in result.stderr


def test_this_repositorys_integrations_are_formatted(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run("format", "--check", "integrations")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize("capability", ["trigger", "auditLogEventsHook"])
def test_a_new_integration_passes_the_format_check_straight_away(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capability: str
) -> None:
    created = run(
        "new",
        "acme-alerts",
        "--root",
        tmp_path,
        "--no-input",
        "--capability",
        capability,
        *NEW_ANSWERS,
    )
    assert created.exit_code == 0, created.stderr
    monkeypatch.chdir(tmp_path)
    result = run("format", "--check")
    assert (result.exit_code, result.stdout) == (0, "")


def test_format_removes_the_byte_order_mark_validate_rejects(run, repo: Path) -> None:
    manifest = repo / "integrations" / "tidy" / "manifest.json"
    manifest.write_bytes(b"\xef\xbb\xbf" + FORMATTED.encode())
    assert run("format", "--check").stdout.splitlines() == [
        "integrations/acme/manifest.json",
        "integrations/tidy/manifest.json",
    ]
    assert run("format").exit_code == 0
    assert manifest.read_bytes() == FORMATTED.encode()
