"""Regular-expression checks for every regex field of the manifest.

`testEventNameRegexp`, the approval matchers and `arrayInclusion.matcher` are
plain strings to LaunchDarkly's schema: nothing compiles them before they reach
LaunchDarkly's services (presumably Go's RE2). Whether RE2 refuses a pattern is
decided by RE2 itself (`ldkit.regex.engine`). The analysis itself lives in
`ldkit.regex.check`, imported only when a manifest has a pattern; each rule
here reports one kind of problem (the kinds are `ldkit.regex.problems`').
"""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.regex.problems import BACKTRACKING, COMPILE, DIALECT, RE2, RE2_ONLY
from ldkit.rules._support import APPROVAL_STATUS_REQUESTS, value_at
from ldkit.rules.base import Rule, RuleContext


def regex_fields(manifest: object) -> Iterator[tuple[str, str, str]]:
    """(pointer, field name, pattern) for every string regex field of the manifest format."""
    if not isinstance(manifest, dict):
        return
    pattern = value_at(manifest, "capabilities", "trigger", "testEventNameRegexp")
    if isinstance(pattern, str):
        yield "/capabilities/trigger/testEventNameRegexp", "testEventNameRegexp", pattern
    for request in APPROVAL_STATUS_REQUESTS:
        parser = value_at(manifest, "capabilities", "approval", request, "parser")
        if not isinstance(parser, dict):
            continue
        for key in ("approvalMatcher", "rejectionMatcher"):
            if isinstance(parser.get(key), str):
                yield (
                    f"/capabilities/approval/{request}/parser/{key}",
                    f"approval.{request}.parser.{key}",
                    parser[key],
                )
    matcher = value_at(
        manifest, "capabilities", "syncedSegment", "requestParser", "arrayInclusion", "matcher"
    )
    if isinstance(matcher, str):
        yield (
            "/capabilities/syncedSegment/requestParser/arrayInclusion/matcher",
            "syncedSegment.requestParser.arrayInclusion.matcher",
            matcher,
        )


class _RegexRule(Rule):
    """Reports the `ldkit.regex` problems of one kind (or kinds) for every field."""

    kinds: tuple[str, ...] = ()

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for pointer, name, pattern in regex_fields(ctx.manifest):
            from ldkit.regex.check import analyse

            for problem in analyse(pattern):
                if problem.kind in self.kinds:
                    yield self.finding_in_string(
                        ctx, pointer, problem.position, f"{name}: {problem.message}"
                    )


class RegexDoesNotCompile(_RegexRule):
    id = "LD430"
    severity = Severity.ERROR
    title = "Regular expression does not compile"
    kinds = (COMPILE,)
    explanation = (
        "The pattern is not a valid regular expression, so LaunchDarkly cannot use it: a "
        "test-event pattern or approval matcher that does not compile never matches (or fails "
        "the request). LaunchDarkly's schema does not compile patterns, so this passes its "
        "validator. The message gives the offset of the problem inside the pattern; remember "
        "that a backslash is written twice inside a JSON string."
    )
    bad_example = '"testEventNameRegexp": "^Acme (test"'
    good_example = '"testEventNameRegexp": "^Acme \\\\(test\\\\)$"'


class RegexNotRe2(_RegexRule):
    id = "LD431"
    severity = Severity.ERROR
    title = "Regular expression uses syntax RE2 rejects"
    kinds = (RE2,)
    explanation = (
        "LaunchDarkly evaluates these patterns in its Go services, whose regexp package is RE2: "
        "it has no back-references, look-ahead or look-behind, atomic groups, possessive "
        "quantifiers, conditionals or comments, spells end-of-text `\\z` (not Python's `\\Z`), "
        "writes code points as `\\x{…}` (not `\\u…`), supports only the i, m, s and U flags and "
        "caps repeat counts at 1000. A pattern using them works in Python or JavaScript tests "
        "but cannot compile in LaunchDarkly. ldkit asks RE2 itself (google-re2) whether it "
        "compiles the pattern, and points at the construct when it can."
    )
    bad_example = '"approvalMatcher": "^(?!rejected).*$"'
    good_example = '"approvalMatcher": "^approved$"'


class RegexBacktracking(_RegexRule):
    id = "LD432"
    severity = Severity.WARNING
    title = "Regular expression can backtrack catastrophically"
    kinds = (BACKTRACKING,)
    explanation = (
        "A quantified part inside another unbounded quantifier whose bodies can match the same "
        "text (`(a+)+`, `(.*)*`, `(\\w+\\s?)*`), or a repeated alternation whose branches can "
        "start with the same character (`(a|ab)*`, `(\\w|\\d)+`), can split one input in "
        "exponentially many ways. RE2 stays linear, and ldkit matches with RE2, so neither ldkit "
        "nor an RE2 service can hang on it. But LaunchDarkly does not document its engine (RE2 "
        "is inferred), its validator never runs the pattern, and the same pattern in a "
        "JavaScript or Python test, or any backtracking tool, can hang on a long non-matching "
        "event name. Quantify once, or make each iteration end with something the inner part "
        "cannot match."
    )
    bad_example = '"testEventNameRegexp": "^(\\\\w+\\\\s?)*test$"'
    good_example = '"testEventNameRegexp": "^Acme test notification$"'


class RegexReadDifferently(_RegexRule):
    id = "LD433"
    severity = Severity.WARNING
    title = "Regular expression means something else in RE2"
    kinds = (DIALECT,)
    explanation = (
        "Some syntax is accepted by both RE2 and Python/JavaScript but read differently: `{,3}` "
        "is a 0-to-3 repeat in Python but literal text in RE2; `[[:alpha:]]` is a POSIX class in "
        "RE2 but a list of characters in Python and JavaScript. Tests written with one engine "
        "then say nothing about LaunchDarkly's. Use the spelling all engines agree on."
    )
    bad_example = '"testEventNameRegexp": "^[[:alpha:]]{,3} test$"'
    good_example = '"testEventNameRegexp": "^[A-Za-z]{0,3} test$"'


class RegexOnlyRe2(_RegexRule):
    id = "LD434"
    severity = Severity.WARNING
    title = "Regular expression uses RE2-only syntax"
    kinds = (RE2_ONLY,)
    explanation = (
        "The pattern uses syntax that RE2 (LaunchDarkly's engine) accepts but Python and "
        "JavaScript reject, such as `\\z`, `\\pL`, `\\Q…\\E`, `\\x{…}` or the `U` flag. It works "
        "in LaunchDarkly (and in ldkit, which matches with RE2), but your own JavaScript or "
        "Python tests cannot compile it. Prefer the portable spelling."
    )
    bad_example = '"testEventNameRegexp": "^Acme test\\\\z"'
    good_example = '"testEventNameRegexp": "^Acme test$"'
