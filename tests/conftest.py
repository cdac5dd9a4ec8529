"""Shared test helpers: run the real CLI through click's runner, find fixtures."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ldkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

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
