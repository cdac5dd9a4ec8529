"""One shape for a workflow, whatever form it was kept in.

Every reader (template YAML, Automation API JSON, Terraform, Monaco) turns its
file into `Workflow`s whose `value` has the Automation API's shape (`title`,
`schemaVersion`, `tasks` keyed by name, `trigger.eventTrigger`), so the checks
are written once. Positions stay with the form: `where(pointer)` answers, for
an API-shaped pointer, the line and column in the file the user edits, and
`spell(key)` how that form writes a key (`on_problem_close` in Terraform). A
value known only at deploy time (a Terraform reference, a Monaco environment
parameter) is a `Reference`; checks never guess its value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from ldkit.core.findings import Finding
from ldkit.core.rule import RuleDeclaration
from ldkit.dynatrace.config.model import Where, located

HTTP_ACTION = "dynatrace.automations:http-function"
SCHEMA_VERSION = 3


class WorkflowForm(str, Enum):
    """The forms a workflow is kept in; the values are `--format` names of
    `ldkit dynatrace export`."""

    TEMPLATE = "workflow"
    API = "workflow-api"
    TERRAFORM = "workflow-terraform"
    MONACO = "workflow-monaco"

    @property
    def label(self) -> str:
        return {
            WorkflowForm.TEMPLATE: "workflow template",
            WorkflowForm.API: "Automation API workflow",
            WorkflowForm.TERRAFORM: "Terraform dynatrace_automation_workflow",
            WorkflowForm.MONACO: "Monaco workflow configuration",
        }[self]

    @property
    def secret_alternative(self) -> str:
        """How this form keeps the trigger URL out of the file."""
        common = (
            'store the trigger URL in Dynatrace\'s credential vault and write {{ secret("name") }}'
        )
        return {
            WorkflowForm.TEMPLATE: common,
            WorkflowForm.API: common,
            WorkflowForm.TERRAFORM: common + " (or a sensitive variable inside jsonencode)",
            WorkflowForm.MONACO: common + " (or a parameter of type environment)",
        }[self]


@dataclass(frozen=True)
class Reference:
    """A value known only at deploy time; `source` is how the file writes it."""

    source: str

    def __str__(self) -> str:
        return f"<deploy-time: {self.source}>"


_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
#: Terraform spells a few keys of the API differently, not just in snake case.
_TERRAFORM_KEYS = {"isActive": "active", "eventTrigger": "event", "triggerConfiguration": "config"}


@dataclass
class Workflow:
    """One workflow. `value` is API-shaped; `where` positions an API pointer
    in the file the user edits (`path`)."""

    form: WorkflowForm
    label: str
    path: str
    value: dict
    where: Callable[[str], Where]
    #: Where a character of a string input is: (pointer, index) -> Where.
    where_in: Callable[[str, int], Where] | None = None
    findings: list[Finding] = field(default_factory=list)
    #: The parsed top of the file when it is a template (`metadata`), else None.
    metadata: object = None

    def spell(self, key: str) -> str:
        if self.form is WorkflowForm.TERRAFORM:
            return _TERRAFORM_KEYS.get(key, _CAMEL.sub(r"_\1", key).lower())
        return key

    def at(self, pointer: str, index: int | None = None) -> Where:
        if index is not None and self.where_in is not None:
            return self.where_in(pointer, index)
        return self.where(pointer)

    def finding(
        self, pointer: str, rule: type[RuleDeclaration], message: str, index: int | None = None
    ) -> Finding:
        where = self.at(pointer, index)
        return located(
            where.path or self.path, where.line, where.column, rule, message, where.pointer
        )

    def tasks(self) -> dict[str, object]:
        tasks = self.value.get("tasks")
        return tasks if isinstance(tasks, dict) else {}


@dataclass
class WorkflowFile:
    """What a reader makes of one file: its workflows, the text findings
    quote, findings about the file itself, and other files findings may point
    into (a Monaco template), by path."""

    path: str
    text: str
    workflows: list[Workflow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
