"""Check one parsed manifest: the JSON Schema first, then the semantic rules,
then the integration's Dynatrace payload templates."""

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
    if _has_payloads(ctx.integration_dir):
        from ldkit.checks.payloads import payload_findings

        findings.extend(payload_findings(document.path, ctx.integration_dir))
    return findings


def _has_payloads(folder: Path) -> bool:
    """Cheap test first: most integrations have neither payloads nor cases."""
    return (folder / "payloads").is_dir() or (folder / "replays").is_dir()
