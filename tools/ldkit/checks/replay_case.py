"""`ldkit validate` for `*.case.json`: the JSON Schema, then what a schema
cannot say (one body source, the files a case names exist, the expected result
is there). Every problem `ldkit replay` would trip over is found here first,
with a line and column."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ldkit.load.files import is_regular_file
from ldkit.load.jsonpos import Document
from ldkit.load.pointer import join
from ldkit.replay.cases import file_outside, integration_of
from ldkit.report.findings import Finding, Severity

RULE_SCHEMA = "LD510"
RULE_BODY_SOURCES = "LD511"
RULE_MISSING_FILE = "LD512"
RULE_NO_EXPECTED = "LD513"
RULE_NO_PROBLEM = "LD514"

BODY_SOURCES = ("body", "bodyText", "bodyFile", "dynatrace")


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft7Validator

    from ldkit.schema.files import schemas_root

    path = schemas_root() / "replay" / "case.schema.json"
    return Draft7Validator(json.loads(path.read_text(encoding="utf-8")))


def _schema_findings(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    for error in _validator().iter_errors(document.value):
        pointer = join(error.absolute_path)
        key = False
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = sorted(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - set(allowed)):
                findings.append(
                    document.finding(
                        RULE_SCHEMA,
                        Severity.ERROR,
                        f"unknown key {extra!r}; allowed here: {', '.join(allowed)}",
                        pointer + "/" + extra.replace("~", "~0").replace("/", "~1"),
                        key=True,
                    )
                )
            continue
        if error.validator == "enum":
            allowed = ", ".join(json.dumps(v) for v in error.validator_value)
            message = f"{json.dumps(error.instance)[:60]} is not allowed; use one of {allowed}"
        elif error.validator == "required":
            message = error.message.replace("is a required property", "is required here")
        else:
            message = error.message
        findings.append(document.finding(RULE_SCHEMA, Severity.ERROR, message, pointer, key=key))
    return findings


def check(document: Document) -> list[Finding]:
    findings = _schema_findings(document)
    case = document.value
    if not isinstance(case, dict):
        return findings
    case_path = Path(document.path)
    request = case.get("request")
    if isinstance(request, dict):
        findings.extend(_check_request(document, request, case_path))
    expected = case_path.with_name(case_path.name[: -len(".case.json")] + ".expected.json")
    if case_path.name.endswith(".case.json") and not expected.is_file():
        findings.append(
            document.finding(
                RULE_NO_EXPECTED,
                Severity.ERROR,
                f"no expected result {expected.name} beside this case; run `ldkit replay --update` "
                "to write it, read it, and commit it with the case",
            )
        )
    return findings


def _check_request(document: Document, request: dict, case_path: Path) -> list[Finding]:
    findings: list[Finding] = []
    sources = sorted(
        (key for key in BODY_SOURCES if key in request),
        key=lambda k: document.key_offsets.get("/request/" + k, 0),
    )
    if len(sources) != 1:
        if sources:
            message = (
                f"request has {len(sources)} body sources ({', '.join(sources)}); keep exactly "
                "one of body, bodyText, bodyFile, dynatrace"
            )
            pointer = "/request/" + sources[1]
            findings.append(
                document.finding(RULE_BODY_SOURCES, Severity.ERROR, message, pointer, key=True)
            )
        else:
            message = (
                "request has no body source; add one of body (inline JSON), bodyText (raw text), "
                "bodyFile (a file) or dynatrace (a template and a problem sample)"
            )
            findings.append(
                document.finding(RULE_BODY_SOURCES, Severity.ERROR, message, "/request")
            )
    folder = case_path.parent
    integration_dir = integration_of(case_path)

    def exists(value: object, pointer: str, what: str) -> None:
        if not isinstance(value, str) or not value:
            return
        outside = file_outside(folder, value, integration_dir)
        if outside is not None:
            findings.append(
                document.finding(
                    RULE_MISSING_FILE,
                    Severity.ERROR,
                    f"{what} {value!r} {outside}; it is never read",
                    pointer,
                )
            )
        elif not is_regular_file(folder / value):
            findings.append(
                document.finding(
                    RULE_MISSING_FILE,
                    Severity.ERROR,
                    f"{what} {value!r} does not exist; paths are relative to the case file "
                    f"({folder / value})",
                    pointer,
                )
            )

    exists(request.get("bodyFile"), "/request/bodyFile", "the body file")
    dynatrace = request.get("dynatrace")
    if isinstance(dynatrace, dict):
        exists(dynatrace.get("template"), "/request/dynatrace/template", "the template")
        exists(dynatrace.get("problem"), "/request/dynatrace/problem", "the problem sample")
        if "problem" not in dynatrace and dynatrace.get("testNotification") is not True:
            findings.append(
                document.finding(
                    RULE_NO_PROBLEM,
                    Severity.ERROR,
                    "request.dynatrace needs a problem sample (problem) unless it renders the "
                    'test notification ("testNotification": true)',
                    "/request/dynatrace",
                )
            )
    return findings
