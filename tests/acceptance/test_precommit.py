"""The pre-commit hooks this repository offers, used the way a partner uses them.

A clean clone of this repository (committed state only, as a partner's `rev:`
would pin it) serves as the hook repository of a throw-away partner repository
with one good and one broken integration: its `.pre-commit-config.yaml` names
the clone and the clone's commit, and `pre-commit run` installs ldkit from it
with pip and runs the hooks. The clone and pre-commit's store are made once per
test run (`conftest.committed_clone`, `conftest.pre_commit_home`), so ldkit is
installed once, by the first hook that runs. Slow (a virtualenv and a package
install), but it is the only test that proves the hook definitions, the
packaging (templates and schemas inside the wheel) and the file mapping work
together.
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
HOOKS = ("ldkit-validate", "ldkit-replay", "ldkit-format")

pytestmark = pytest.mark.slow


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def partner(tmp_path, committed_clone) -> Path:
    """`partner_repository` using every hook of the clone at its commit, with
    everything staged, as a commit would have it. (JSON is YAML.)"""
    repo = partner_repository(tmp_path)
    config = {
        "repos": [
            {
                "repo": committed_clone.as_posix(),
                "rev": _git("rev-parse", "HEAD", cwd=committed_clone),
                "hooks": [{"id": hook} for hook in HOOKS],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=2), encoding="utf-8")
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


def _run_hook(home: Path, cwd: Path, hook: str, *args: str):
    return _pre_commit(home, cwd, "run", hook, *args)


def test_validate_hook_fails_on_the_broken_integration_and_names_file_rule_and_line(
    pre_commit_home, partner
):
    result = _run_hook(pre_commit_home, partner, "ldkit-validate", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "ldkit validate" in output and "Failed" in output
    assert f"{BROKEN}:3:3: LD002 error: duplicate key 'name'" in output
    assert "integrations/dynatrace/manifest.json:" not in output


def test_validate_hook_maps_a_changed_template_to_its_manifest_and_passes_when_clean(
    pre_commit_home, partner
):
    template = "integrations/dynatrace/templates/flag.json.hbs"
    result = _run_hook(pre_commit_home, partner, "ldkit-validate", "--files", template)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output
    # The broken integration's own files select it again.
    icon = "integrations/broken/assets/images/square.svg"
    result = _run_hook(pre_commit_home, partner, "ldkit-validate", "--files", icon)
    assert result.returncode == 1
    assert f"{BROKEN}:3:3: LD002" in result.stdout + result.stderr


def test_validate_hook_ignores_files_outside_integrations(pre_commit_home, partner):
    (partner / "notes.json").write_text("{not json", encoding="utf-8")
    _git("add", "notes.json", cwd=partner)
    result = _run_hook(pre_commit_home, partner, "ldkit-validate", "--files", "notes.json")
    assert result.returncode == 0
    assert "(no files to check)Skipped" in result.stdout


def test_replay_hook_passes_on_stored_cases_and_fails_with_a_diff_when_one_changes(
    pre_commit_home, partner
):
    result = _run_hook(pre_commit_home, partner, "ldkit-replay", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr

    expected = sorted((partner / "integrations" / "dynatrace").glob("replays/*.expected.json"))[0]
    data = json.loads(expected.read_text(encoding="utf-8"))
    data["triggerCount"] = data.get("triggerCount", 0) + 41
    expected.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    _git("add", "-A", cwd=partner)
    result = _run_hook(pre_commit_home, partner, "ldkit-replay", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert expected.name in output
    assert '"triggerCount"' in output


def test_format_hook_rewrites_an_unformatted_manifest_fails_once_then_passes(
    pre_commit_home, partner
):
    shutil.copy(REPO / ".prettierignore", partner / ".prettierignore")
    manifest = partner / "integrations" / "dynatrace" / "manifest.json"
    formatted = manifest.read_text(encoding="utf-8")
    manifest.write_text(json.dumps(json.loads(formatted), indent=4), encoding="utf-8")
    _git("add", "-A", cwd=partner)
    first = _run_hook(pre_commit_home, partner, "ldkit-format", "--all-files")
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "formatted integrations/dynatrace/manifest.json" in output
    assert manifest.read_text(encoding="utf-8") == formatted
    _git("add", "-A", cwd=partner)
    second = _run_hook(pre_commit_home, partner, "ldkit-format", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr


def test_this_repository_passes_its_own_hooks_from_a_clean_clone(committed_clone, pre_commit_home):
    """The repository's .pre-commit-config.yaml installs everything from PyPI; its
    ldkit hooks use the ldkit of the environment running the tests (the developer's
    editable install, or CI's)."""
    env = _env(pre_commit_home)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=committed_clone,
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
