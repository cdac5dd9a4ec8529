"""`ldkit validate` for `*.case.json`: the JSON Schema, then what a schema
cannot say (one body source, the files a case names exist, the expected result
is there). Every problem `ldkit replay` would trip over is found here first,
with a line and column."""

from __future__ import annotations

from pathlib import Path

from ldkit.core.findings import Finding, Severity
from ldkit.fs import is_regular_file
from ldkit.integration import BODY_SOURCES, CASE_SUFFIX, case_owner, expected_path_for
from ldkit.load.jsonpos import Document
from ldkit.replay.cases import case_problems, file_outside
from ldkit.replay.rules import (
    ReplayCaseBodySources,
    ReplayCaseMissingFile,
    ReplayCaseNoExpected,
    ReplayCaseNoProblem,
    ReplayCaseSchema,
)


def _schema_findings(document: Document) -> list[Finding]:
    return [
        document.finding(
            ReplayCaseSchema.id,
            Severity.ERROR,
            problem.message,
            problem.pointer,
            key=problem.on_key,
        )
        for problem in case_problems(document.value)
    ]


def check(document: Document) -> list[Finding]:
    findings = _schema_findings(document)
    case = document.value
    if not isinstance(case, dict):
        return findings
    case_path = Path(document.path)
    request = case.get("request")
    if isinstance(request, dict):
        findings.extend(_check_request(document, request, case_path))
    expected = expected_path_for(case_path)
    if case_path.name.endswith(CASE_SUFFIX) and not expected.is_file():
        findings.append(
            document.finding(
                ReplayCaseNoExpected.id,
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
                "one of body, bodyText, bodyFile, dynatrace, workflow"
            )
            pointer = "/request/" + sources[1]
            findings.append(
                document.finding(
                    ReplayCaseBodySources.id, Severity.ERROR, message, pointer, key=True
                )
            )
        else:
            message = (
                "request has no body source; add one of body (inline JSON), bodyText (raw text), "
                "bodyFile (a file), dynatrace (a template and a problem sample) or workflow (a "
                "workflow and a Davis problem sample)"
            )
            findings.append(
                document.finding(ReplayCaseBodySources.id, Severity.ERROR, message, "/request")
            )
    folder = case_path.parent
    integration_dir = case_owner(case_path)

    def exists(value: object, pointer: str, what: str) -> None:
        if not isinstance(value, str) or not value:
            return
        outside = file_outside(folder, value, integration_dir)
        if outside is not None:
            findings.append(
                document.finding(
                    ReplayCaseMissingFile.id,
                    Severity.ERROR,
                    f"{what} {value!r} {outside}; it is never read",
                    pointer,
                )
            )
        elif not is_regular_file(folder / value):
            findings.append(
                document.finding(
                    ReplayCaseMissingFile.id,
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
                    ReplayCaseNoProblem.id,
                    Severity.ERROR,
                    "request.dynatrace needs a problem sample (problem) unless it renders the "
                    'test notification ("testNotification": true)',
                    "/request/dynatrace",
                )
            )
    workflow = request.get("workflow")
    if isinstance(workflow, dict):
        exists(workflow.get("file"), "/request/workflow/file", "the workflow")
        exists(workflow.get("event"), "/request/workflow/event", "the Davis problem sample")
    return findings
