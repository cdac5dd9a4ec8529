"""`ldkit validate` at the terminal: the folders people pass first, a summary
when the report goes to a file, extra reports from the same run, colour only
where it helps, and `-V`."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from ldkit import __version__

REPO_FIXTURE = FIXTURES / "validate" / "repo"
DUPLICATE = FIXTURES / "validate" / "duplicate-key.json"
ANSI = "\x1b["


def test_the_integrations_folder_itself_validates_every_integration(run, monkeypatch):
    monkeypatch.chdir(REPO_FIXTURE)
    result = run("validate", "integrations", "--format", "json")
    assert result.exit_code == 1, result.stderr  # the fixture has errors on purpose
    assert [f["path"] for f in result.json()["files"]] == ["integrations/good/manifest.json"]


def test_without_path_inside_integrations_it_validates_every_integration_there(run, monkeypatch):
    monkeypatch.chdir(REPO_FIXTURE / "integrations")
    result = run("validate", "--format", "json")
    assert [f["path"] for f in result.json()["files"]] == ["good/manifest.json"]


def test_any_folder_whose_children_are_integrations_validates_each_of_them(run, tmp_path):
    shelf = tmp_path / "shelf"
    for key in ("dynatrace", "second"):
        shutil.copytree(REPO / "integrations" / "dynatrace", shelf / key)
    (shelf / ".git").mkdir()  # hidden folders are never integrations
    result = run("validate", shelf, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    manifests = [f["path"] for f in result.json()["files"] if f["path"].endswith("manifest.json")]
    assert manifests == [str(shelf / key / "manifest.json") for key in ("dynatrace", "second")]


def test_a_child_without_manifest_in_a_folder_of_integrations_is_named(run, tmp_path):
    shutil.copytree(REPO / "integrations" / "dynatrace", tmp_path / "shelf" / "dynatrace")
    (tmp_path / "shelf" / "draft").mkdir()
    result = run("validate", tmp_path / "shelf")
    assert result.exit_code == 2
    assert f"{tmp_path / 'shelf' / 'draft'}: integration folder without manifest.json" in (
        result.stderr
    )


def test_a_folder_without_any_integration_says_what_to_pass(run):
    result = run("validate", FIXTURES / "validate" / "lonely")
    assert result.exit_code == 2
    assert "no manifest.json here, no integration folders in it and no integrations/" in (
        result.stderr
    )


def test_output_to_a_file_leaves_a_one_line_summary_on_stderr(run, tmp_path):
    target = tmp_path / "report.json"
    result = run("validate", DUPLICATE, "--format", "json", "-o", target)
    assert result.exit_code == 1
    assert result.stdout == ""
    summary = json.loads(target.read_text("utf-8"))["summary"]
    assert result.stderr == (
        f"ldkit: 1 file checked: {summary['errors']} errors, {summary['warnings']} warnings "
        f"(report in {target})\n"
    )


def test_each_report_option_writes_its_format_beside_the_terminal_output(run, tmp_path):
    sarif, junit = tmp_path / "ldkit.sarif", tmp_path / "junit.xml"
    result = run("validate", DUPLICATE, "--report", f"sarif:{sarif}", "--report", f"junit:{junit}")
    assert result.exit_code == 1
    assert f"{DUPLICATE}:3:3: LD002 error: duplicate key 'name'" in result.stdout
    assert result.stderr == ""
    log = json.loads(sarif.read_text("utf-8"))
    assert "LD002" in {r["ruleId"] for r in log["runs"][0]["results"]}
    suites = ET.parse(junit).getroot()
    assert int(suites.get("failures")) >= 1
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_reports_and_output_share_the_run_under_strict(run, tmp_path):
    """One run, one result: `--strict` turns warnings into errors in every report.
    A missing final newline is an error by default (LaunchDarkly's CI rejects
    it); `--warn LD011` makes it the warning this run starts from."""
    folder = tmp_path / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", folder)
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text("utf-8").rstrip("\n"), encoding="utf-8")  # LD011
    out, junit = tmp_path / "out.json", tmp_path / "junit.xml"
    args = ["validate", folder, "--format", "json", "-o", out, "--report", f"junit:{junit}"]
    args += ["--warn", "LD011"]

    assert run(*args).exit_code == 0
    assert json.loads(out.read_text("utf-8"))["summary"]["warnings"] == 1
    assert ET.parse(junit).getroot().get("failures") == "0"

    assert run(*args, "--strict").exit_code == 1
    assert json.loads(out.read_text("utf-8"))["summary"]["errors"] == 1
    assert ET.parse(junit).getroot().get("failures") == "1"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("sarif", "'sarif' is not FORMAT:FILE (for example sarif:ldkit.sarif)"),
        ("xml:out.xml", "'xml' is not a report format; choose from text, json, github, junit"),
        ("json:-", "a --report goes to a file; the terminal output is --format"),
    ],
)
def test_a_malformed_report_option_is_a_usage_error(run, value, message):
    result = run("validate", DUPLICATE, "--report", value)
    assert result.exit_code == 2
    assert message in result.stderr


def test_two_reports_into_one_file_are_refused_before_anything_is_written(run, tmp_path):
    target = tmp_path / "same.out"
    result = run("validate", DUPLICATE, "-o", target, "--report", f"sarif:{target}")
    assert result.exit_code == 2
    assert f"{target}: more than one report would write it" in result.stderr
    assert not target.exists()


def test_colour_only_when_asked_and_never_in_files(run, tmp_path):
    plain = run("validate", DUPLICATE)
    assert ANSI not in plain.stdout
    coloured = run("validate", DUPLICATE, "--color", "--report", f"text:{tmp_path / 'r.txt'}")
    assert "\x1b[31m\x1b[1merror\x1b[0m: duplicate key 'name'" in coloured.stdout
    assert ANSI not in (tmp_path / "r.txt").read_text("utf-8")
    to_file = run("validate", DUPLICATE, "--color", "-o", tmp_path / "o.txt")
    assert ANSI not in (tmp_path / "o.txt").read_text("utf-8")
    assert ANSI in to_file.stderr  # the summary line is for the terminal
    assert ANSI not in run("validate", DUPLICATE, "--no-color").stdout


def test_colour_is_never_mixed_into_machine_formats(run):
    result = run("validate", DUPLICATE, "--color", "--format", "json")
    assert ANSI not in result.stdout
    json.loads(result.stdout)


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flag(run, flag):
    result = run(flag)
    assert result.exit_code == 0
    assert result.stdout == f"ldkit, version {__version__}\n"


def test_help_documents_shell_completion(run):
    assert "_LDKIT_COMPLETE=bash_source ldkit" in run("--help").stdout


def test_summary_paths_are_the_ones_given(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", DUPLICATE, "-o", "report.txt")
    assert result.stderr.endswith("(report in report.txt)\n")
    assert Path("report.txt").read_text("utf-8").endswith(" warnings\n")
