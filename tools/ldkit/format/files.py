"""Which files `ldkit format` looks at: the `*.json` files prettier's glob would check.

LaunchDarkly's CI checks `./**/*.{js,json}` (ldkit formats the JSON part),
skipping what `.prettierignore` names and any `node_modules` folder. A folder
given to `ldkit format` therefore means every `*.json` file below it, and an
explicitly named file that `.prettierignore` matches is skipped too, as
prettier skips it. The ignore file is the one in the current directory (as for
prettier); without one, LaunchDarkly's own entries apply.

`.prettierignore` uses `.gitignore` syntax; `IgnoreRules` implements the parts
of it such files use: comments, `!` negation, a trailing `/` for folders, a
leading or inner `/` anchoring to the ignore file's folder, `*`, `?`, `[...]`
and `**`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.globs import GlobError, full_matcher, glob_to_regex

if TYPE_CHECKING:
    from ldkit.fs import Root

IGNORE_FILE = ".prettierignore"
#: LaunchDarkly's integration-framework `.prettierignore`, used when there is none.
LAUNCHDARKLY_IGNORES = ("manifest.schema.json", "tsconfig.json")
#: Folders prettier never descends into when it expands a glob.
SKIPPED_FOLDERS = frozenset({"node_modules", ".git", ".svn", ".hg"})
SUFFIX = ".json"


@dataclass(frozen=True)
class _Pattern:
    matches: Callable[[str], bool]
    negated: bool
    folders_only: bool


class IgnoreRules:
    """Parsed `.gitignore`-style lines; `ignores(relative_path)` answers for a file."""

    def __init__(self, lines: list[str] | tuple[str, ...]) -> None:
        self.patterns: list[_Pattern] = []
        for raw in lines:
            line = raw.rstrip("\n").rstrip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            folders_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            line = line.lstrip("/")
            regex = glob_to_regex(line)
            if not anchored:
                regex = "(?:.*/)?" + regex
            try:
                matches = full_matcher(regex)
            except GlobError:
                continue  # like prettier's ignore library: an invalid range matches nothing
            self.patterns.append(_Pattern(matches, negated, folders_only))

    @classmethod
    def for_directory(cls, directory: Path) -> IgnoreRules:
        """The rules of `directory/.prettierignore`, or LaunchDarkly's without one."""
        from ldkit.fs import FileRefused, read_text

        try:
            text = read_text(directory / IGNORE_FILE, root=directory)
        except FileRefused:
            return cls(LAUNCHDARKLY_IGNORES)
        return cls(text.splitlines())

    def _matches(self, path: str, is_folder: bool) -> bool:
        ignored = False
        for pattern in self.patterns:
            if pattern.folders_only and not is_folder:
                continue
            if pattern.matches(path):
                ignored = not pattern.negated
        return ignored

    def ignores(self, relative_path: str) -> bool:
        """Whether a file at `relative_path` (POSIX, relative to the rules' folder) is ignored."""
        if relative_path.startswith("../"):
            return False
        parts = relative_path.split("/")
        for end in range(1, len(parts)):
            if parts[end - 1] in SKIPPED_FOLDERS or self._matches("/".join(parts[:end]), True):
                return True
        return self._matches(relative_path, False)


def _relative(path: Path, base: str) -> str:
    return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for directory, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name not in SKIPPED_FOLDERS]
        found.extend(Path(directory) / name for name in names if name.endswith(SUFFIX))
    return found


def root_of(path: Path, targets: list[Path]) -> Root:
    """The tree a file to format is confined to (see `ldkit.fs`): the folder
    target it was found in by walking, or `USER_NAMED` for a file named on
    the command line."""
    from ldkit.fs import USER_NAMED

    for target in targets:
        if path == target:
            return USER_NAMED
    for target in targets:
        if target in path.parents:
            return target
    return USER_NAMED


def json_files(paths: list[Path], base: Path) -> list[Path]:
    """The files to format for `paths` (files or folders), in a stable order.

    `base` is the folder whose `.prettierignore` applies and against which
    ignore patterns match. A named file is kept whatever its suffix (pre-commit
    and users choose it), unless ignored; a folder contributes its `*.json`
    files. Missing paths are the caller's to report.
    """
    rules = IgnoreRules.for_directory(base)
    found: list[Path] = []
    seen: set[str] = set()
    base_text = os.path.abspath(base)
    for path in paths:
        if path.is_dir():
            candidates = sorted(_walk(path))
        else:
            candidates = [path]
        for candidate in candidates:
            key = os.path.realpath(candidate)
            if key in seen or rules.ignores(_relative(candidate, base_text)):
                continue
            seen.add(key)
            found.append(candidate)
    return found
