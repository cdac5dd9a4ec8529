"""Which files to check after an edit, and their findings as the CLI reports them.

The unit of work is what `ldkit validate` checks: an integration folder (its
manifest, with the templates, payloads and samples it uses, its replay cases
and problem samples), or a lone JSON file outside any integration. Each checked
file's result comes from `ldkit.checks.validate_file`, the function `ldkit
validate` calls, run on the editor's unsaved text
(`ldkit.fs.unsaved_texts`); the results are kept per checked file so an
edit re-checks only what it can change:

* a replay case or a problem sample: that file and the manifest (its trigger
  samples and payload renders read them);
* anything else in the integration (the manifest, a template, a payload, an
  icon, a body file): the manifest, whose check reads all of them;
* a file appearing or disappearing, or a first look: every checked file.

The configuration and the baseline are applied to the whole integration's
findings on every run (`ldkit.checks.shown`), so a change of `.ldkit.toml`
re-filters without re-checking. Paths are reported as `ldkit validate` run in
the workspace's root reports them: relative to the working directory when
inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ldkit.checks import validate_file
from ldkit.checks.shown import shown
from ldkit.config import CONFIG_NAME, PYPROJECT, ConfigError, Settings, find_config, resolve
from ldkit.core.findings import FileResult, Finding, Report
from ldkit.fs import unsaved_texts
from ldkit.integration import (
    CASE_SUFFIX,
    MANIFEST,
    PROBLEM_SUFFIX,
    InputError,
    integration_files,
    owner_of,
)
from ldkit.rules.base import Workspace
from ldkit.schema.judge import SchemaChoice

#: The names of the files that hold ldkit's settings.
SETTINGS_FILES = (CONFIG_NAME, PYPROJECT)


def display(path: Path) -> str:
    """How `ldkit validate`, run in the working directory, names `path`."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


def unit_of(path: Path) -> Path | None:
    """What `ldkit validate` checks when `path` changes: its integration folder,
    the JSON file itself outside any integration, or None (nothing to check)."""
    absolute = Path(os.path.abspath(path))
    if absolute.name == MANIFEST and absolute.parent.is_dir():
        return absolute.parent
    try:
        owner = owner_of(absolute)
    except InputError:
        return None
    if owner is not None:
        return owner
    if absolute.suffix == ".json":
        return absolute
    return None


@dataclass(frozen=True)
class Problem:
    """Something that keeps a file from being checked at all (a usage error for
    the CLI: exit 2), shown at the top of the file it is about."""

    path: Path
    message: str


@dataclass
class Outcome:
    """One run's answer: the findings shown, by absolute path, with the text
    each was positioned on, and the problems (unusable settings, unreadable files)."""

    findings: dict[Path, list[Finding]] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Every path this run speaks for (findings or none), so stale diagnostics clear.
    covered: set[Path] = field(default_factory=set)


class Checker:
    """The raw results of the checked files of each unit, re-checked as edits
    require. One instance per server; used from one thread at a time."""

    def __init__(self, schemas: SchemaChoice | None = None) -> None:
        self.schemas = schemas if schemas is not None else SchemaChoice()
        self._results: dict[Path, dict[Path, FileResult]] = {}
        #: What the runs of each unit keep between runs (`Workspace.kept`).
        self._kept: dict[Path, dict] = {}

    def run(
        self,
        unit: Path,
        changed: Iterable[Path] | None,
        unsaved: Mapping[str, bytes],
    ) -> Outcome:
        """Check `unit` after `changed` files changed (None: everything), reading
        `unsaved` (path -> bytes) instead of the disk for those files."""
        cached = self._results.get(unit, {})
        # The list of checked files changes only when files appear or go, which
        # editors report as a save or a watched-file change (`changed` None).
        files = list(cached) if cached and changed is not None else self._checked_files(unit)
        todo = self._to_check(unit, files, cached, changed)
        if not _only_the_manifest(unit, changed):
            self._kept.pop(unit, None)
        outcome = Outcome()
        results: dict[Path, FileResult] = {}
        with unsaved_texts(unsaved):
            workspace = Workspace(self.schemas, kept=self._kept.setdefault(unit, {}))
            for path in files:
                if path in todo or path not in cached:
                    try:
                        results[path] = validate_file(Path(display(path)), workspace)
                    except InputError as exc:
                        outcome.problems.append(Problem(path, str(exc)))
                        results[path] = FileResult(display(path))
                else:
                    results[path] = cached[path]
            self._results[unit] = results
            report, settings_problem = self._shown(unit, Report(list(results.values())))
        if settings_problem is not None:
            outcome.problems.append(settings_problem)
        for result in report.files:
            _collect(outcome, result)
        outcome.covered.update(files)
        outcome.covered.update(outcome.findings)
        return outcome

    def _checked_files(self, unit: Path) -> list[Path]:
        if unit.is_dir():
            return [Path(os.path.abspath(p)) for p in integration_files(unit)]
        return [unit]

    def _to_check(
        self,
        unit: Path,
        files: list[Path],
        cached: Mapping[Path, FileResult],
        changed: Iterable[Path] | None,
    ) -> set[Path]:
        if changed is None or set(files) != set(cached):
            return set(files)
        todo: set[Path] = set()
        for path in changed:
            if path.name in SETTINGS_FILES:
                continue  # settings only re-filter
            if path in cached and path.name.endswith((CASE_SUFFIX, PROBLEM_SUFFIX)):
                todo.add(path)
            if unit.is_dir():
                todo.add(unit / MANIFEST)
            else:
                todo.add(unit)
        return todo

    def _shown(self, unit: Path, report: Report) -> tuple[Report, Problem | None]:
        """The configuration and baseline of `unit`, applied as `ldkit validate`
        applies them; unusable settings are a problem on the settings file, and
        the findings are then shown unfiltered."""
        from ldkit.report.baseline import BaselineError

        try:
            settings = resolve(paths=[display(unit)])
            return shown(report, settings)[0], None
        except (ConfigError, BaselineError) as exc:
            source = find_config(unit) if unit.exists() else None
            where = Path(os.path.abspath(source)) if source is not None else unit
            if where.is_dir():
                where = where / MANIFEST
            return Settings(root=Path.cwd()).apply(report), Problem(where, str(exc))


def _only_the_manifest(unit: Path, changed: Iterable[Path] | None) -> bool:
    """True when only the unit's manifest or the settings changed: what the
    manifest's check keeps (its payload renders) is still true."""
    if changed is None:
        return False
    return all(path == unit / MANIFEST or path.name in SETTINGS_FILES for path in changed)


def _collect(outcome: Outcome, result: FileResult) -> None:
    for finding in result.findings:
        path = Path(os.path.abspath(finding.path))
        outcome.findings.setdefault(path, []).append(finding)
        if path not in outcome.texts:
            text = result.source_of(finding.path)
            if text is not None:
                outcome.texts[path] = text
    main = Path(os.path.abspath(result.path))
    if result.source is not None:
        outcome.texts.setdefault(main, result.source)
