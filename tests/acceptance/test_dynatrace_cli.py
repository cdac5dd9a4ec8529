"""`ldkit dynatrace check` and `ldkit dynatrace export` through the real
command line: output in every format, exit codes, the missing-extra error, and
the round trip export -> check."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, REPO

CONFIGS = FIXTURES / "dynatrace-config"
INTEGRATION = REPO / "integrations" / "dynatrace"


def check(run, *args):
    return run("dynatrace", "check", *args, "--integration", INTEGRATION)


def test_a_clean_configuration_exits_0_with_a_summary(run):
    result = check(run, CONFIGS / "settings" / "good.json")
    assert result.exit_code == 0
    assert result.stdout == "1 file checked: 0 errors, 0 warnings\n"


def test_text_output_quotes_the_line_and_points_at_the_column(run):
    path = CONFIGS / "settings" / "any-certificate.json"
    result = check(run, path)
    assert result.exit_code == 0  # warnings only
    lines = result.stdout.split("\n")
    assert lines[0] == (
        f"{path}:12:31: LD730 warning: acceptAnyCertificate is true: Dynatrace accepts any "
        "certificate, so whoever can intercept the call learns the trigger URL (the trigger's "
        "only credential); LaunchDarkly's certificate is valid, set it to false"
    )
    assert lines[1:3] == ['          "acceptAnyCertificate": true,', "    " + " " * 30 + "^"]
    assert lines[3] == "1 file checked: 0 errors, 1 warning"


def test_an_error_finding_exits_1_and_strict_makes_warnings_count(run):
    assert check(run, CONFIGS / "settings" / "wrong-key.json").exit_code == 1
    warning_only = CONFIGS / "settings" / "event-merges.json"
    assert check(run, warning_only).exit_code == 0
    assert check(run, warning_only, "--strict").exit_code == 1


def test_json_report_has_one_file_per_configuration(run):
    result = check(
        run,
        CONFIGS / "settings" / "good.json",
        CONFIGS / "classic" / "good.json",
        "--format",
        "json",
    )
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == [
        str(CONFIGS / "settings" / "good.json"),
        str(CONFIGS / "classic" / "good.json"),
    ]
    assert report["summary"] == {"files": 2, "errors": 0, "warnings": 1}
    [closed] = report["files"][1]["findings"]
    assert (closed["rule"], closed["pointer"], closed["line"]) == ("LD731", "", 1)


@pytest.mark.parametrize("fmt", ["github", "junit", "sarif"])
def test_every_reporter_formats_the_findings(run, fmt, tmp_path):
    out = tmp_path / "report"
    result = check(run, CONFIGS / "settings" / "wrong-key.json", "--format", fmt, "-o", out)
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "LD720" in text
    if fmt == "sarif":
        sarif = json.loads(text)
        rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
        assert {"LD720", "LD721"} <= rules
    if fmt == "github":
        assert text.startswith("::error file=")


def test_one_check_writes_every_report_and_summarises_on_stderr(run, tmp_path):
    """Like validate (the same options): the main report to -o, more formats with
    --report, and one summary line on stderr."""
    sarif, junit = tmp_path / "dt.sarif", tmp_path / "dt.xml"
    result = check(
        run,
        CONFIGS / "settings" / "wrong-key.json",
        "--format",
        "json",
        "-o",
        tmp_path / "dt.json",
        "--report",
        f"sarif:{sarif}",
        "--report",
        f"junit:{junit}",
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("ldkit: 1 file checked: ")
    assert f"(report in {tmp_path / 'dt.json'})" in result.stderr
    report = json.loads((tmp_path / "dt.json").read_text(encoding="utf-8"))
    rules = {finding["rule"] for finding in report["files"][0]["findings"]}
    assert "LD720" in rules
    assert "LD720" in sarif.read_text(encoding="utf-8")
    assert "LD720" in junit.read_text(encoding="utf-8")


def test_two_reports_to_one_file_are_refused_before_any_check(run, tmp_path):
    out = tmp_path / "same"
    result = check(run, CONFIGS / "settings" / "good.json", "-o", out, "--report", f"sarif:{out}")
    assert result.exit_code == 2
    assert "more than one report would write it" in result.stderr
    assert not out.exists()


def test_rules_explains_the_new_ids(run):
    result = run("rules", "LD720")
    assert result.exit_code == 0
    assert "Send test notification would flip the flag" in result.stdout


def test_an_unreadable_configuration_is_a_usage_error(run, tmp_path):
    result = check(run, tmp_path / "missing.json")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_terraform_without_the_extra_says_which_extra_to_install(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "hcl2", None)  # import hcl2 now raises ImportError
    result = check(run, CONFIGS / "terraform" / "good.tf")
    assert result.exit_code == 2
    assert (
        "reading Terraform needs the python-hcl2 parser: "
        "pip install 'ld-integration-kit[dynatrace]'"
    ) in result.stderr


def test_monaco_without_the_extra_says_which_extra_to_install(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)
    result = check(run, CONFIGS / "monaco" / "good" / "config.yaml")
    assert result.exit_code == 2
    assert "pip install 'ld-integration-kit[dynatrace]'" in result.stderr


def test_validate_never_imports_the_hcl_or_yaml_parsers():
    code = (
        "import sys\n"
        "from ldkit.cli import main\n"
        "main(['validate', 'integrations/dynatrace', '--format', 'json', '-o', '/dev/null'])\n"
        "print('EXTRA', [m for m in ('hcl2', 'lark', 'yaml') if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "tools")},
    ).stdout
    assert "EXTRA []" in out


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("settings", "n.json"), ("config-v1", "n.json"), ("terraform", "main.tf"), ("monaco", "p")],
)
def test_export_then_check_exits_0(run, fmt, name, tmp_path):
    pytest.importorskip({"terraform": "hcl2", "monaco": "yaml"}.get(fmt, "json"))
    out = tmp_path / name
    result = run("dynatrace", "export", "--integration", INTEGRATION, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    target = out / "config.yaml" if fmt == "monaco" else out
    assert f"wrote {target}" in result.stderr
    checked = check(run, target, "--format", "json")
    assert checked.exit_code == 0
    assert json.loads(checked.stdout)["summary"]["errors"] == 0


def test_export_to_stdout_prints_the_configuration(run):
    result = run("dynatrace", "export", "--integration", INTEGRATION, "--format", "settings")
    assert result.exit_code == 0
    [obj] = json.loads(result.stdout)
    assert obj["value"]["webHookNotification"]["payload"] == (
        '{"title":"{ProblemTitle}","url":"{ProblemURL}"}'
    )


def test_export_refuses_to_overwrite_and_force_overwrites(run, tmp_path):
    out = tmp_path / "main.tf"
    out.write_text("# mine\n", encoding="utf-8")
    args = ("dynatrace", "export", "--integration", INTEGRATION, "--format", "terraform", "-o", out)
    refused = run(*args)
    assert refused.exit_code == 2
    assert f"{out} already exists; use --force to overwrite" in refused.stderr
    assert out.read_text(encoding="utf-8") == "# mine\n"
    assert run(*args, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# The LaunchDarkly flag trigger")


def test_monaco_export_needs_a_folder(run):
    result = run("dynatrace", "export", "--integration", INTEGRATION, "--format", "monaco")
    assert result.exit_code == 2
    assert "--format monaco writes a folder: give it with -o DIR" in result.stderr


def test_export_without_an_integration_is_a_usage_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("dynatrace", "export", "--format", "settings")
    assert result.exit_code == 2
    assert "give the integration with --integration DIR" in result.stderr


def test_without_an_integration_check_says_what_it_cannot_check(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("dynatrace", "check", CONFIGS / "settings" / "wrong-key.json")
    assert result.exit_code == 0  # no trigger, so no LD720: nothing else is wrong
    assert "payloads are rendered for the test notification only" in result.stderr
    assert result.stdout == "1 file checked: 0 errors, 0 warnings\n"


@pytest.mark.skipif(sys.platform == "win32", reason="needs symbolic links")
def test_export_never_reads_a_recommended_payload_linked_out_of_the_integration(run, tmp_path):
    import shutil

    folder = tmp_path / "integrations" / "dynatrace"
    shutil.copytree(INTEGRATION, folder)
    secret = tmp_path / "runner-secret.json"
    secret.write_text('{"title": "RUNNER-SECRET-4242"}', "utf-8")
    (folder / "payloads" / "recommended.json").unlink()
    (folder / "payloads" / "recommended.json").symlink_to(secret)
    result = run("dynatrace", "export", "--integration", folder, "--format", "settings")
    assert result.exit_code == 2
    assert "RUNNER-SECRET" not in result.stdout + result.stderr
    assert "outside" in result.stderr
