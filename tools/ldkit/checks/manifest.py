"""Check one parsed manifest: the JSON Schema first, then the semantic rules,
then the integration's Dynatrace payload templates."""

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
    if _has_payloads(folder):
        from ldkit.checks.payloads import payload_findings

        findings.extend(payload_findings(document.path, folder))
    return findings


def _has_payloads(folder: Path) -> bool:
    """Cheap test first: most integrations have neither payloads nor cases."""
    from ldkit.integration import PAYLOADS, REPLAYS

    return (folder / PAYLOADS).is_dir() or (folder / REPLAYS).is_dir()
