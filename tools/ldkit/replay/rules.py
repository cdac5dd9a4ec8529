"""Problems in replay case files (LD510–LD514), emitted by `ldkit validate` on
`*.case.json` (`ldkit.checks.replay_case`) before `ldkit replay` trips over them."""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class ReplayCaseSchema(RuleDeclaration):
    id = "LD510"
    severity = Severity.ERROR
    title = "Replay case does not match the case format"
    explanation = (
        "A `*.case.json` file must follow `schemas/replay/case.schema.json`: a description, "
        "a request with a timestamp (Unix milliseconds) and one body source, optionally a "
        "sample kind, a trigger (action, flag, environment) and a flagState."
    )
    bad_example = '{"request": {"body": {}}, "sample": "demo"}'
    good_example = (
        '{"description": "A problem opens", "sample": "event", '
        '"request": {"body": {"title": "CPU"}, "timestamp": 1732000000000}}'
    )


class ReplayCaseBodySources(RuleDeclaration):
    id = "LD511"
    severity = Severity.ERROR
    title = "Replay case needs exactly one body source"
    explanation = (
        "A case's request names its body in exactly one way: body (inline JSON), bodyText "
        "(raw text, for empty or non-JSON bodies), bodyFile (raw bytes from a file) or "
        "dynatrace (rendered from a payload template and a problem sample)."
    )
    bad_example = '"request": {"body": {}, "bodyText": "", "timestamp": 1}'
    good_example = '"request": {"bodyText": "", "timestamp": 1}'


class ReplayCaseMissingFile(RuleDeclaration):
    id = "LD512"
    severity = Severity.ERROR
    title = "A file the replay case names does not exist"
    explanation = (
        "bodyFile, dynatrace.template and dynatrace.problem are paths relative to the case "
        "file; the replay cannot run without them."
    )
    bad_example = '"bodyFile": "bodies/missing.txt"'
    good_example = '"bodyFile": "bodies/not-json.txt"'


class ReplayCaseNoExpected(RuleDeclaration):
    id = "LD513"
    severity = Severity.ERROR
    title = "Replay case without an expected result"
    explanation = (
        "Every `<name>.case.json` needs `<name>.expected.json` beside it, or `ldkit replay` "
        "fails. Run `ldkit replay --update`, read the written file, and commit both."
    )
    bad_example = "replays/problem-opened.case.json alone"
    good_example = "replays/problem-opened.case.json + replays/problem-opened.expected.json"


class ReplayCaseNoProblem(RuleDeclaration):
    id = "LD514"
    severity = Severity.ERROR
    title = "Dynatrace replay case without a problem sample"
    explanation = (
        "A case rendered from a Dynatrace template needs a problem sample to fill the "
        "placeholders, unless it renders the test notification."
    )
    bad_example = '"dynatrace": {"template": "../payload.json"}'
    good_example = '"dynatrace": {"template": "../payload.json", "testNotification": true}'
