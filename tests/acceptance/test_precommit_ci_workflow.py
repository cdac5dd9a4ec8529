"""The example GitHub workflow (.github/workflows/validate.yml): its ldkit steps
are real commands that write the files its upload steps pick up. (Its install
line is run against a local clone in tests/acceptance/test_install_snippets.py.)"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "validate.yml"
GATE_SUFFIX = " || test $? -eq 1"


def _steps() -> list[dict]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    [job] = data["jobs"].values()
    return job["steps"]


def _ldkit_steps() -> list[tuple[dict, list[str]]]:
    found = []
    for step in _steps():
        command = step.get("run", "").strip()
        if command.startswith("ldkit "):
            tolerant = command.endswith(GATE_SUFFIX)
            argv = shlex.split(command.removesuffix(GATE_SUFFIX))[1:]
            found.append(({**step, "tolerant": tolerant}, argv))
    return found


def test_workflow_checks_out_installs_the_distribution_and_uploads_both_reports():
    steps = _steps()
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    assert "ld-integration-kit" in install
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload"))
    assert upload["with"]["sarif_file"] == "ldkit.sarif"
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert artifact["with"]["path"] == "ldkit-junit.xml"
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    [job] = data["jobs"].values()
    assert job["permissions"]["security-events"] == "write"


def test_one_validate_run_gates_with_the_default_format_and_writes_both_reports():
    argvs = [argv for step, argv in _ldkit_steps() if not step["tolerant"]]
    assert argvs == [
        ["validate", "--report", "sarif:ldkit.sarif", "--report", "junit:ldkit-junit.xml"],
        ["replay"],
        ["format", "--check"],
    ]
    assert not [step for step, _ in _ldkit_steps() if step["tolerant"]]


def test_it_runs_on_pull_requests_into_any_branch():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = data[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["pull_request"] is None  # no branch or path filter


def test_permissions_are_least_privilege_and_each_one_is_explained():
    text = WORKFLOW.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["permissions"] == {}
    [job] = data["jobs"].values()
    assert job["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",
    }
    for name in job["permissions"]:
        [line] = [line for line in text.splitlines() if line.strip().startswith(f"{name}:")]
        assert " # " in line, f"permission {name} has no explanation"


def test_the_sarif_upload_never_fails_the_job_and_skips_forks():
    upload = next(s for s in _steps() if s.get("uses", "").startswith("github/codeql-action/"))
    assert upload["continue-on-error"] is True
    assert "\n" not in upload["if"]  # one expression, however the YAML folds it
    condition = " ".join(upload["if"].split())
    assert "!cancelled()" in condition
    assert "hashFiles('ldkit.sarif') != ''" in condition
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition


def test_the_ldkit_steps_run_in_a_partner_checkout_and_write_what_is_uploaded(
    run, tmp_path, monkeypatch
):
    shutil.copytree(REPO / "integrations" / "dynatrace", tmp_path / "integrations" / "dynatrace")
    # The repository keeps its byte-exact payload templates and raw bodies out
    # of the formatting check; a partner's copy keeps that file with them.
    shutil.copy(REPO / ".prettierignore", tmp_path / ".prettierignore")
    monkeypatch.chdir(tmp_path)
    ran = []
    for step, argv in _ldkit_steps():
        result = run(*argv, env={"GITHUB_ACTIONS": "true"})
        assert result.exit_code in ((0, 1) if step["tolerant"] else (0,)), result.stderr
        ran.append((argv, result))

    validate = next(result for argv, result in ran if argv[0] == "validate")
    assert re.fullmatch(r"ldkit: \d+ files? checked: 0 errors, 0 warnings\n", validate.stdout)
    sarif = json.loads((tmp_path / "ldkit.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "ldkit"
    junit = ET.parse(tmp_path / "ldkit-junit.xml").getroot()
    assert junit.get("failures") == "0"


def test_github_annotations_appear_for_a_broken_manifest_in_the_gating_step(
    run, tmp_path, monkeypatch
):
    folder = tmp_path / "integrations" / "broken"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text('{"name": "x",}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [(_, argv)] = [(s, a) for s, a in _ldkit_steps() if a[0] == "validate"]
    result = run(*argv, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "::error file=integrations/broken/manifest.json,line=1,col=13,title=LD001::"
    )


@pytest.mark.parametrize("name", [".pre-commit-hooks.yaml", ".pre-commit-config.yaml"])
def test_hook_files_use_only_local_or_python_hooks_installable_from_pypi(name):
    data = yaml.safe_load((REPO / name).read_text(encoding="utf-8"))
    hooks = data if isinstance(data, list) else [h for r in data["repos"] for h in r["hooks"]]
    if isinstance(data, dict):
        assert {r["repo"] for r in data["repos"]} == {"local"}
    ids = {h["id"] for h in hooks}
    assert {"ldkit-validate", "ldkit-replay"} <= ids
    for hook in hooks:
        assert hook["language"] in ("python", "system"), hook["id"]
        if hook["id"].startswith("ldkit-"):
            assert hook["files"] == "^integrations/[^/]+/"
            assert hook["require_serial"] is True
