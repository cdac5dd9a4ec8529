"""Check a Davis problem sample (`*.davis.json`) for `ldkit validate`.

A Davis problem sample is the event a workflow's Davis problem trigger hands
to its expressions (`event()`); `ldkit render --workflow` and `ldkit dynatrace
check` render workflow inputs for every sample of the integration. Two passes,
like the classic problem samples: the JSON Schema
(`schemas/dynatrace/davis-problem.schema.json`, errors; a valid sample is
recognised by the schema's fast path without importing jsonschema), then
consistency between the status and its transition (warnings).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import lru_cache

from ldkit.core.findings import Finding
from ldkit.dynatrace.workflow.rules import DavisSampleInconsistent, DavisSampleSchema
from ldkit.load.jsonpos import Document

#: The key whose value is the event in a sample file.
EVENT_KEY = "event"
CLOSING_TRANSITIONS = ("RESOLVED", "CLOSED")
OPENING_TRANSITIONS = ("CREATED", "REOPENED")


@lru_cache(maxsize=1)
def schema() -> dict:
    from ldkit.fs import read_text
    from ldkit.schema.files import schemas_root

    root = schemas_root()
    return json.loads(read_text(root / "dynatrace" / "davis-problem.schema.json", root=root))


@lru_cache(maxsize=1)
def _accepts() -> Callable[[object], bool] | None:
    from ldkit.schema.fast import compile_acceptance

    return compile_acceptance(schema())


def _schema_findings(document: Document) -> list[Finding]:
    accepts = _accepts()
    if accepts is not None and accepts(document.value):
        return []
    from jsonschema import Draft202012Validator

    from ldkit.schema.messages import translate

    problems = translate(
        Draft202012Validator(schema()).iter_errors(document.value), "the Davis problem sample"
    )
    return [
        document.finding(
            DavisSampleSchema.id,
            DavisSampleSchema.severity,
            problem.message,
            problem.pointer,
            key=problem.on_key,
        )
        for problem in problems
    ]


def _consistency(document: Document) -> Iterator[Finding]:
    sample = document.value
    event = sample.get(EVENT_KEY) if isinstance(sample, dict) else None
    if not isinstance(event, dict):
        return
    status, transition = event.get("event.status"), event.get("event.status_transition")

    def warn(message: str, key: str) -> Finding:
        return document.finding(
            DavisSampleInconsistent.id,
            DavisSampleInconsistent.severity,
            message,
            f"/{EVENT_KEY}/{key}",
        )

    if status == "CLOSED" and transition in OPENING_TRANSITIONS:
        yield warn(
            f"the problem is CLOSED but its status transition is {transition}; a closing "
            f"problem arrives with {' or '.join(CLOSING_TRANSITIONS)}",
            "event.status_transition",
        )
    if status == "ACTIVE" and transition in CLOSING_TRANSITIONS:
        yield warn(
            f"the status transition {transition} closes the problem, but event.status is "
            'ACTIVE; set it to "CLOSED"',
            "event.status",
        )
    if status == "ACTIVE" and "event.end" in event:
        yield warn("an ACTIVE problem has no event.end yet; leave it out", "event.end")
    if status == "CLOSED" and "event.end" not in event:
        yield warn("a CLOSED problem has an event.end (when it closed); add it", "event.status")


def check(document: Document) -> list[Finding]:
    findings = list(_schema_findings(document))
    findings.extend(_consistency(document))
    return findings
