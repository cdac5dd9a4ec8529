"""The report stage: the one result model (`findings`) and the reporters that
turn a `Report` into text.

They are chosen by name and imported only when used, so that a plain text run
never pays for the XML or SARIF machinery.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable

from ldkit.core.findings import Report
from ldkit.core.rule import RuleLookup

FORMATS: dict[str, str] = {
    "text": "ldkit.report.text",
    "json": "ldkit.report.json_report",
    "github": "ldkit.report.github",
    "junit": "ldkit.report.junit",
    "sarif": "ldkit.report.sarif",
}


Reporter = Callable[[Report, RuleLookup], str]


def get_reporter(name: str) -> Reporter:
    """The `render(report, rules) -> str` function of the named format; `rules`
    looks rule ids up in the catalogue (pass `ldkit.rules.get_rule`)."""
    return importlib.import_module(FORMATS[name]).render


def default_format() -> str:
    """`github` under GitHub Actions (so annotations appear on the pull request),
    else `text`."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
