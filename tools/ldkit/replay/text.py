"""The output of `ldkit replay`: a line per case that did not pass (with its
diff), then the summary line. It lives with the runner whose summary it
prints, so the reporters below never import the replay stage."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ldkit.replay.runner import ReplaySummary
from ldkit.report.encode import printable

_LABELS = {"failed": "FAIL", "error": "BROKEN", "updated": "UPDATED", "refused": "REFUSED"}


def render_replay(summary: ReplaySummary, folders: Sequence[Path]) -> str:
    out: list[str] = []
    for outcome in summary.outcomes:
        if outcome.status == "passed":
            continue
        out.append(f"{_LABELS[outcome.status]} {outcome.message}\n")
        out.append(outcome.diff)
    if not summary.outcomes:
        where = ", ".join(str(folder) for folder in folders)
        out.append(f"no replay cases found (looked in replays/ of: {where})\n")
    else:
        out.append(summary.line() + "\n")
    # Messages and diffs quote files and bodies: control characters are escaped.
    return printable("".join(out), keep_newlines=True)
