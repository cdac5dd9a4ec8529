"""The machine-readable form documented in docs/findings.md:
`{"files": [{"path", "checkedFor", "findings"}], "summary": {"files", "errors", "warnings"}}`.

Each finding is listed under the file it is in (the file to edit), so a
consumer reading `files[].path` attributes it right; `checkedFor` keeps which
checked files (a manifest, for its template) drew it."""

from __future__ import annotations

import json

from ldkit.core.findings import Report
from ldkit.core.rule import RuleLookup


def to_data(report: Report) -> dict[str, object]:
    return {
        "files": [
            {
                "path": group.path,
                "checkedFor": group.checked_for,
                "findings": [f.to_dict() for f in group.findings],
            }
            for group in report.by_file()
        ],
        "summary": report.summary(),
    }


def render(report: Report, rules: RuleLookup) -> str:
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"
