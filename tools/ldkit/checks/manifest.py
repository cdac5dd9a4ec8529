"""Check one parsed manifest: the JSON Schema first, then the manifest rules."""

from __future__ import annotations

from pathlib import Path

from ldkit.load.jsonpos import Document
from ldkit.report.findings import Finding
from ldkit.rules.base import Workspace


def check(document: Document, workspace: Workspace) -> list[Finding]:
    from ldkit.rules import manifest_rules
    from ldkit.rules.base import RuleContext, run_rules
    from ldkit.schema.check import schema_findings

    findings = schema_findings(document)
    folder = Path(document.path).resolve().parent
    ctx = RuleContext(document=document, integration_dir=folder, workspace=workspace)
    findings.extend(run_rules(ctx, manifest_rules()))
    return findings
