"""`ldkit validate`: what it reads, how it reports, and its exit codes."""

from __future__ import annotations

from conftest import FIXTURES, REPO
from ldkit.core.findings import FileResult, Finding, Report, Severity

VALIDATE = FIXTURES / "validate"


def test_malformed_manifest_is_a_positioned_finding_with_exit_code_1(run):
    result = run("validate", VALIDATE / "broken-syntax" / "manifest.json", "--format", "json")
    assert result.exit_code == 1
    [file] = result.json()["files"]
    assert file["findings"] == [
        {
            "rule": "LD001",
            "severity": "error",
            "message": "trailing comma after the last member; JSON allows no comma before '}', "
            "remove it",
            "pointer": "",
            "line": 3,
            "column": 21,
            "path": str(VALIDATE / "broken-syntax" / "manifest.json"),
        }
    ]
    assert result.json()["summary"] == {"files": 1, "errors": 1, "warnings": 0}


def test_text_output_reads_like_a_compiler_with_excerpt_and_caret(run):
    path = VALIDATE / "duplicate-key.json"
    result = run("validate", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    [at] = [i for i, line in enumerate(lines) if " LD002 " in line]
    assert lines[at].startswith(f"{path}:3:3: LD002 error: duplicate key 'name'")
    assert lines[at + 1] == '      "name": "Second"'
    assert lines[at + 2] == "      ^"
    assert lines[-1].startswith("1 file checked: ")


def test_missing_path_is_a_usage_error_with_exit_code_2(run):
    result = run("validate", VALIDATE / "does-not-exist.json")
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_folder_without_manifest_or_integrations_is_a_usage_error(run):
    result = run("validate", VALIDATE / "lonely")
    assert result.exit_code == 2
    assert "no manifest.json here, no integration folders in it" in result.stderr


def test_without_path_validates_every_integration_under_the_current_folder(run, monkeypatch):
    monkeypatch.chdir(VALIDATE / "repo")
    result = run("validate", "--format", "json")
    paths = [f["path"] for f in result.json()["files"]]
    assert paths == ["integrations/good/manifest.json"]


def test_without_path_and_without_integrations_folder_exit_code_is_2(run, monkeypatch):
    monkeypatch.chdir(VALIDATE / "lonely")
    result = run("validate")
    assert result.exit_code == 2
    assert "no ./integrations folder here" in result.stderr


def test_a_template_file_passed_by_pre_commit_stands_for_its_manifest(run, monkeypatch):
    monkeypatch.chdir(VALIDATE / "repo")
    result = run(
        "validate",
        "integrations/good/templates/flag.json.hbs",
        "integrations/good/manifest.json",
        "--format",
        "json",
    )
    assert [f["path"] for f in result.json()["files"]] == ["integrations/good/manifest.json"]


def test_repository_folder_covers_every_integration(run):
    result = run("validate", REPO, "--format", "json")
    paths = [f["path"] for f in result.json()["files"]]
    assert str(REPO / "integrations" / "dynatrace" / "manifest.json") in paths


def test_output_option_writes_the_report_to_a_file(run, tmp_path):
    target = tmp_path / "report.json"
    result = run("validate", VALIDATE / "duplicate-key.json", "--format", "json", "-o", target)
    assert result.stdout == ""
    assert '"rule": "LD002"' in target.read_text(encoding="utf-8")


def test_strict_turns_warnings_into_errors_and_changes_the_exit_code():
    warning = Finding("m.json", 1, 1, "LD010", Severity.WARNING, "trailing whitespace")
    report = Report([FileResult("m.json", [warning])])
    assert report.exit_code() == 0
    strict = report.strict()
    assert [f.severity for f in strict.all_findings()] == [Severity.ERROR]
    assert strict.exit_code() == 1
    assert strict.summary() == {"files": 1, "errors": 1, "warnings": 0}


def test_a_file_in_an_integration_folder_without_manifest_names_the_missing_manifest(run):
    template = VALIDATE / "half" / "integrations" / "unfinished" / "templates" / "flag.json.hbs"
    result = run("validate", template)
    assert result.exit_code == 2
    assert "unfinished: integration folder without manifest.json" in result.stderr
