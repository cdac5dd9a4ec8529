"""Reading the manifest a trigger run needs, with the failure modes the CLI
reports: unreadable (exit 2), not valid JSON (findings, exit 1), no trigger
capability (exit 1)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ldkit.core.findings import Finding, Severity
from ldkit.fs import USER_NAMED
from ldkit.integration import MANIFEST
from ldkit.load.jsonpos import load_path
from ldkit.trigger.core import TriggerSpec
from ldkit.trigger.rules import TriggerCapabilityMissing


class ManifestUnreadable(Exception):
    """Missing file or folder, or an OS error: a usage problem."""


class ManifestUnusable(Exception):
    """The manifest was read but cannot drive a trigger; carries findings."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


@dataclass
class TriggerManifest:
    path: Path
    integration_dir: Path
    manifest: dict
    spec: TriggerSpec

    @cached_property
    def key(self) -> str:
        """LaunchDarkly's integration key is the integration's folder name."""
        return self.integration_dir.resolve().name


def manifest_path(target: Path) -> Path:
    if target.is_dir():
        candidate = target / MANIFEST
        if not candidate.is_file():
            raise ManifestUnreadable(f"{target}: no {MANIFEST} in this folder")
        return candidate
    if not target.exists():
        raise ManifestUnreadable(f"{target}: no such file or directory")
    return target


def load_trigger_manifest(target: Path) -> TriggerManifest:
    path = manifest_path(target)
    from ldkit.fs import FileRefused

    # A manifest found in a folder (an integration `replay` walked to) stays
    # inside it: a link out of it is refused, never read and quoted.
    root = USER_NAMED if path == target else target
    try:
        loaded = load_path(str(path), root=root)
    except FileRefused as refused:
        raise ManifestUnreadable(f"{path}: {refused.reason}") from None
    errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    if not loaded.ok:
        raise ManifestUnusable(errors)
    document = loaded.document
    spec = TriggerSpec.from_manifest(document.value)
    if spec is None or not isinstance(document.value, dict):
        pointer = "/capabilities" if _has_capabilities(document.value) else ""
        raise ManifestUnusable(
            [
                document.finding(
                    TriggerCapabilityMissing.id,
                    Severity.ERROR,
                    "this manifest has no `capabilities.trigger` object, so there is no trigger "
                    "to call; add one (documentation, parser, testEventNameRegexp) or pick the "
                    "integration that has it",
                    pointer,
                )
            ]
        )
    return TriggerManifest(path, path.parent, document.value, spec)


def _has_capabilities(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("capabilities"), dict)
