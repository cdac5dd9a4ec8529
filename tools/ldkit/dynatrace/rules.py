"""The Dynatrace rules (LD600–LD621), declared once: `ldkit.dynatrace.render`
emits LD600–LD609 about a custom-payload template, `ldkit.checks.problem_sample`
LD620–LD621 about a problem sample."""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class TextPlaceholderUnquoted(RuleDeclaration):
    id = "LD600"
    severity = Severity.ERROR
    title = "Text placeholder outside a JSON string"
    explanation = (
        "Under the default JSON content type Dynatrace escapes a text placeholder's value for "
        "use inside a JSON string, but does not add the quotes. Written bare, the value "
        "(a title, a URL, a state) is not a JSON value and the body is not JSON. Only "
        "{ImpactedEntities}, {ProblemDetailsJSON} and {ProblemDetailsJSONv2} stand bare."
    )
    bad_example = '{"title": {ProblemTitle}}'
    good_example = '{"title": "{ProblemTitle}"}'


class JsonPlaceholderQuoted(RuleDeclaration):
    id = "LD601"
    severity = Severity.ERROR
    title = "JSON placeholder inside a JSON string"
    explanation = (
        "{ImpactedEntities}, {ProblemDetailsJSON} and {ProblemDetailsJSONv2} become JSON text "
        "(an array or an object) that Dynatrace inserts without escaping. Inside quotes, the "
        "quotes of that JSON end the string early and the body is not JSON. Dynatrace's "
        "documentation says to write them without quotes."
    )
    bad_example = '{"entities": "{ImpactedEntities}"}'
    good_example = '{"entities": {ImpactedEntities}}'


class BodyNotJson(RuleDeclaration):
    id = "LD602"
    severity = Severity.ERROR
    title = "Rendered body is not valid JSON"
    explanation = (
        "After substitution the body must be JSON under the default content type: Dynatrace "
        "validates it, and a LaunchDarkly trigger reads nothing from a body that does not "
        "parse (the change history falls back to the default event name). The position is in "
        "the rendered body; the message says which template text or placeholder value it "
        "came from. Typical causes: a trailing comma, typographic quotes, a placeholder "
        "quoted wrongly."
    )
    bad_example = '{"title": "{ProblemTitle}", "url": "{ProblemURL}",}'
    good_example = '{"title": "{ProblemTitle}", "url": "{ProblemURL}"}'


class UnknownPlaceholder(RuleDeclaration):
    id = "LD603"
    severity = Severity.WARNING
    title = "Unknown placeholder"
    explanation = (
        "Dynatrace replaces only its documented placeholders (names are case-sensitive). "
        "Anything else in braces is sent as literal text. Some third-party guides list "
        "{ProblemStartTime}, {ProblemEndTime}, {ProblemDetails} or {ProblemStatus}; Dynatrace "
        "has none of them."
    )
    bad_example = '{"title": "{problemTitle}"}'
    good_example = '{"title": "{ProblemTitle}"}'


class TagMissing(RuleDeclaration):
    id = "LD604"
    severity = Severity.WARNING
    title = "{Tags[key]} for a tag the problem does not have"
    explanation = (
        "Dynatrace replaces {Tags[key]} with the tag's value (empty for a tag without value) "
        "and, documented, leaves the placeholder as literal text when no impacted entity has "
        "a tag with that key. Inside quotes the body stays JSON but carries the literal."
    )
    bad_example = '{"flag": "{Tags[ld-flag]}"}  (problem without an ld-flag tag)'
    good_example = '{"flag": "{Tags[ld-flag]}"}  (every alerting problem carries ld-flag)'


class TemplateLength(RuleDeclaration):
    id = "LD605"
    severity = Severity.ERROR
    title = "Custom payload empty or over 5,000 characters"
    explanation = (
        "Dynatrace's settings schema limits a webhook's custom payload to 1 to 5,000 "
        "characters; it does not save one outside that range. ldkit counts Unicode code "
        "points, which never exceeds Dynatrace's count, so the error is never a false one."
    )
    bad_example = "a 6,000-character payload"
    good_example = '{"title":"{ProblemTitle}","url":"{ProblemURL}"}'


class BodyTooLong(RuleDeclaration):
    id = "LD606"
    severity = Severity.WARNING
    title = "Rendered body over 5,000 characters"
    explanation = (
        "The 5,000-character limit applies to the template. Large placeholders, "
        "{ProblemDetailsJSONv2} above all, can make the sent body much longer; whether "
        "Dynatrace truncates it is not documented. A trigger only needs the title and URL."
    )
    bad_example = '{"title": "{ProblemTitle}", "problem": {ProblemDetailsJSONv2}}'
    good_example = '{"title": "{ProblemTitle}", "url": "{ProblemURL}"}'


class BodyNotJsonRaw(RuleDeclaration):
    id = "LD607"
    severity = Severity.WARNING
    title = "JSON-looking body breaks under a custom Content-Type"
    explanation = (
        "With a Content-Type header other than application/json Dynatrace neither validates "
        "the payload nor escapes values, so a quote, backslash or line break in a title "
        "breaks a JSON-shaped body. Keep the default content type for JSON receivers such as "
        "LaunchDarkly triggers."
    )
    bad_example = 'Content-Type: text/plain with {"title": "{ProblemTitle}"}'
    good_example = "no Content-Type header (application/json)"


class DoubleBraces(RuleDeclaration):
    id = "LD608"
    severity = Severity.WARNING
    title = "Placeholder in double braces"
    explanation = (
        "Dynatrace placeholders use single braces. Written Handlebars-style, the inner "
        "placeholder is replaced and the outer braces stay in the body."
    )
    bad_example = '{"title": "{{ProblemTitle}}"}'
    good_example = '{"title": "{ProblemTitle}"}'


class TestValueUndocumented(RuleDeclaration):
    id = "LD609"
    severity = Severity.WARNING
    title = "Test-notification value not documented"
    explanation = (
        'Dynatrace documents what most placeholders become in a "Send test notification" '
        "run, but not {ProblemSeverity}, {ProblemDetailsMarkdown}, {ImpactedEntityNames}, "
        "{NamesOfImpactedEntities} or {ProblemDetailsJSONv2}. ldkit renders a stand-in for "
        "them; do not rely on those values to recognise a test run (the title is the stable "
        "marker)."
    )
    bad_example = "testEventNameRegexp matching {ProblemSeverity}"
    good_example = "testEventNameRegexp ^Dynatrace problem notification test run$ on /title"


class SampleSchema(RuleDeclaration):
    id = "LD620"
    severity = Severity.ERROR
    title = "Problem sample does not match its schema"
    explanation = (
        "A *.problem.json sample must match schemas/dynatrace/problem.schema.json: an "
        "environment, optional notification facts, and a Problems API v2 problem. ldkit "
        "render derives every placeholder from it and refuses a sample that breaks the schema."
    )
    bad_example = '{"problem": {"title": "Memory resources exhausted"}}'
    good_example = "integrations/dynatrace/samples/memory-exhausted-opened.problem.json"


class SampleInconsistent(RuleDeclaration):
    id = "LD621"
    severity = Severity.WARNING
    title = "Problem sample contradicts itself"
    explanation = (
        "The notification facts and the v2 problem disagree (RESOLVED for an open problem, "
        "an endTime on an open problem, a problem URL naming another problem). The sample "
        "still renders, but not as Dynatrace would send it."
    )
    bad_example = '"notification": {"state": "RESOLVED"}, "problem": {"status": "OPEN", ...}'
    good_example = '"problem": {"status": "CLOSED", "endTime": 1763374277000, ...}'
