"""The output of `ldkit replay`: a line per case that did not pass (with its
diff), then the summary line. It lives with the runner whose summary it
prints, so the reporters below never import the replay stage."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ldkit.replay.runner import ReplaySummary
from ldkit.report.encode import printable

_LABELS = {"failed": "FAIL", "error": "BROKEN", "updated": "UPDATED", "refused": "REFUSED"}

# Beyond this many folders, "no replay cases found" names the count and the
# first and last folder: in a fork of LaunchDarkly's repository (130
# integrations, none with replays/) a full list is one line of several KB.
_NAMED_FOLDERS = 3


def render_replay(summary: ReplaySummary, folders: Sequence[Path]) -> str:
    out: list[str] = []
    for outcome in summary.outcomes:
        if outcome.status == "passed":
            continue
        out.append(f"{_LABELS[outcome.status]} {outcome.message}\n")
        out.append(outcome.diff)
    if not summary.outcomes:
        out.append(f"no replay cases found (looked in replays/ of: {_where(folders)})\n")
    else:
        out.append(summary.line() + "\n")
    # Messages and diffs quote files and bodies: control characters are escaped.
    return printable("".join(out), keep_newlines=True)


def _where(folders: Sequence[Path]) -> str:
    names = [str(folder) for folder in folders]
    if len(names) <= _NAMED_FOLDERS:
        return ", ".join(names)
    return f"{len(names)} integration folders, {names[0]} to {names[-1]}"
