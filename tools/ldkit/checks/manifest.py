"""Check one parsed manifest: the JSON Schema first, then the semantic rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.load.jsonpos import Document
from ldkit.report.findings import Finding

if TYPE_CHECKING:
    from ldkit.schema.judge import ManifestSchema


def check(document: Document, schema: ManifestSchema | None = None) -> list[Finding]:
    """`schema` judges acceptance (default: the bundled schema); the semantic
    rules run the same whichever schema judged."""
    from ldkit.rules import manifest_rules
    from ldkit.rules.base import RuleContext, run_rules
    from ldkit.schema.check import schema_findings

    findings = schema_findings(document, schema)
    ctx = RuleContext(document=document, integration_dir=Path(document.path).resolve().parent)
    findings.extend(run_rules(ctx, manifest_rules()))
    return findings
