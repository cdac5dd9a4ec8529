"""The machine-readable form documented in docs/findings.md:
`{"files": [{"path", "findings"}], "summary": {"files", "errors", "warnings"}}`."""

from __future__ import annotations

import json

from ldkit.core.findings import Report, sort_key
from ldkit.core.rule import RuleLookup


def to_data(report: Report) -> dict[str, object]:
    return {
        "files": [
            {"path": r.path, "findings": [f.to_dict() for f in sorted(r.findings, key=sort_key)]}
            for r in report.files
        ],
        "summary": report.summary(),
    }


def render(report: Report, rules: RuleLookup) -> str:
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"
