"""ldkit's GitHub workflows, and the snippets partners copy, pass a GitHub Actions auditor.

Partners copy `.github/workflows/validate.yml` and the README's pre-commit
snippet; ldkit's own release runs `.github/workflows/release.yml`. zizmor (the
dev extra installs it) audits them offline, with its most suspicious persona
("auditor") and no configuration file, so nothing but an inline
`# zizmor: ignore[...]` comment can silence a finding, and each such comment
must say why on its line. No finding may be above "low". A deliberately unsafe
workflow under tests/fixtures/workflows/ proves the audit sees what it must.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO

WORKFLOWS = REPO / ".github" / "workflows"
# zizmor's severities, lowest first; the gate is "nothing above low".
SEVERITIES = ["Unknown", "Informational", "Low", "Medium", "High"]
ALLOWED = SEVERITIES.index("Low")
# A pinned action: owner/repo[/path]@<40 hex digits> # <version>.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"@[0-9a-f]{40} # v\d+(\.\d+){0,2}$")
# Where partners are told what to copy.
PARTNER_DOCS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
FENCED_YAML = re.compile(r"^```ya?ml\n(.*?)^```", re.M | re.S)


def _zizmor() -> str:
    if sys.version_info < (3, 11):
        pytest.skip("zizmor 1.33 needs Python 3.11 or newer; the other interpreters run the audit")
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed: python -m pip install -e '.[dev]'")
    return found


def audit(root: Path) -> list[dict]:
    """zizmor's findings (JSON) for every workflow, action, Dependabot and
    pre-commit file under `root`, offline."""
    return _run_audit(root)[0]


def _run_audit(root: Path) -> tuple[list[dict], set[str]]:
    """The findings, and the names of the files zizmor says it audited."""
    result = subprocess.run(
        [_zizmor(), "--offline", "--no-config", "--persona=auditor", "--format=json"]
        + ["--collect=all", "--strict-collection", "--no-exit-codes", "--", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    completed = set(re.findall(r"completed (\S+)", result.stderr))
    return json.loads(result.stdout), {Path(p).name for p in completed}


def _above_low(findings: list[dict]) -> list[str]:
    return [
        f"{f['ident']} ({f['determinations']['severity']}) at "
        + ", ".join(
            f"{loc['symbolic']['key']['Local']['verbatim_path']}:"
            f"{loc['concrete']['location']['start_point']['row'] + 1}"
            for loc in f["locations"]
            if "Local" in loc["symbolic"]["key"]
        )
        for f in findings
        if SEVERITIES.index(f["determinations"]["severity"]) > ALLOWED
    ]


def partner_snippets() -> dict[str, str]:
    """The YAML blocks in README.md and docs/ that are whole files a partner
    copies, by the file name they are copied to."""
    snippets: dict[str, str] = {}
    for doc in PARTNER_DOCS:
        for number, block in enumerate(FENCED_YAML.findall(doc.read_text(encoding="utf-8"))):
            parsed = yaml.safe_load(block)
            if not isinstance(parsed, dict):
                continue  # a fragment (one list item, one key) to add to a file
            name = f"{doc.stem}-{number}"
            if "repos" in parsed:
                snippets[f"{name}/.pre-commit-config.yaml"] = block
            elif "jobs" in parsed:
                snippets[f"{name}/.github/workflows/{name}.yml"] = block
            elif "updates" in parsed:
                snippets[f"{name}/.github/dependabot.yml"] = block
    return snippets


@pytest.mark.slow  # runs zizmor
def test_every_workflow_and_the_dependabot_config_pass_the_audit():
    findings, audited = _run_audit(REPO / ".github")
    assert _above_low(findings) == []
    expected = {p.name for p in WORKFLOWS.glob("*.yml")} | {"dependabot.yml"}
    assert expected <= audited


@pytest.mark.slow  # runs zizmor
def test_the_snippets_the_readme_tells_partners_to_copy_pass_the_audit(tmp_path):
    snippets = partner_snippets()
    # The README's pre-commit configuration is one of them; the workflow it links is audited too.
    assert any(
        name.startswith("README-") and name.endswith(".pre-commit-config.yaml") for name in snippets
    )
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((\.github/workflows/[\w.-]+\.ya?ml)\)", readme))
    assert ".github/workflows/validate.yml" in linked
    for name, text in snippets.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for path in linked:
        target = tmp_path / "linked" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / path, target)
    findings, audited = _run_audit(tmp_path)
    assert _above_low(findings) == []
    assert {Path(name).name for name in snippets} | {Path(p).name for p in linked} <= audited


@pytest.mark.slow  # runs zizmor
def test_the_audit_catches_an_unsafe_workflow():
    """The fixture has each mistake the gate exists for: a movable tag, a
    pull-request title in a shell script, a checkout that keeps its token."""
    findings = audit(FIXTURES / "workflows")
    idents = {f["ident"] for f in findings}
    assert {"unpinned-uses", "template-injection", "artipacked"} <= idents
    assert any("unpinned-uses (High)" in line for line in _above_low(findings))


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    for workflow in sorted(WORKFLOWS.glob("*.yml")):
        lines = workflow.read_text(encoding="utf-8").splitlines()
        uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
        assert uses, workflow.name
        for reference in uses:
            assert VERSION_COMMENT.search(reference), f"{workflow.name}: {reference}"
            action = reference.split(" #", 1)[0]
            assert PINNED.match(action), f"{workflow.name}: {action}"


def test_dependabot_keeps_the_action_pins_and_the_build_tools_current():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    watched = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert ("github-actions", "/") in watched
    assert ("pip", "/.github") in watched  # .github/build-requirements.txt
    assert ("pip", "/") in watched  # pyproject.toml


def test_every_suppression_says_why_on_its_line():
    """zizmor honours `# zizmor: ignore[rule]`; ldkit's own may never be bare."""
    files = [*sorted((REPO / ".github").rglob("*.y*ml")), *PARTNER_DOCS]
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for reason in re.findall(r"zizmor: ignore\[[^\]]*\](.*)", line):
                assert len(reason.strip(" #-:")) >= 10, f"{path.name}:{number}: say why"
