"""Check a problem sample (`*.problem.json`) for `ldkit validate`.

Two passes: the JSON Schema (`schemas/dynatrace/problem.schema.json`, errors,
since `ldkit render` cannot derive placeholder values from a malformed sample),
then consistency between the notification facts and the v2 problem (warnings: a
sample that says RESOLVED about an open problem still renders, it just does not
show what Dynatrace would send).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache

from ldkit.dynatrace import ids
from ldkit.load.jsonpos import Document
from ldkit.load.pointer import child, join
from ldkit.report.findings import Finding, Severity

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


@lru_cache(maxsize=1)
def schema() -> dict:
    from ldkit.schema.files import schemas_root

    path = schemas_root() / "dynatrace" / "problem.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def _describe(value: object) -> str:
    return _JSON_TYPES.get(type(value), "a value")


def _schema_findings(document: Document) -> Iterator[Finding]:
    for error in _validator().iter_errors(document.value):
        pointer = join(error.absolute_path)
        kind = error.validator
        if kind == "additionalProperties" and isinstance(error.instance, dict):
            allowed = sorted(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    yield document.finding(
                        ids.SAMPLE_SCHEMA,
                        Severity.ERROR,
                        f"unknown key {key!r}; allowed keys here: {', '.join(allowed)}",
                        child(pointer, key),
                        key=True,
                    )
            continue
        if kind == "required":
            missing = [k for k in error.validator_value if k not in error.instance]
            message = f"missing required key {missing[0]!r}" if missing else error.message
        elif kind == "enum":
            allowed = ", ".join(json.dumps(v) for v in error.validator_value)
            message = f"{json.dumps(error.instance)} is not allowed here; allowed values: {allowed}"
        elif kind == "type":
            wanted = error.validator_value
            wanted = wanted if isinstance(wanted, list) else [wanted]
            names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
            message = f"expected {names}, found {_describe(error.instance)}"
        elif kind == "pattern" and "https?" in str(error.validator_value):
            message = (
                f"{json.dumps(error.instance)} is not an absolute http or https URL; "
                "write it like https://abc12345.live.dynatrace.com"
            )
        elif kind == "anyOf":
            message = f"{_describe(error.instance).capitalize()} is not allowed here; " + (
                "expected an entity {entityId: {id, type}, name} or null"
                if "rootCause" in pointer or "groupingEntity" in pointer
                else "see the schema for the allowed shapes"
            )
        else:
            message = error.message
        yield document.finding(ids.SAMPLE_SCHEMA, Severity.ERROR, message, pointer)


def _consistency(document: Document) -> Iterator[Finding]:
    sample = document.value
    problem = sample.get("problem") if isinstance(sample, dict) else None
    if not isinstance(problem, dict):
        return
    notification = sample.get("notification")
    notification = notification if isinstance(notification, dict) else {}
    status, end, start = problem.get("status"), problem.get("endTime"), problem.get("startTime")

    def warn(message: str, pointer: str) -> Finding:
        return document.finding(ids.SAMPLE_INCONSISTENT, Severity.WARNING, message, pointer)

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
