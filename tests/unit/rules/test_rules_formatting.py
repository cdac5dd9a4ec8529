"""File-formatting errors that mirror LaunchDarkly's CI gates (LD010–LD013)."""

from __future__ import annotations

from _upstream_helpers import integration, own, validate


def _formatting(run, case: str) -> list[dict]:
    return [f for f in own(validate(run, case, "example-tool")) if f["rule"].startswith("LD01")]


def test_trailing_whitespace_is_reported_at_its_first_character_on_each_line(run):
    findings = _formatting(run, "fmt-trailing-whitespace")
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [
        ("LD010", 3, 22),
        ("LD010", 8, 13),
    ]
    assert all(f["severity"] == "error" and f["pointer"] == "" for f in findings)
    assert "trailing whitespace (2 characters)" in findings[0]["message"]
    assert "trailing whitespace (1 character)" in findings[1]["message"]


def test_missing_final_newline_is_reported_after_the_last_character(run):
    [finding] = _formatting(run, "fmt-no-final-newline")
    assert (finding["rule"], finding["severity"]) == ("LD011", "error")
    assert (finding["line"], finding["column"]) == (22, 2)
    assert "does not end with a newline" in finding["message"]


def test_blank_lines_at_the_end_are_reported_at_the_first_one(run):
    [finding] = _formatting(run, "fmt-extra-newlines")
    assert (finding["rule"], finding["line"], finding["column"]) == ("LD012", 23, 1)
    assert "ends with 2 blank lines" in finding["message"]


def test_crlf_line_endings_are_one_warning_at_the_first_carriage_return(run):
    [finding] = _formatting(run, "fmt-crlf")
    assert (finding["rule"], finding["line"], finding["column"]) == ("LD013", 1, 2)
    assert "CRLF line endings (22 lines" in finding["message"]


def test_crlf_file_is_not_also_reported_as_trailing_whitespace(run):
    assert [f["rule"] for f in _formatting(run, "fmt-crlf")] == ["LD013"]


def test_a_well_formatted_manifest_draws_no_formatting_warning(run):
    assert _formatting(run, "clean") == []


def test_formatting_fails_the_gate_as_launchdarklys_ci_does_and_a_project_can_turn_it_down(run):
    case = integration("fmt-crlf", "example-tool")
    failed = run("validate", case, "--format", "json")
    assert failed.exit_code == 1
    demoted = run("validate", case, "--format", "json", "--warn", "LD01")
    assert demoted.exit_code == 0
    found = [f for file in demoted.json()["files"] for f in file["findings"]]
    assert [(f["rule"], f["severity"]) for f in found] == [("LD013", "warning")]
