"""The manifest rule engine: one small class per rule, run on every manifest.

Rules are the unit of documentation as much as of checking: `ldkit rules` lists
them and `ldkit rules LD123` prints the explanation and examples, so a finding's
id always leads to an answer. A rule's description is a `RuleDeclaration`
(`ldkit.report.rule`); a manifest rule adds `check`. Rules whose findings other
stages emit (the loader, the schema pass, the trigger) are declarations next to
their emitters; `ldkit.rules` lists every declaring module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ldkit.load.jsonpos import Document
from ldkit.report.findings import Finding, Severity
from ldkit.report.rule import RuleDeclaration


@dataclass
class RuleContext:
    """What a rule sees: the parsed manifest with positions, and where it lives.

    `integration_dir` is the folder holding the manifest; rules that look for
    icons, templates or samples resolve paths against it. `key` is the folder
    name, which LaunchDarkly uses as the integration key.
    """

    document: Document
    integration_dir: Path
    options: dict[str, object] = field(default_factory=dict)

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


def run_rules(ctx: RuleContext, rules: Iterable[type[Rule]]) -> list[Finding]:
    findings: list[Finding] = []
    for cls in rules:
        findings.extend(cls().check(ctx))
    return findings
