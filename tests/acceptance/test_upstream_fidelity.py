"""Where ldkit once disagreed with LaunchDarkly's own test suite, and now agrees.

Each test is named for the upstream behaviour it matches (the jest suites of
LaunchDarkly's integration-framework at commit 35c6f74; see
`benchmarks/differential_upstream.py` for the side-by-side run).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from _upstream_helpers import integration, own, validate
from conftest import FIXTURES
from ldkit.format import format_json

APPROVAL_CASE = "approval-boolean-string-default"


def _findings(run, path: Path) -> list[dict]:
    result = run("validate", path, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [f for file in result.json()["files"] for f in file["findings"]]


def test_upstream_defaultValue_types_match_the_type_of_the_environmentFormVariable(run):
    result = run("validate", integration(APPROVAL_CASE, "change-tool"), "--format", "json")
    assert result.exit_code == 1
    [finding] = own(validate(run, APPROVAL_CASE, "change-tool"))
    assert (finding["rule"], finding["severity"]) == ("LD212", "error")
    assert finding["pointer"] == "/capabilities/approval/environmentFormVariables/0/defaultValue"
    assert finding["message"] == (
        "form variable 'configItemFlag' is of type 'boolean', so its defaultValue must be a "
        "boolean (true or false, without quotes)"
    )


def test_upstream_defaultValue_types_match_the_type_of_the_approvalFormVariable(run, tmp_path):
    folder = tmp_path / "integrations" / "change-tool"
    shutil.copytree(integration(APPROVAL_CASE, "change-tool"), folder)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    approval = manifest["capabilities"]["approval"]
    approval["approvalFormVariables"] = approval.pop("environmentFormVariables")
    approval["approvalFormVariables"][0]["type"] = "string"
    approval["approvalFormVariables"][0]["defaultValue"] = True
    # Formatted as prettier would (unformatted JSON is LD014, an error, too).
    manifest_path.write_text(format_json(json.dumps(manifest, indent=2)), "utf-8")
    errors = [f for f in _findings(run, folder) if f["severity"] == "error"]
    assert [(f["rule"], f["pointer"]) for f in errors] == [
        ("LD212", "/capabilities/approval/approvalFormVariables/0/defaultValue")
    ]
    assert "so its defaultValue must be a string" in errors[0]["message"]


def test_upstream_joins_a_leading_slash_template_path_under_the_integration_folder(run):
    # `./integrations/${key}/${path}`: "/templates/flag.json.hbs" is read from the
    # integration folder and rendered, for auditLogEventsHook and eventsHook alike.
    found = _findings(run, FIXTURES / "templates" / "leading-slash" / "manifest.json")
    assert [f for f in found if "LD300" <= f["rule"] <= "LD349"] == []


def test_a_leading_slash_template_that_is_missing_is_still_reported(run, tmp_path):
    folder = tmp_path / "integrations" / "leading-slash"
    shutil.copytree(FIXTURES / "templates" / "leading-slash", folder)
    (folder / "templates" / "flag.json.hbs").unlink()
    (folder / "templates" / "regression.json.hbs").unlink()
    found = {f["rule"]: f for f in _findings(run, folder)}
    assert found["LD303"]["message"].startswith(
        "Template file '/templates/flag.json.hbs' does not exist in the integration directory"
    )
    assert found["LD312"]["pointer"].endswith("/templates/measuredRolloutRegressionDetected")


@pytest.mark.parametrize("template", ["{{{title .plainText}}}", "{{{title\u2028.plainText}}}"])
def test_upstream_handlebars_accepts_whitespace_before_a_path_dot_in_a_flag_template(
    run, tmp_path, template
):
    folder = tmp_path / "integrations" / "leading-slash"
    shutil.copytree(FIXTURES / "templates" / "leading-slash", folder)
    (folder / "templates" / "default.text.hbs").write_text(template + "\n", "utf-8")
    found = _findings(run, folder)
    assert [f for f in found if "LD300" <= f["rule"] <= "LD349"] == []
