"""The rule engine: one small class per rule, with a stable id and severity.

Rules are the unit of documentation as much as of checking: `ldkit rules` lists
them and `ldkit rules LD123` prints the explanation and examples, so a finding's
id always leads to an answer. Rules whose findings come from the JSON Schema
pass (or the loader) are still declared here, with `check` left empty, so that
every id a user can see is explained in one place.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ldkit.load.jsonpos import Document
from ldkit.report.findings import Finding, Severity


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


class Rule:
    """Base class. Subclasses set the class attributes and override `check`.

    `check` yields findings built with `self.finding(...)`, which fills in the
    id, severity and position so a rule only says what and where.
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    explanation: ClassVar[str] = ""
    bad_example: ClassVar[str] = ""
    good_example: ClassVar[str] = ""
    #: True when LaunchDarkly's own validator enforces the same thing.
    upstream: ClassVar[bool] = False

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        return iter(())

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


_REGISTRY: dict[str, type[Rule]] | None = None


def _discover() -> dict[str, type[Rule]]:
    import ldkit.rules as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "base" and not module.name.startswith("_"):
            importlib.import_module(f"ldkit.rules.{module.name}")
    registry: dict[str, type[Rule]] = {}
    pending = list(Rule.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "id" in cls.__dict__:
            if cls.id in registry and registry[cls.id] is not cls:
                raise RuntimeError(f"duplicate rule id {cls.id}")
            registry[cls.id] = cls
    return dict(sorted(registry.items()))


def all_rules() -> dict[str, type[Rule]]:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _discover()
    return _REGISTRY


def get_rule(rule_id: str) -> type[Rule] | None:
    return all_rules().get(rule_id.upper())


def run_rules(ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for cls in all_rules().values():
        findings.extend(cls().check(ctx))
    return findings


def integration_root(path: str) -> Path:
    return Path(path).resolve().parent
