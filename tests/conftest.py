"""Shared test helpers: run the real CLI through click's runner, find fixtures,
and the costly things the slow lane builds once per run (a clean clone of this
repository, the pre-commit store its hooks are installed in).

Lanes: `python3 -m pytest` runs the fast lane (every test not marked
`@pytest.mark.slow`); the README's test command and `.ci/run` add
`-m 'slow or not slow'` and run everything. Tests that compare with
LaunchDarkly's own repository read its path from `LDKIT_UPSTREAM` and skip
without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ldkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: The environment variable naming an extracted checkout of LaunchDarkly's
#: integration-framework repository at commit 35c6f74 (the commit the bundled
#: schema follows), for the tests that compare with it.
UPSTREAM_VARIABLE = "LDKIT_UPSTREAM"

#: The answers `ldkit new` requires, for running it without prompts
#: (`"--no-input", *NEW_ANSWERS`).
NEW_ANSWERS = (
    "--author",
    "Acme Inc.",
    "--support-email",
    "support@acme.example",
    "--site",
    "https://acme.example",
    "--privacy-policy",
    "https://acme.example/privacy",
)


def partner_repository(root: Path) -> Path:
    """A partner's integrations repository under `root` (a fresh `git init`): the
    Dynatrace integration, and a copy of it whose manifest repeats the `name` key
    on line 3, with this repository's `.prettierignore` (payload templates are not
    JSON to prettier)."""
    repo = root / "partner"
    good = repo / "integrations" / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", good)
    shutil.copyfile(REPO / ".prettierignore", repo / ".prettierignore")
    broken = repo / "integrations" / "broken"
    shutil.copytree(good, broken)
    shutil.rmtree(broken / "replays", ignore_errors=True)
    text = (good / "manifest.json").read_text(encoding="utf-8")
    first = text.index('  "name"')
    (broken / "manifest.json").write_text(
        text[:first] + '  "name": "Broken copy",\n' + text[first:], encoding="utf-8"
    )
    subprocess.run(["git", "init", "--quiet"], cwd=repo, check=True, capture_output=True)
    return repo


class Result:
    def __init__(self, raw) -> None:
        self.exit_code: int = raw.exit_code
        self.stdout: str = raw.stdout
        self.stderr: str = raw.stderr
        self.exception = raw.exception

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def run():
    """`run("validate", path, "--format", "json")` -> Result with stdout/stderr."""

    def _run(*args: str, input: str | bytes | None = None, env: dict | None = None) -> Result:
        runner = CliRunner()
        raw = runner.invoke(
            cli, [str(a) for a in args], input=input, env=env, catch_exceptions=False
        )
        return Result(raw)

    return _run


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """The run's own user cache directory (ldkit keeps the precompiled schema
    there), so that tests neither read nor fill the developer's."""
    from ldkit.schema.cache import CACHE_VARIABLE

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_VARIABLE, str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture
def upstream_checkout() -> Path:
    """LaunchDarkly's repository at 35c6f74, from `LDKIT_UPSTREAM`; the test skips
    when the variable is unset or names no folder."""
    value = os.environ.get(UPSTREAM_VARIABLE, "")
    if not value:
        pytest.skip(f"set {UPSTREAM_VARIABLE} to a checkout of integration-framework at 35c6f74")
    path = Path(value)
    if not (path / "integrations").is_dir():
        pytest.skip(f"{UPSTREAM_VARIABLE}={value} is not a checkout of integration-framework")
    return path


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="session")
def committed_clone(tmp_path_factory) -> Path:
    """A clean clone of this repository: its committed state, as a partner's
    pinned `rev:` or `pip install git+...` sees it. Made once per run."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of this repository")
    target = tmp_path_factory.mktemp("source") / "ldkit"
    _git("clone", "--quiet", str(REPO), str(target), cwd=REPO)
    return target


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    """pre-commit's store for the whole run, kept out of the user's home: a hook
    repository at one commit is installed into it once, by the first test that
    runs its hooks, and reused by every later one."""
    return tmp_path_factory.mktemp("pre-commit-home")
