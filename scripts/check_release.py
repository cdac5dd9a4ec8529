"""Refuse a release whose tag, version and changelog disagree.

The release workflow runs this before it builds anything: a tag `v1.2.3` may
only publish when `__version__` in `tools/ldkit/__init__.py` (the one version
source, which hatchling reads too) is `1.2.3` and CHANGELOG.md has a dated
section `## [1.2.3] - YYYY-MM-DD` with notes in it. Without `--tag` it checks
what every commit must keep true: the current version has a CHANGELOG section
(dated, or "not yet released" while it is being prepared). `--notes FILE` writes
that section's notes, which become the GitHub release's text.

Usage: python scripts/check_release.py [--tag vX.Y.Z] [--notes FILE] [--root DIR]
Exit 0 when everything agrees, 1 with one line on stderr when not, 2 for bad usage.
It reads files only and imports nothing of ldkit, so it runs before installing.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import re
import sys
from pathlib import Path

VERSION_FILE = Path("tools/ldkit/__init__.py")
CHANGELOG = Path("CHANGELOG.md")
# A version section's heading, as Keep a Changelog writes it: `## [1.2.3] - 2026-01-31`.
SECTION = re.compile(r"^## \[(?P<version>[^\]\n]+)\] - (?P<when>[^\n]*)$", re.M)
NEXT_SECTION = re.compile(r"^## ", re.M)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Tags and versions are short; anything longer is not one of ours.
MAX_TAG = 64


class ReleaseError(Exception):
    """A disagreement between tag, version and changelog, said in one line."""


def package_version(root: Path) -> str:
    """`__version__` as written in the version file, read without importing it."""
    path = root / VERSION_FILE
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError, SyntaxError) as error:
        raise ReleaseError(f"cannot read {VERSION_FILE}: {error}") from None
    found = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["__version__"]
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]
    if len(found) != 1:
        raise ReleaseError(f"{VERSION_FILE} must assign __version__ one string literal, once")
    return found[0]


def changelog_section(root: Path, version: str) -> tuple[str, str]:
    """The heading's text after the dash and the notes of `version`'s section."""
    path = root / CHANGELOG
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReleaseError(f"cannot read {CHANGELOG}: {error}") from None
    matches = [m for m in SECTION.finditer(text) if m.group("version") == version]
    if not matches:
        raise ReleaseError(f"{CHANGELOG} has no section '## [{version}] - <date>'")
    if len(matches) > 1:
        raise ReleaseError(f"{CHANGELOG} has {len(matches)} sections for {version}")
    [match] = matches
    following = NEXT_SECTION.search(text, match.end())
    notes = text[match.end() : following.start() if following else len(text)].strip()
    return match.group("when").strip(), notes


def check(root: Path, tag: str | None) -> str:
    """The notes of the version's section, once everything agrees."""
    version = package_version(root)
    when, notes = changelog_section(root, version)
    if tag is None:
        return notes
    if tag != f"v{version}":
        raise ReleaseError(
            f"tag {tag!r} does not match the package version {version} (expected 'v{version}')"
        )
    if not DATE.fullmatch(when) or not _is_date(when):
        raise ReleaseError(
            f"{CHANGELOG} section {version} must be dated '## [{version}] - YYYY-MM-DD'"
            f" before release, not {when!r}"
        )
    if not notes:
        raise ReleaseError(f"{CHANGELOG} section {version} has no notes")
    return notes


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="check_release.py",
        description="Check that the release tag, __version__ and CHANGELOG.md agree.",
    )
    parser.add_argument("--tag", help="the pushed tag, such as v1.2.3")
    parser.add_argument("--notes", type=Path, help="write the version's changelog notes here")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    if args.tag is not None and (len(args.tag) > MAX_TAG or not args.tag.isprintable()):
        print("check_release: the tag is not a version tag", file=sys.stderr)
        return 1
    try:
        notes = check(args.root, args.tag)
    except ReleaseError as error:
        print(f"check_release: {error}", file=sys.stderr)
        return 1
    if args.notes is not None:
        args.notes.write_text(notes + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
