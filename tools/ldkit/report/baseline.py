"""Baselines: record today's findings once, then report only new ones.

A fork of LaunchDarkly's repository carries other people's integrations with
their own warnings. `ldkit validate --write-baseline FILE` records every finding
of a run; `ldkit validate --baseline FILE` (or `baseline = "FILE"` in the
configuration) hides the findings recorded there, so `--strict` fails only on
what a change introduced.

A finding is recognised by what it is, not by where its line happens to be:
its file (relative to the baseline's folder), rule, JSON pointer and message
with every number blanked out ("first defined on line 12" and "on line 14" are
the same finding). Adding a line above a recorded finding therefore does not
resurrect it; changing the offending value does. Identical keys are counted,
so a second copy of a recorded mistake in the same place is still reported.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ldkit.core.findings import FileResult, Finding, Report
from ldkit.fs import (
    USER_NAMED,
    FileRefused,
    WriteRefused,
    exists,
    make_folders,
    read_text,
    relative_posix,
    write_text,
)

FORMAT = "ldkit-baseline"
VERSION = 1

_NUMBER = re.compile(r"\d+")


class BaselineError(Exception):
    """A baseline file that cannot be read or written: exit code 2."""


def _relative(path: str, folder: Path) -> str:
    shown = relative_posix(path, folder)
    if shown is None:
        return Path(os.path.relpath(Path(path).resolve(), folder)).as_posix()
    return shown


def normalise_message(message: str) -> str:
    return _NUMBER.sub("#", message)


def key(finding: Finding, folder: Path) -> tuple[str, str, str, str]:
    return (
        _relative(finding.path, folder),
        finding.rule,
        finding.pointer,
        normalise_message(finding.message),
    )


def _entry(finding: Finding, folder: Path) -> dict[str, str]:
    return {
        "path": _relative(finding.path, folder),
        "rule": finding.rule,
        "pointer": finding.pointer,
        "message": finding.message,
    }


def write(report: Report, path: Path) -> int:
    """Record every finding of `report` in `path` (atomically); returns how many."""
    folder = path.resolve().parent
    entries = sorted(
        (_entry(f, folder) for f in report.all_findings()),
        key=lambda e: (e["path"], e["rule"], e["pointer"], e["message"]),
    )
    data = {"format": FORMAT, "version": VERSION, "findings": entries}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        make_folders(folder, root=USER_NAMED)
        write_text(path, text, root=USER_NAMED)
    except WriteRefused as refused:
        raise BaselineError(f"{path}: cannot write the baseline: {refused.detail}") from None
    return len(entries)


@dataclass(frozen=True)
class Baseline:
    folder: Path
    keys: Counter[tuple[str, str, str, str]]

    def filter(self, report: Report) -> tuple[Report, int]:
        """`report` without the recorded findings, and how many were hidden."""
        remaining = Counter(self.keys)
        hidden = 0
        files: list[FileResult] = []
        for result in report.files:
            kept: list[Finding] = []
            for finding in sorted(result.findings):
                k = key(finding, self.folder)
                if remaining[k] > 0:
                    remaining[k] -= 1
                    hidden += 1
                else:
                    kept.append(finding)
            files.append(FileResult(result.path, kept, result.source, result.sources))
        return Report(files), hidden


def read(path: Path, *, inside: Path | None = None) -> Baseline:
    """The baseline at `path`; with `inside`, only if it lies in that folder
    (a baseline the repository's configuration names), else anywhere."""
    if not exists(path):
        raise BaselineError(
            f"{path}: no such baseline; create it with `ldkit validate --write-baseline {path}`"
        )
    try:
        root = USER_NAMED if inside is None else inside
        data = json.loads(read_text(path, root=root, errors="strict"))
    except FileRefused as refused:
        raise BaselineError(f"{path}: not a readable ldkit baseline: {refused.reason}") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a readable ldkit baseline: nested too deeply") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a readable ldkit baseline: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(
            f"{path}: not an ldkit baseline (write one with `ldkit validate --write-baseline`)"
        )
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r} is not {VERSION}")
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: 'findings' must be a list")
    keys: Counter[tuple[str, str, str, str]] = Counter()
    for entry in entries:
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(name), str) for name in ("path", "rule", "pointer", "message")
        ):
            raise BaselineError(
                f"{path}: each finding needs string path, rule, pointer and message"
            )
        keys[
            (entry["path"], entry["rule"], entry["pointer"], normalise_message(entry["message"]))
        ] += 1
    return Baseline(path.resolve().parent, keys)
