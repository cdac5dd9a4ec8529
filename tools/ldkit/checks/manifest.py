"""Check one parsed manifest: the JSON Schema first, then the semantic rules,
then the integration's Dynatrace payload templates and the workflows it keeps
under `workflows/`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
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
    findings, found = _keys_as_causes(findings, _without_closed_holes(found, findings))
    findings.extend(found)
    return findings


def _keys_as_causes(
    schema: list[Finding], found: list[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """One mistake, one finding, for a key with the wrong name or in the wrong
    place: the schema's unknown-key finding (LD102) is the cause, at the text
    to edit, and the rules that consume the key it should have been say nothing
    about it missing. A key a rule misses further up (`testEventNameRegexp`
    inside the parser) is one that belongs there: the finding says so instead
    of proposing a parser key."""
    from ldkit.load.pointer import escape, parent, unescape
    from ldkit.schema.messages import suggestion_in
    from ldkit.schema.rules import UnknownKey

    causes: list[Finding] = []
    kept = list(found)
    for index, cause in enumerate(schema):
        if cause.rule != UnknownKey.id:
            continue
        where = parent(cause.pointer)
        key = unescape(cause.pointer.rsplit("/", 1)[-1])
        meant = suggestion_in(cause.message)
        misplaced: str | None = None
        still: list[Finding] = []
        for finding in kept:
            if meant is not None and (
                finding.pointer == f"{where}/{escape(meant)}"
                or (finding.pointer == where and meant in finding.message)
            ):
                continue
            home = _home_of(finding.pointer, key, where)
            if home is not None and key in finding.message:
                misplaced = home
                continue
            still.append(finding)
        kept = still
        if misplaced is not None:
            dotted = ".".join(unescape(t) for t in misplaced.split("/")[1:]) or "the top level"
            message = cause.message.split(";", 1)[0] + (
                f"; it belongs in {dotted}, not here: move it there"
            )
            schema[index] = replace(cause, message=message)
        causes.append(cause)
    return schema, kept


def _home_of(pointer: str, key: str, where: str) -> str | None:
    """The object a rule finding at `pointer` says lacks `key`, when that object
    is above `where` (the object the key sits in): the key's right place."""
    from ldkit.load.pointer import escape, parent

    home = parent(pointer) if pointer.endswith("/" + escape(key)) else pointer
    if home and home != where and where.startswith(home + "/"):
        return home
    return None


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
