"""The JSON Schema pass over a manifest: LaunchDarkly's acceptance, in partner words.

The schema under `schemas/manifest/` accepts exactly what LaunchDarkly's own
validator (Ajv 6 over its bundled schema) accepts: `ldkit.schema.load` reads it,
`ldkit.schema.validator` judges a manifest against it as Ajv would, and
`ldkit.schema.fast` answers quickly for a manifest that is certainly fine.
`ldkit.schema.messages` words every problem; here each kind of problem gets its
stable rule id (declared in `ldkit.schema.rules`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldkit.core.findings import Finding, Severity
from ldkit.core.rule import RuleDeclaration
from ldkit.load.jsonpos import Document
from ldkit.schema.fast import fast_acceptance_check
from ldkit.schema.messages import ProblemKind, translate
from ldkit.schema.rules import (
    ArrayItems,
    InvalidEmail,
    LengthOutOfRange,
    MissingRequiredKey,
    NotAllowedValue,
    PatternMismatch,
    SchemaViolation,
    UnknownKey,
    WrongType,
)
from ldkit.schema.validator import validator

if TYPE_CHECKING:
    from ldkit.schema.judge import ManifestSchema

RULE_OF_KIND: dict[ProblemKind, type[RuleDeclaration]] = {
    "type": WrongType,
    "enum": NotAllowedValue,
    "pattern": PatternMismatch,
    "length": LengthOutOfRange,
    "format": InvalidEmail,
    "items": ArrayItems,
    "required": MissingRequiredKey,
    "unknown-key": UnknownKey,
    "other": SchemaViolation,
}


def schema_findings(document: Document, schema: ManifestSchema | None = None) -> list[Finding]:
    """Every schema problem of the manifest, one finding each.

    `schema` is the one that judges (`ldkit.schema.judge`); by default ldkit's
    bundled schema. Whichever it is, its own fast check answers first and its
    own validator finds the problems, worded the same way.
    """
    accepts = fast_acceptance_check() if schema is None else schema.fast_check
    if accepts is not None and accepts(document.value):
        return []
    judge = validator() if schema is None else schema.validator
    return [
        document.finding(
            RULE_OF_KIND[problem.kind].id,
            Severity.ERROR,
            problem.message,
            problem.pointer,
            key=problem.on_key,
        )
        for problem in translate(judge.iter_errors(document.value), "the manifest")
    ]
