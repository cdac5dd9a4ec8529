"""Scaffolded integrations for the acceptance tests of issue 13: a real
integration from `ldkit new`, edited the way a partner would edit it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import NEW_ANSWERS
from ldkit.cli import cli

NEW_OPTIONS = ("--no-input", *NEW_ANSWERS)


def scaffold(root: Path, key: str = "acme", *capabilities: str) -> Path:
    """`ldkit new KEY` under `root`; returns the integration folder."""
    args = ["new", key, "--root", str(root), *NEW_OPTIONS]
    for capability in capabilities or ("trigger", "auditLogEventsHook"):
        args += ["--capability", capability]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "integrations" / key


def edit_manifest(folder: Path, old: str, new: str) -> None:
    """Replace one exact piece of text in the manifest, as an editor would."""
    path = folder / "manifest.json"
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), "utf-8")


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), "utf-8")


def findings(result) -> list[dict]:
    """Every finding of a `--format json` run, flattened."""
    data = json.loads(result.stdout)
    return [f for file in data["files"] for f in file["findings"]]
