"""Regex rules LD430-LD434 on every regex field, through the real CLI. The
caret is on the offending character inside the JSON string, counting each
escape (`\\\\`) as the one character it stands for."""

from __future__ import annotations

from _triggerrules_helpers import findings_of, located

REGEXP = "/capabilities/trigger/testEventNameRegexp"


def test_patterns_that_do_not_compile_are_errors_with_the_offset(run):
    findings = findings_of(run, "regex-does-not-compile")
    assert [located(f) for f in findings] == [
        ("LD430", "error", REGEXP, 28, 37),
        ("LD430", "error", "/capabilities/approval/creationRequest/parser/approvalMatcher", 45, 31),
    ]
    assert findings[0]["message"].startswith(
        "testEventNameRegexp: the regular expression does not compile: "
        "missing ), unterminated subpattern at offset 6"
    )
    assert "unterminated character set at offset 0" in findings[1]["message"]


def test_syntax_re2_rejects_is_an_error_in_every_regex_field(run):
    findings = findings_of(run, "regex-not-re2")
    assert [located(f) for f in findings] == [
        ("LD431", "error", REGEXP, 28, 54),
        ("LD431", "error", "/capabilities/approval/statusRequest/parser/rejectionMatcher", 65, 33),
        (
            "LD431",
            "error",
            "/capabilities/syncedSegment/requestParser/arrayInclusion/matcher",
            133,
            30,
        ),
    ]
    trigger, rejection, matcher = (f["message"] for f in findings)
    assert r"`\Z` at offset 23" in trigger and r"RE2 spells end-of-text `\z`" in trigger
    assert rejection.startswith("approval.statusRequest.parser.rejectionMatcher: look-ahead")
    assert r"back-reference `\1` at offset 7" in matcher


def test_backtracking_shape_is_a_warning(run):
    [finding] = findings_of(run, "regex-backtracking")
    assert located(finding) == ("LD432", "warning", REGEXP, 28, 32)
    assert r"nested quantifier: `\w+` repeats inside `(\w+\s?)*` (offset 1)" in finding["message"]


def test_syntax_re2_reads_differently_is_a_warning_per_construct(run):
    findings = findings_of(run, "regex-dialect")
    assert [located(f) for f in findings] == [
        ("LD433", "warning", REGEXP, 28, 33),
        ("LD433", "warning", REGEXP, 28, 43),
    ]
    assert "`[:alpha:]` at offset 2 is a POSIX class in RE2" in findings[0]["message"]
    assert "`{,3}` at offset 12" in findings[1]["message"]


def test_re2_only_syntax_is_a_warning_not_an_error(run):
    [finding] = findings_of(run, "regex-re2-only")
    assert located(finding) == ("LD434", "warning", REGEXP, 28, 54)
    assert r"`\z` (end of text) at offset 23 is RE2 syntax" in finding["message"]


def test_clean_patterns_in_every_regex_field_draw_nothing(run):
    assert findings_of(run, "clean-capabilities") == []
    assert findings_of(run, "clean-trigger") == []


def test_strict_mode_turns_regex_warnings_into_errors(run):
    from _triggerrules_helpers import manifest

    result = run("validate", manifest("regex-backtracking"), "--format", "json", "--strict")
    assert result.exit_code == 1
    [finding] = [f for f in result.json()["files"][0]["findings"] if f["rule"] == "LD432"]
    assert finding["severity"] == "error"


def test_every_regex_rule_reports_a_kind_the_analysis_produces():
    from ldkit.catalogue import all_rules
    from ldkit.regex import problems as regex_problems

    produced = {
        regex_problems.COMPILE,
        regex_problems.RE2,
        regex_problems.RE2_ONLY,
        regex_problems.DIALECT,
        regex_problems.BACKTRACKING,
    }
    reported = [
        kind
        for rid in ("LD430", "LD431", "LD432", "LD433", "LD434")
        for kind in all_rules()[rid].kinds
    ]
    assert sorted(reported) == sorted(produced)
