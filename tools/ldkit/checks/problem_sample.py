"""Check a problem sample (`*.problem.json`) for `ldkit validate`.

Two passes: the JSON Schema (`schemas/dynatrace/problem.schema.json`, errors,
since `ldkit render` cannot derive placeholder values from a malformed sample),
then consistency between the notification facts and the v2 problem (warnings: a
sample that says RESOLVED about an open problem still renders, it just does not
show what Dynatrace would send).
"""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.dynatrace.rules import SampleInconsistent, SampleSchema
from ldkit.dynatrace.sample_schema import validator
from ldkit.load.jsonpos import Document
from ldkit.schema.messages import translate


def _schema_findings(document: Document) -> list[Finding]:
    return [
        document.finding(
            SampleSchema.id, Severity.ERROR, problem.message, problem.pointer, key=problem.on_key
        )
        for problem in translate(validator().iter_errors(document.value), "the problem sample")
    ]


def _consistency(document: Document) -> Iterator[Finding]:
    sample = document.value
    problem = sample.get("problem") if isinstance(sample, dict) else None
    if not isinstance(problem, dict):
        return
    notification = sample.get("notification")
    notification = notification if isinstance(notification, dict) else {}
    status, end, start = problem.get("status"), problem.get("endTime"), problem.get("startTime")

    def warn(message: str, pointer: str) -> Finding:
        return document.finding(SampleInconsistent.id, Severity.WARNING, message, pointer)

    if status == "OPEN" and isinstance(end, int) and end != -1:
        yield warn(
            f"the problem is OPEN but its endTime is {end}; Dynatrace reports -1 while a "
            "problem is open",
            "/problem/endTime",
        )
    if status == "CLOSED" and end == -1:
        yield warn(
            "the problem is CLOSED but its endTime is -1; give the time it closed (ms)",
            "/problem/endTime",
        )
    if isinstance(start, int) and isinstance(end, int) and 0 <= end < start:
        yield warn("endTime is before startTime", "/problem/endTime")
    state = notification.get("state")
    if state == "RESOLVED" and status == "OPEN":
        yield warn(
            "the notification says RESOLVED but the problem is OPEN; Dynatrace sends RESOLVED "
            'for closed problems: set problem.status to "CLOSED"',
            "/notification/state",
        )
    if state == "OPEN" and status == "CLOSED":
        yield warn(
            "the notification says OPEN but the problem is CLOSED; a closed problem is sent "
            'with State RESOLVED: set notification.state to "RESOLVED" or leave it out',
            "/notification/state",
        )
    delivery = notification.get("delivery")
    effective = state if isinstance(state, str) else ("RESOLVED" if status == "CLOSED" else "OPEN")
    # A delivery that is not a string (an object, say) is the schema's finding.
    expected = (
        {"opened": "OPEN", "merged": "OPEN", "resolved": "RESOLVED"}.get(delivery)
        if isinstance(delivery, str)
        else None
    )
    if expected is not None and effective != expected:
        yield warn(
            f"a {delivery!r} delivery carries State {expected}, but this sample's State is "
            f"{effective}",
            "/notification/delivery",
        )
    url = notification.get("problemUrl")
    pid = problem.get("problemId")
    if isinstance(url, str) and isinstance(pid, str) and f"pid={pid}" not in url:
        yield warn(
            f"notification.problemUrl does not name this problem (no 'pid={pid}'); "
            "leave it out to derive it from environment.url",
            "/notification/problemUrl",
        )
    evidence = problem.get("evidenceDetails")
    if isinstance(evidence, dict):
        total, details = evidence.get("totalCount"), evidence.get("details")
        if isinstance(total, int) and isinstance(details, list) and total < len(details):
            yield warn(
                f"evidenceDetails.totalCount is {total} but "
                f"{len(details)} {'detail is' if len(details) == 1 else 'details are'} listed; "
                "the count includes every listed detail",
                "/problem/evidenceDetails/totalCount",
            )


def check(document: Document) -> list[Finding]:
    findings = list(_schema_findings(document))
    findings.extend(_consistency(document))
    return findings
