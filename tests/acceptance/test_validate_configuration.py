"""Configuration, selection and baselines for `ldkit validate` (issue 13): a fork
of LaunchDarkly's repository must be able to run `--strict` cleanly without
fixing other people's integrations, and a typo in the settings must never
silently hide nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from findings_helpers import edit_manifest, findings, scaffold


@pytest.fixture
def fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with our clean `acme` integration and someone else's `other`
    that has a warning (LD402: no test-event pattern)."""
    (tmp_path / ".git").mkdir()
    scaffold(tmp_path, "acme")
    other = scaffold(tmp_path, "other", "trigger")
    edit_manifest(other, ',\n      "testEventNameRegexp": "^Test notification$"', "")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_settings_the_inherited_warning_fails_strict(run, fork):
    result = run("validate", "--strict")
    assert result.exit_code == 1
    assert "integrations/other/manifest.json:" in result.stdout
    assert "LD402 error" in result.stdout


def test_per_path_ignores_in_pyproject_make_strict_clean(run, fork):
    (fork / "pyproject.toml").write_text(
        "[tool.ldkit]\nstrict = true\n\n"
        '[tool.ldkit.per-path-ignores]\n"!integrations/acme" = ["LD"]\n'
    )
    result = run("validate")
    assert result.exit_code == 0, result.stdout
    # Two manifests, their four replay cases and the cases' expected results.
    assert result.stdout.endswith("10 files checked: 0 errors, 0 warnings\n")


def test_per_path_ignores_still_report_our_own_integration(run, fork):
    (fork / ".ldkit.toml").write_text(
        'strict = true\n[per-path-ignores]\n"integrations/other/**" = ["LD4"]\n'
    )
    edit_manifest(fork / "integrations" / "acme", '"^Test notification$"', '"test"')
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    paths = {f["path"] for f in findings(result)}
    assert paths == {"integrations/acme/manifest.json"}


def test_ignore_and_select_take_ids_and_prefixes(run, fork):
    assert run("validate", "--strict", "--ignore", "LD402").exit_code == 0
    assert run("validate", "--strict", "--ignore", "ld4").exit_code == 0
    assert run("validate", "--strict", "--select", "LD1,LD3").exit_code == 0
    selected = run("validate", "--select", "LD402", "--format", "json")
    assert [f["rule"] for f in findings(selected)] == ["LD402"]


def test_cli_ignore_replaces_the_configured_list_and_extend_ignore_adds(run, fork):
    (fork / ".ldkit.toml").write_text('ignore = ["LD402"]\n')
    assert run("validate", "--strict").exit_code == 0
    assert run("validate", "--strict", "--ignore", "LD100").exit_code == 1
    assert run("validate", "--strict", "--extend-ignore", "LD100").exit_code == 0


def test_an_unknown_rule_in_the_settings_is_a_usage_error_with_suggestions(run, fork):
    (fork / "pyproject.toml").write_text('[tool.ldkit]\nignore = ["LD4O2"]\n')
    result = run("validate")
    assert result.exit_code == 2
    assert "pyproject.toml: ignore: unknown rule code 'LD4O2'; did you mean LD402" in result.stderr


def test_an_unknown_rule_on_the_command_line_is_a_usage_error(run, fork):
    result = run("validate", "--extend-ignore", "LD9")
    assert result.exit_code == 2
    assert "--extend-ignore: unknown rule code 'LD9'" in result.stderr


def test_an_unknown_setting_is_a_usage_error_naming_the_close_one(run, fork):
    (fork / ".ldkit.toml").write_text('extend_ignore = ["LD402"]\n')
    result = run("validate")
    assert result.exit_code == 2
    assert "unknown setting 'extend_ignore'; did you mean 'extend-ignore'?" in result.stderr


def test_broken_toml_is_a_usage_error_not_a_traceback(run, fork):
    (fork / ".ldkit.toml").write_text("ignore = [LD402\n")
    result = run("validate")
    assert result.exit_code == 2
    assert ".ldkit.toml: not valid TOML" in result.stderr


def test_settings_are_found_from_the_validated_path_and_stop_at_the_repository(
    run, fork, tmp_path_factory
):
    (fork / ".ldkit.toml").write_text('ignore = ["LD402"]\n')
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    import os

    os.chdir(elsewhere)
    assert run("validate", str(fork / "integrations" / "other"), "--strict").exit_code == 0
    # A configuration above the repository root is not this repository's.
    (fork / ".ldkit.toml").unlink()
    (fork.parent / ".ldkit.toml").write_text('ignore = ["LD402"]\n')
    try:
        assert run("validate", str(fork / "integrations" / "other"), "--strict").exit_code == 1
    finally:
        (fork.parent / ".ldkit.toml").unlink()


def test_config_option_names_the_file(run, fork, tmp_path_factory):
    settings = tmp_path_factory.mktemp("settings") / "ci.toml"
    settings.write_text('strict = true\nselect = ["LD402"]\n')
    result = run("validate", "--config", str(settings), "--format", "json")
    assert result.exit_code == 1
    assert [(f["rule"], f["severity"]) for f in findings(result)] == [("LD402", "error")]


def test_a_baseline_hides_recorded_findings_and_reports_new_ones(run, fork):
    written = run("validate", "--write-baseline", "ldkit-baseline.json")
    assert written.exit_code == 0
    assert "recorded 1 findings in ldkit-baseline.json" in written.stderr
    recorded = json.loads((fork / "ldkit-baseline.json").read_text())
    assert recorded["findings"] == [
        {
            "path": "integrations/other/manifest.json",
            "rule": "LD402",
            "pointer": "/capabilities/trigger",
            "message": recorded["findings"][0]["message"],
        }
    ]
    clean = run("validate", "--strict", "--baseline", "ldkit-baseline.json")
    assert clean.exit_code == 0
    assert "1 findings recorded in ldkit-baseline.json not shown" in clean.stderr
    # A new mistake in our own integration is still reported.
    edit_manifest(fork / "integrations" / "acme", '"^Test notification$"', '".*"')
    new = run("validate", "--strict", "--baseline", "ldkit-baseline.json", "--format", "json")
    assert new.exit_code == 1
    assert {f["path"] for f in findings(new)} == {"integrations/acme/manifest.json"}


def test_moving_lines_does_not_resurrect_a_recorded_finding(run, fork):
    (fork / ".ldkit.toml").write_text('strict = true\nbaseline = "ldkit-baseline.json"\n')
    assert run("validate", "--write-baseline", "ldkit-baseline.json").exit_code == 0
    edit_manifest(fork / "integrations" / "other", '"icons": {', '"icons": {\n\n\n')
    # (The blank lines are a formatting finding of their own, LD014.)
    assert run("validate", "--extend-ignore", "LD014").exit_code == 0


def test_a_missing_or_foreign_baseline_is_a_usage_error(run, fork):
    missing = run("validate", "--baseline", "nope.json")
    assert missing.exit_code == 2
    assert "nope.json: no such baseline" in missing.stderr
    (fork / "other.json").write_text("{}")
    foreign = run("validate", "--baseline", "other.json")
    assert foreign.exit_code == 2
    assert "not an ldkit baseline" in foreign.stderr
