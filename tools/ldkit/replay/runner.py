"""Run replay cases and compare with (or rewrite) their expected files.

The expected file is exactly what `ldkit trigger --format json` prints for the
same call, so a partner can regenerate one by hand and a reviewer can read a
diff of behaviour, not of formatting.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ldkit.integration import case_paths, expected_path_for
from ldkit.replay.cases import CaseError, load_case
from ldkit.trigger.core import TriggerHistory, invoke, to_json
from ldkit.trigger.loading import (
    ManifestUnreadable,
    ManifestUnusable,
    TriggerManifest,
    load_trigger_manifest,
)

Status = Literal["passed", "failed", "updated", "refused", "error"]

#: The outcome that leaves the flag alone because the event is a test.
TEST_OUTCOME = "test-event"


@dataclass
class CaseOutcome:
    path: Path
    status: Status
    message: str = ""
    diff: str = ""


@dataclass
class ReplaySummary:
    outcomes: list[CaseOutcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return not any(o.status in ("failed", "refused", "error") for o in self.outcomes)

    def line(self) -> str:
        total = len(self.outcomes)
        parts = [f"{self.count('passed')} passed", f"{self.count('failed')} failed"]
        if self.count("updated"):
            parts.append(f"{self.count('updated')} updated")
        if self.count("refused"):
            parts.append(f"{self.count('refused')} not updated (outcome class changed)")
        if self.count("error"):
            parts.append(f"{self.count('error')} broken")
        return f"{total} replay case{'' if total == 1 else 's'}: " + ", ".join(parts)


def actual_text(manifest: TriggerManifest, case_path: Path) -> str:
    """The result JSON for one case, as `ldkit trigger --format json` prints it."""
    case = load_case(case_path, manifest.integration_dir)
    result = invoke(
        manifest.manifest,
        manifest.key,
        case.trigger,
        case.flag_on,
        case.trigger_request(),
        TriggerHistory(),
        spec=manifest.spec,
    )
    return to_json(result.to_dict())


def outcome_class(result_text: str | None) -> str | None:
    """`test` when the stored result is a recognised test event, `event` for a
    real event (the flag changed, or was already where the action puts it), None
    when the text is not a result."""
    if result_text is None:
        return None
    try:
        outcome = json.loads(result_text).get("outcome")
    except (ValueError, AttributeError):
        return None
    if not isinstance(outcome, str):
        return None
    return "test" if outcome == TEST_OUTCOME else "event"


_CLASS_WORDS = {
    "test": "a test event (the flag is left alone)",
    "event": "a real event (the flag is changed)",
}


def run_integration(
    integration_dir: Path, *, update: bool = False, accept_outcome_change: bool = False
) -> list[CaseOutcome]:
    paths = case_paths(integration_dir)
    if not paths:
        return []
    try:
        manifest = load_trigger_manifest(integration_dir)
    except ManifestUnusable as exc:
        why = "; ".join(f.message for f in exc.findings)
        return [CaseOutcome(p, "error", f"{p}: the manifest cannot be used: {why}") for p in paths]
    except ManifestUnreadable as exc:  # a FIFO, a link out of the integration
        return [CaseOutcome(p, "error", f"{p}: the manifest cannot be read: {exc}") for p in paths]
    return [_run_case(manifest, path, update, accept_outcome_change) for path in paths]


def _run_case(
    manifest: TriggerManifest, path: Path, update: bool, accept_outcome_change: bool = False
) -> CaseOutcome:
    try:
        actual = actual_text(manifest, path)
    except CaseError as exc:
        return CaseOutcome(path, "error", exc.message)
    from ldkit.fs import FileRefused, WriteRefused, exists, read_bytes, write_text

    root = manifest.integration_dir
    expected_path = expected_path_for(path)
    expected: str | None = None
    if exists(expected_path) or expected_path.is_symlink():
        try:
            expected = read_bytes(expected_path, root=root).decode("utf-8")
        except (FileRefused, UnicodeDecodeError) as exc:
            if not update:
                reason = exc.reason if isinstance(exc, FileRefused) else f"not UTF-8 ({exc})"
                return CaseOutcome(path, "error", f"{expected_path}: {reason}")
    if expected == actual:
        return CaseOutcome(path, "passed")
    before, after = outcome_class(expected), outcome_class(actual)
    if update and before and after and before != after and not accept_outcome_change:
        # Rewriting would silently approve, say, a test notification that now
        # turns the flag off: make that a decision, not a side effect.
        return CaseOutcome(
            path,
            "refused",
            f"{path}: not updated: the call would change from {_CLASS_WORDS[before]} to "
            f"{_CLASS_WORDS[after]}; if that is intended, rerun with "
            "`ldkit replay --update --accept-outcome-change`, else fix the manifest or the "
            "case",
            _diff(expected or "", actual, expected_path, path),
        )
    if update:
        try:
            write_text(expected_path, actual, root=root)
        except WriteRefused as refused:
            return CaseOutcome(path, "error", f"{expected_path}: {refused.reason}")
        return CaseOutcome(path, "updated", f"{expected_path}: written")
    if expected is None:
        return CaseOutcome(
            path,
            "failed",
            f"{path}: no expected result ({expected_path.name} is missing); run "
            "`ldkit replay --update` to create it, then read it before committing",
        )
    message = f"{path}: the result differs from {expected_path.name}"
    return CaseOutcome(path, "failed", message, _diff(expected, actual, expected_path, path))


def _diff(expected: str, actual: str, expected_path: Path, path: Path) -> str:
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{expected_path} (expected)",
            tofile=f"{path} (actual)",
        )
    )
