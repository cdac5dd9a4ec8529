"""A mistake in a template is reported in the template (issue 13): its own path,
line and column in every output format, so that editors jump there and GitHub
annotates the changed line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from findings_helpers import edit_file, findings, scaffold

TEMPLATE = "integrations/acme/templates/flag.json.hbs"


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = scaffold(tmp_path, "acme")
    monkeypatch.chdir(tmp_path)
    return folder


def test_a_misspelt_field_is_one_finding_at_the_template_line(run, acme):
    edit_file(
        acme / "templates" / "flag.json.hbs", "{{{title.plainText}}}", "{{{titel.plainText}}}"
    )
    result = run("validate", "integrations/acme", "--format", "json")
    assert result.exit_code == 1
    [only] = findings(result)
    assert (only["rule"], only["path"], only["line"], only["column"]) == ("LD304", TEMPLATE, 2, 16)
    assert "'titel' is missing" in only["message"]


def test_every_format_names_the_template(run, acme):
    edit_file(acme / "templates" / "flag.json.hbs", "{{{kind}}}", "{{#if kind}}")
    text = run("validate", "integrations/acme").stdout
    assert text.startswith(f"{TEMPLATE}:3:12: LD304 error: the flag template does not compile")
    # The excerpt quotes the template's line, not the manifest's.
    assert '\n      "kind": "{{#if kind}}",\n               ^\n' in text

    github = run("validate", "integrations/acme", "--format", "github").stdout
    assert github.startswith(f"::error file={TEMPLATE},line=3,col=12,title=LD304::")

    junit = ET.fromstring(run("validate", "integrations/acme", "--format", "junit").stdout)
    failing = [case for case in junit.iter("testcase") if case.find("failure") is not None]
    assert [(c.get("file"), c.get("line")) for c in failing] == [(TEMPLATE, "3")]

    sarif = json.loads(run("validate", "integrations/acme", "--format", "sarif").stdout)
    [location] = sarif["runs"][0]["results"][0]["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == TEMPLATE
    assert physical["region"] == {"startLine": 3, "startColumn": 12}


def test_invalid_json_after_rendering_is_positioned_at_the_template_text(run, acme):
    # A trailing comma after the last member: the caret goes on the template's comma.
    edit_file(
        acme / "templates" / "flag.json.hbs",
        '"timestamp": {{timestamp.milliseconds}}\n',
        '"timestamp": {{timestamp.milliseconds}},\n',
    )
    result = run("validate", "integrations/acme", "--format", "json")
    [only] = findings(result)
    assert (only["rule"], only["path"], only["line"], only["column"]) == ("LD305", TEMPLATE, 9, 42)
    assert only["message"].startswith(
        "the flag template renders invalid JSON here: trailing comma after the last member"
    )


def test_an_unquoted_string_value_points_at_its_mustache(run, acme):
    edit_file(
        acme / "templates" / "flag.json.hbs", '"flagName": "{{{name}}}"', '"flagName": {{{name}}}'
    )
    [only] = findings(run("validate", "integrations/acme", "--format", "json"))
    assert (only["rule"], only["line"], only["column"]) == ("LD305", 5, 15)
    assert "found the bare word" in only["message"]


def test_the_json_report_lists_a_template_finding_under_the_template(run, acme):
    edit_file(acme / "templates" / "flag.json.hbs", "{{{kind}}}", "{{#if kind}}")
    report = run("validate", "integrations/acme", "--format", "json").json()
    manifest = "integrations/acme/manifest.json"
    # The template follows the manifest that reached it; the replay cases follow.
    assert [(f["path"], f["checkedFor"], len(f["findings"])) for f in report["files"][:2]] == [
        (manifest, [manifest], 0),
        (TEMPLATE, [manifest], 1),
    ]
    assert report["files"][1]["findings"][0]["path"] == TEMPLATE
    assert report["summary"]["errors"] == 1

    junit = ET.fromstring(run("validate", "integrations/acme", "--format", "junit").stdout)
    assert [suite.get("name") for suite in junit.iter("testsuite")][:2] == [manifest, TEMPLATE]
