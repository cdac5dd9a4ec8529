"""The README's layout table names every package and top-level module of ldkit,
and only paths that exist: a newcomer finds where a change belongs from it."""

from __future__ import annotations

import re

from conftest import REPO

PACKAGE = REPO / "tools" / "ldkit"
#: Plumbing every Python package has; not a stage of the pipeline.
PLUMBING = {"__init__.py", "__main__.py", "cli.py"}


def _table_paths() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Repository layout", 1)[1]
    return re.findall(r"^\| `([^`]+)`", section, flags=re.MULTILINE)


def test_every_path_the_layout_table_names_exists():
    for path in _table_paths():
        assert (REPO / path).exists(), f"README layout names {path}, which does not exist"


def test_every_package_and_module_of_ldkit_is_in_the_layout_table():
    named = set(_table_paths())
    for child in sorted(PACKAGE.iterdir()):
        if child.name in PLUMBING or child.name.startswith((".", "_")) or child.suffix == ".pyc":
            continue
        if child.is_dir() and not (child / "__init__.py").exists():
            continue
        path = f"tools/ldkit/{child.name}" + ("/" if child.is_dir() else "")
        assert path in named, f"{path} is missing from the README's layout table"
