"""scripts/check_release.py: a release tag, the package version and CHANGELOG.md move together.

The release workflow runs the script on the pushed tag before building; here it
runs the same way (a subprocess, from a copy of the files it reads) on this
repository and on copies with each kind of disagreement.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from ldkit import __version__

SCRIPT = REPO / "scripts" / "check_release.py"
VERSION_FILE = Path("tools/ldkit/__init__.py")


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def release_tree(tmp_path: Path, version: str, changelog: str) -> Path:
    (tmp_path / VERSION_FILE).parent.mkdir(parents=True)
    (tmp_path / VERSION_FILE).write_text(
        f'"""ldkit."""\n\n__version__ = "{version}"\n', encoding="utf-8"
    )
    (tmp_path / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return tmp_path


RELEASED = """# Changelog

## [Unreleased]

## [1.2.0] - 2026-11-30

### Added

- `ldkit lsp`.

## [1.1.0] - 2026-10-01

- Older notes.
"""


def test_this_repository_has_a_changelog_section_for_its_version():
    result = check(REPO)
    assert (result.returncode, result.stderr) == (0, "")


def test_this_repository_refuses_a_tag_for_another_version():
    result = check(REPO, "--tag", "v99.0.0")
    assert result.returncode == 1
    assert result.stderr == (
        f"check_release: tag 'v99.0.0' does not match the package version {__version__}"
        f" (expected 'v{__version__}')\n"
    )


def test_a_matching_tag_and_a_dated_section_pass_and_give_that_sections_notes(tmp_path):
    root = release_tree(tmp_path, "1.2.0", RELEASED)
    notes = tmp_path / "notes.md"
    result = check(root, "--tag", "v1.2.0", "--notes", str(notes))
    assert (result.returncode, result.stderr) == (0, "")
    assert notes.read_text(encoding="utf-8") == "### Added\n\n- `ldkit lsp`.\n"


@pytest.mark.parametrize(
    ("version", "changelog", "tag", "message"),
    [
        ("1.2.0", RELEASED, "1.2.0", "tag '1.2.0' does not match the package version 1.2.0"),
        ("1.2.0", RELEASED, "v1.2", "tag 'v1.2' does not match the package version 1.2.0"),
        ("1.3.0", RELEASED, "v1.3.0", "CHANGELOG.md has no section '## [1.3.0] - <date>'"),
        (
            "1.3.0",
            RELEASED.replace("## [Unreleased]", "## [1.3.0] - not yet released"),
            "v1.3.0",
            "section 1.3.0 must be dated '## [1.3.0] - YYYY-MM-DD' before release,"
            " not 'not yet released'",
        ),
        (
            "1.2.0",
            RELEASED.replace("2026-11-30", "2026-13-45"),
            "v1.2.0",
            "section 1.2.0 must be dated",
        ),
        (
            "1.3.0",
            RELEASED.replace("## [Unreleased]", "## [1.3.0] - 2026-12-01"),
            "v1.3.0",
            "CHANGELOG.md section 1.3.0 has no notes",
        ),
        (
            "1.2.0",
            RELEASED + "\n## [1.2.0] - 2026-12-01\n\n- Again.\n",
            "v1.2.0",
            "CHANGELOG.md has 2 sections for 1.2.0",
        ),
    ],
)
def test_a_release_whose_tag_version_and_changelog_disagree_is_refused(
    tmp_path, version, changelog, tag, message
):
    result = check(release_tree(tmp_path, version, changelog), "--tag", tag)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.startswith("check_release: ") and result.stderr.count("\n") == 1


def test_without_a_tag_the_version_under_preparation_needs_its_section_only(tmp_path):
    preparing = RELEASED.replace("## [Unreleased]", "## [1.3.0] - not yet released")
    assert check(release_tree(tmp_path / "a", "1.3.0", preparing)).returncode == 0
    missing = check(release_tree(tmp_path / "b", "1.4.0", preparing))
    assert missing.returncode == 1
    assert "no section '## [1.4.0] - <date>'" in missing.stderr


def test_a_version_file_that_does_not_assign_one_literal_is_one_line_not_a_traceback(tmp_path):
    root = release_tree(tmp_path, "1.2.0", RELEASED)
    (root / VERSION_FILE).write_text("__version__ = compute()\n", encoding="utf-8")
    result = check(root, "--tag", "v1.2.0")
    assert result.returncode == 1
    assert result.stderr == (
        "check_release: tools/ldkit/__init__.py must assign __version__ one string literal, once\n"
    )
    (root / VERSION_FILE).write_bytes(b"\xff\xfe not python")
    garbled = check(root)
    assert garbled.returncode == 1 and garbled.stderr.count("\n") == 1
    assert "Traceback" not in garbled.stderr


def test_the_release_workflow_refuses_a_tag_for_another_version_before_building(tmp_path):
    """The check job's step, run as GitHub runs it on the pushed tag, in a checkout."""
    workflow = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    [step] = [s for s in workflow["jobs"]["check"]["steps"] if "run" in s]
    checkout = release_tree(tmp_path, "1.2.0", RELEASED)
    (checkout / "scripts").mkdir()
    (checkout / "scripts" / SCRIPT.name).write_bytes(SCRIPT.read_bytes())
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])

    def run(tag: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=checkout,
            env={**os.environ, "PATH": path, "GITHUB_REF_NAME": tag},
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert (run("v1.2.0").returncode, run("v1.2.0").stderr) == (0, "")
    other = run("v1.2.1")
    assert other.returncode == 1
    assert "tag 'v1.2.1' does not match the package version 1.2.0" in other.stderr
