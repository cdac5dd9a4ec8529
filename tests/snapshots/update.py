"""Regenerate the golden whole-report snapshots of `ldkit validate --format json`.

Every fixture tree (a folder under tests/fixtures holding a manifest.json or an
integrations/ folder) is validated from the repository root, and the report is
stored byte for byte under tests/fixtures/snapshots/, one file per tree, with
the exit code in `exit-codes.json`. A refactor must leave them unchanged;
`tests/acceptance/test_validate_snapshots.py` compares. Run after a deliberate
change of output, then read the diff before committing:

    python tests/snapshots/update.py
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SNAPSHOTS = FIXTURES / "snapshots"
EXIT_CODES = SNAPSHOTS / "exit-codes.json"


def trees() -> Iterator[str]:
    """Fixture trees, as paths relative to the repository root, sorted."""
    found: set[Path] = set()
    for path in FIXTURES.rglob("*"):
        if SNAPSHOTS in path.parents:
            continue
        if (path.name == "manifest.json" and path.is_file()) or (
            path.name == "integrations" and path.is_dir()
        ):
            tree = path.parent
            if "integrations" not in tree.relative_to(FIXTURES).parts:
                found.add(tree)
    for tree in sorted(found):
        yield tree.relative_to(REPO).as_posix()


def snapshot_name(tree: str) -> str:
    return tree.removeprefix("tests/fixtures/").replace("/", "__") + ".json"


def run(tree: str) -> tuple[int, str]:
    """(exit code, stdout) of `ldkit validate --format json TREE` from the root."""
    from ldkit.cli import cli

    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(
            cli, ["validate", "--format", "json", tree], env={"GITHUB_ACTIONS": None}
        )
    finally:
        os.chdir(cwd)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def main() -> int:
    SNAPSHOTS.mkdir(exist_ok=True)
    codes: dict[str, int] = {}
    for old in SNAPSHOTS.glob("*.json"):
        old.unlink()
    for tree in trees():
        code, out = run(tree)
        codes[tree] = code
        (SNAPSHOTS / snapshot_name(tree)).write_text(out, encoding="utf-8", newline="")
    EXIT_CODES.write_text(json.dumps(codes, indent=2) + "\n", encoding="utf-8")
    print(f"{len(codes)} snapshots written to {SNAPSHOTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "tools"))
    raise SystemExit(main())
