"""The manifest rule engine: one small class per rule, run on every manifest.

Rules are the unit of documentation as much as of checking: `ldkit rules` lists
them and `ldkit rules LD123` prints the explanation and examples, so a finding's
id always leads to an answer. A rule's description is a `RuleDeclaration`
(`ldkit.core.rule`); a manifest rule adds `check`. Rules whose findings other
stages emit (the loader, the schema pass, the trigger) are declarations next to
their emitters; `ldkit.rules` lists every declaring module.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ldkit.core.findings import Finding, Severity
from ldkit.core.rule import RuleDeclaration
from ldkit.integration import MANIFEST
from ldkit.load.jsonpos import Document
from ldkit.load.plain import parse_json

T = TypeVar("T")

if TYPE_CHECKING:
    from ldkit.audit_log.templates import TemplateRun
    from ldkit.replay.samples import SampleEvent
    from ldkit.schema.judge import ManifestSchema, SchemaChoice


class Workspace:
    """What the manifests of one run share, read once however many of them are
    checked: checking 100 manifests must not read 100 x 100 files."""

    def __init__(
        self,
        schemas: SchemaChoice | None = None,
        *,
        kept: MutableMapping[Hashable, object] | None = None,
    ) -> None:
        from ldkit.fs import Reads
        from ldkit.schema.judge import SchemaChoice

        self._siblings: dict[Path, dict[str, object]] = {}
        #: The integration files the run's checks read (replay cases, samples,
        #: payload templates), each read once however many checks use it.
        self.reads = Reads()
        #: Results `kept` computes, by key. A run starts with none; `ldkit lsp`
        #: passes the same mapping to the runs of one integration and empties it
        #: when a file the results read changes.
        self._kept: MutableMapping[Hashable, object] = kept if kept is not None else {}
        #: Which manifest schema judges each manifest of the run (`--schema`, a
        #: checkout's own, or the bundled one), each loaded once.
        self.schemas: SchemaChoice = schemas if schemas is not None else SchemaChoice()

    def kept(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, computed once per `key` for as long as this workspace's
        results are kept (one run, for the command line)."""
        if key not in self._kept:
            self._kept[key] = compute()
        return self._kept[key]  # type: ignore[return-value]

    def sibling_manifests(self, integrations: Path) -> dict[str, object]:
        """Folder name -> parsed manifest of every integration under one
        `integrations/` folder; unreadable or broken ones are left out (they are
        reported when they are validated themselves)."""
        if integrations not in self._siblings:
            self._siblings[integrations] = _read_manifests(integrations)
        return self._siblings[integrations]


def _read_manifests(integrations: Path) -> dict[str, object]:
    """Sibling manifests, read the safe way: a FIFO, a symbolic link out of the
    repository, a huge or deeply nested file is left out, never a hang or a crash."""
    from ldkit.fs import FileRefused, read_bytes
    from ldkit.integration import integration_folders

    manifests: dict[str, object] = {}
    try:
        folders = integration_folders(integrations)
    except OSError:
        folders = []
    for folder in folders:
        try:
            data = read_bytes(folder / MANIFEST, root=integrations)
            manifests[folder.name] = parse_json(data.decode("utf-8-sig"))
        except (FileRefused, ValueError):
            continue
    return manifests


@dataclass
class RuleContext:
    """What a rule sees: the parsed manifest with positions, and where it lives.

    `integration_dir` is the folder holding the manifest; rules that look for
    icons, templates or samples resolve paths against it. `key` is the folder
    name, which LaunchDarkly uses as the integration key. What several rules
    compute from the manifest is a cached property, computed once per manifest;
    what several manifests share is in the run's `workspace`.
    """

    document: Document
    integration_dir: Path
    workspace: Workspace = field(default_factory=Workspace)
    other_documents: dict[str, Document] = field(default_factory=dict)

    @cached_property
    def schema(self) -> ManifestSchema:
        """The schema that judges this manifest (`--schema`, a checkout's own or
        the bundled one): rules that ask which types, capabilities or holes
        exist ask it."""
        return self.workspace.schemas.for_manifest(Path(self.document.path))

    @cached_property
    def sample_events(self) -> list[SampleEvent]:
        """The integration's sample replay cases run through its trigger."""
        from ldkit.replay.samples import sample_events, sample_requests

        # Reading the cases and building their bodies does not depend on the
        # manifest: kept while the cases, payloads and samples stay the same.
        requests = self.workspace.kept(
            ("sample-requests", str(self.integration_dir)),
            lambda: sample_requests(self.integration_dir, self.workspace.reads),
        )
        return sample_events(self.manifest, self.integration_dir, requests)

    @cached_property
    def template_runs(self) -> list[TemplateRun]:
        """The audit-log templates the manifest names, rendered on demand."""
        from ldkit.audit_log.templates import template_runs

        return template_runs(self.manifest, self.integration_dir)

    def path_of(self, relative: str) -> str:
        """How findings name a file of the integration: in the same style as the
        manifest's own path (relative stays relative)."""
        return str(Path(self.document.path).parent / relative)

    def document_of(self, relative: str) -> Document:
        """Another JSON file of the integration (a replay case, a problem sample),
        parsed with positions; read once per run."""
        if relative not in self.other_documents:
            from ldkit.load.jsonpos import load_path

            self.other_documents[relative] = load_path(
                self.path_of(relative), root=self.integration_dir
            ).document
        return self.other_documents[relative]

    @property
    def manifest(self) -> object:
        return self.document.value

    @property
    def key(self) -> str:
        return self.integration_dir.name

    @property
    def path(self) -> str:
        return self.document.path


class Rule(RuleDeclaration):
    """A manifest rule: a declaration plus `check`, run on every manifest.

    `check` yields findings built with `self.finding(...)`, which fills in the
    id, severity and position so a rule only says what and where.
    """

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        ctx: RuleContext,
        pointer: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity | None = None,
    ) -> Finding:
        return ctx.document.finding(self.id, severity or self.severity, message, pointer, key=key)

    def finding_in_string(
        self,
        ctx: RuleContext,
        pointer: str,
        index: int,
        message: str,
        *,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding at character `index` of the string value at `pointer` (a
        regular expression's offending group, a template's bad mustache)."""
        document = ctx.document
        line, column = document.line_col(document.string_offset(pointer, index))
        return Finding(
            document.path, line, column, self.id, severity or self.severity, message, pointer
        )

    def finding_in(
        self,
        ctx: RuleContext,
        relative: str,
        pointer: str,
        message: str,
        *,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding in another JSON file of the integration, at `pointer` there:
        the file to edit, not the manifest that led to it."""
        document = ctx.document_of(relative)
        return document.finding(self.id, severity or self.severity, message, pointer)

    def finding_at(
        self,
        ctx: RuleContext,
        relative: str,
        line: int,
        column: int,
        message: str,
        *,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding at a line and column of another file of the integration (a
        template), with no JSON pointer into it."""
        return Finding(
            ctx.path_of(relative), line, column, self.id, severity or self.severity, message
        )


def run_rules(ctx: RuleContext, rules: Iterable[type[Rule]]) -> list[Finding]:
    findings: list[Finding] = []
    for cls in rules:
        findings.extend(cls().check(ctx))
    return findings
