"""The pre-commit hooks this repository offers, used the way a partner uses them.

A clean clone of this repository (committed state only, as a partner's `rev:`
would pin it) serves as the hook source for a throw-away partner repository with
one good and one broken integration; `pre-commit try-repo` installs ldkit from it
with pip and runs the hooks. Slow (a virtualenv and a package install), but it is
the only test that proves the hook definitions, the packaging (templates and
schemas inside the wheel) and the file mapping work together.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, partner_repository

BROKEN = "integrations/broken/manifest.json"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(),
    reason="needs git and a git checkout of this repository",
)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("source") / "ldkit"
    _git("clone", "--quiet", str(REPO), str(target), cwd=REPO)
    return target


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """pre-commit's cache, kept out of the user's home. (`try-repo` installs into a
    store of its own each time; a config's hooks are installed here.)"""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def partner(tmp_path) -> Path:
    """`partner_repository` with everything staged, as a commit would have it."""
    repo = partner_repository(tmp_path)
    _git("add", "-A", cwd=repo)
    return repo


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONPATH")}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    return env


def _pre_commit(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=900,
    )


def _try_repo(clone: Path, home: Path, cwd: Path, hook: str, *args: str):
    return _pre_commit(home, cwd, "try-repo", str(clone), hook, *args)


def test_validate_hook_fails_on_the_broken_integration_and_names_file_rule_and_line(
    clone, pre_commit_home, partner
):
    result = _try_repo(clone, pre_commit_home, partner, "ldkit-validate", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "ldkit validate" in output and "Failed" in output
    assert f"{BROKEN}:3:3: LD002 error: duplicate key 'name'" in output
    assert "integrations/dynatrace/manifest.json:" not in output


def test_validate_hook_maps_a_changed_template_to_its_manifest_and_passes_when_clean(
    clone, pre_commit_home, partner
):
    template = "integrations/dynatrace/templates/flag.json.hbs"
    result = _try_repo(clone, pre_commit_home, partner, "ldkit-validate", "--files", template)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output
    # The broken integration's own files select it again.
    icon = "integrations/broken/assets/images/square.svg"
    result = _try_repo(clone, pre_commit_home, partner, "ldkit-validate", "--files", icon)
    assert result.returncode == 1
    assert f"{BROKEN}:3:3: LD002" in result.stdout + result.stderr


def test_validate_hook_ignores_files_outside_integrations(clone, pre_commit_home, partner):
    (partner / "notes.json").write_text("{not json", encoding="utf-8")
    _git("add", "notes.json", cwd=partner)
    result = _try_repo(clone, pre_commit_home, partner, "ldkit-validate", "--files", "notes.json")
    assert result.returncode == 0
    assert "(no files to check)Skipped" in result.stdout


def test_replay_hook_passes_on_stored_cases_and_fails_with_a_diff_when_one_changes(
    clone, pre_commit_home, partner
):
    result = _try_repo(clone, pre_commit_home, partner, "ldkit-replay", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr

    expected = sorted((partner / "integrations" / "dynatrace").glob("replays/*.expected.json"))[0]
    data = json.loads(expected.read_text(encoding="utf-8"))
    data["triggerCount"] = data.get("triggerCount", 0) + 41
    expected.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    _git("add", "-A", cwd=partner)
    result = _try_repo(clone, pre_commit_home, partner, "ldkit-replay", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert expected.name in output
    assert '"triggerCount"' in output


def test_format_hook_rewrites_an_unformatted_manifest_fails_once_then_passes(
    clone, pre_commit_home, partner
):
    shutil.copy(REPO / ".prettierignore", partner / ".prettierignore")
    manifest = partner / "integrations" / "dynatrace" / "manifest.json"
    formatted = manifest.read_text(encoding="utf-8")
    manifest.write_text(json.dumps(json.loads(formatted), indent=4), encoding="utf-8")
    _git("add", "-A", cwd=partner)
    first = _try_repo(clone, pre_commit_home, partner, "ldkit-format", "--all-files")
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "formatted integrations/dynatrace/manifest.json" in output
    assert manifest.read_text(encoding="utf-8") == formatted
    _git("add", "-A", cwd=partner)
    second = _try_repo(clone, pre_commit_home, partner, "ldkit-format", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr


def test_this_repository_passes_its_own_hooks_from_a_clean_clone(clone, pre_commit_home):
    """The repository's .pre-commit-config.yaml installs everything from PyPI; its
    ldkit hooks use the ldkit of the environment running the tests (the developer's
    editable install, or CI's)."""
    env = _env(pre_commit_home)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    hooks = ("check JSON syntax", "ruff check", "ldkit validate", "ldkit format", "ldkit replay")
    for hook in hooks:
        assert hook in output
