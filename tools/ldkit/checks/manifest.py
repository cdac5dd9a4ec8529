"""Check one parsed manifest: the JSON Schema first, then the semantic rules,
then the integration's Dynatrace payload templates and the workflows it keeps
under `workflows/`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ldkit.core.findings import Finding
from ldkit.load.jsonpos import Document
from ldkit.rules.base import Workspace


def check(document: Document, workspace: Workspace) -> list[Finding]:
    """The run's schema choice (`workspace.schemas`) picks the schema that judges
    acceptance: the checkout's own inside a checkout of LaunchDarkly's
    repository, else the bundled one. The semantic rules run the same whichever
    schema judged."""
    from ldkit.catalogue import manifest_rules
    from ldkit.integration import WORKFLOWS, InputError
    from ldkit.rules.base import RuleContext, run_rules
    from ldkit.schema.check import schema_findings
    from ldkit.schema.load import SchemaLoadError

    try:
        schema = workspace.schemas.for_manifest(Path(document.path))
        findings = schema_findings(document, schema)
        workspace.schemas.record_unseen(schema, document.value, document.path)
    except SchemaLoadError as exc:
        raise InputError(
            f"{document.path}: its schema cannot be used ({exc}); "
            "fix it, or choose a schema with --schema DIR"
        ) from None
    folder = Path(document.path).resolve().parent
    ctx = RuleContext(document=document, integration_dir=folder, workspace=workspace)
    found = run_rules(ctx, manifest_rules())
    if _has_payloads(folder):
        from ldkit.checks.payloads import payload_findings

        # They read the payloads, samples and cases, never the manifest: kept
        # while none of those changes (`ldkit lsp` re-checks the manifest on
        # every keystroke).
        found.extend(
            workspace.kept(
                ("payloads", str(folder), document.path),
                lambda: payload_findings(document.path, folder, workspace.reads),
            )
        )
    if (folder / WORKFLOWS).is_dir():
        from ldkit.checks.workflows import workflow_findings

        found.extend(workflow_findings(document.path, folder))
    findings.extend(_without_closed_holes(found, findings))
    return findings


def _has_payloads(folder: Path) -> bool:
    """Cheap test first: most integrations have neither payloads nor cases."""
    from ldkit.integration import PAYLOADS, REPLAYS

    return (folder / PAYLOADS).is_dir() or (folder / REPLAYS).is_dir()


def _without_closed_holes(found: Iterable[Finding], schema: list[Finding]) -> list[Finding]:
    """The rules' findings, less a hole warning where the schema that judged
    already reported an error at the same place: a checkout's schema may close
    a hole LaunchDarkly's schema at the bundled commit left open."""
    from ldkit.rules.schema_holes import HOLE_RULE_IDS

    rejected = {finding.pointer for finding in schema}
    return [f for f in found if not (f.rule in HOLE_RULE_IDS and f.pointer in rejected)]
