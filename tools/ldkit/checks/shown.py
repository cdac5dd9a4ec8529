"""Which of a run's findings are shown: the configuration, the baseline, `--strict`.

`ldkit validate` and `ldkit lsp` both end here, so an editor shows exactly the
findings the command prints for the same files: the selection
(`select`/`ignore`/per-path ignores) first, then the baseline's recorded
findings hidden, then warnings escalated when the settings are strict.
"""

from __future__ import annotations

from ldkit.config import Settings
from ldkit.core.findings import Report


def shown(report: Report, settings: Settings) -> tuple[Report, int]:
    """The report as the user sees it, and how many findings the baseline hid.
    Raises `ldkit.report.baseline.BaselineError` for an unusable baseline."""
    from ldkit.report import baseline as baselines

    report = settings.apply(report)
    hidden = 0
    if settings.baseline is not None:
        report, hidden = baselines.read(settings.baseline, inside=settings.baseline_root()).filter(
            report
        )
    if settings.strict:
        report = report.strict()
    return report, hidden
