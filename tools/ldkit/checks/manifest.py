"""Check one parsed manifest: the JSON Schema first, then the semantic rules."""

from __future__ import annotations

from pathlib import Path

from ldkit.load.jsonpos import Document
from ldkit.report.findings import Finding


def check(document: Document) -> list[Finding]:
    from ldkit.rules.base import RuleContext, run_rules
    from ldkit.schema.check import schema_findings

    findings = schema_findings(document)
    ctx = RuleContext(document=document, integration_dir=Path(document.path).resolve().parent)
    findings.extend(run_rules(ctx))
    return findings
