"""Manifest regexes run on RE2, as in LaunchDarkly's services, and RE2 decides what it refuses."""

from __future__ import annotations

import pytest

from ldkit.regex import check as regex_check
from ldkit.regex import engine, problems
from ldkit.regex.engine import PatternRefused, compile_matcher, re2_error


def test_google_re2_is_installed_with_ldkit():
    assert compile_matcher("^Acme test$").engine == engine.RE2_ENGINE


def test_re2_matches_a_catastrophic_pattern_in_linear_time():
    # 200,000 characters through (a+)+$: exponential in a backtracking engine.
    assert compile_matcher("^(a+)+$").search("a" * 200_000 + "!") is False
    assert compile_matcher("^(a+)+$").search("a" * 200_000) is True


def test_re2_searches_unanchored_like_launchdarkly():
    matcher = compile_matcher(".*[Tt][Ee][Ss][Tt].*")
    assert matcher.search("Latest deploy") is True
    assert matcher.search("CPU saturation") is False


def test_a_lone_surrogate_in_an_event_name_is_matched_as_u_fffd():
    assert compile_matcher("^x.y$").search("x\ud800y") is True


@pytest.mark.parametrize(
    "pattern, reason",
    [
        ("a(?=b)", "invalid perl operator: (?="),
        ("(a)\\1", "invalid escape sequence: \\1"),
        ("a{1001}", "invalid repetition size: {1001}"),
        ("end\\Z", "invalid escape sequence: \\Z"),
    ],
)
def test_re2_itself_says_why_it_refuses_a_pattern(pattern, reason):
    assert re2_error(pattern) == reason
    with pytest.raises(PatternRefused) as info:
        compile_matcher(pattern)
    assert info.value.message == f"it does not compile in RE2 ({reason})"


def test_re2_only_syntax_is_accepted_and_run():
    assert compile_matcher("^Acme test\\z").search("Acme test") is True
    assert compile_matcher("^\\pL+$").search("Ünïcode") is True


def test_analyse_keeps_our_located_explanation_when_re2_refuses():
    [problem] = [p for p in regex_check.analyse("a(?!b)") if p.kind == problems.RE2]
    assert problem.position == 1
    assert "look-ahead" in problem.message


def test_what_re2_accepts_is_never_an_re2_error_but_a_dialect_warning():
    # Python reads \10 as a back-reference to group 10; RE2 reads it as octal \x08.
    pattern = "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10"
    kinds = {p.kind for p in regex_check.analyse(pattern)}
    assert problems.RE2 not in kinds
    [problem] = [p for p in regex_check.analyse(pattern) if p.kind == problems.DIALECT]
    assert problem.message.startswith("RE2 accepts this, but not as Python reads it:")
    assert problem.position == 30


def test_python_rejects_but_re2_accepts_is_re2_only():
    [problem] = regex_check.analyse("^a\\Q.b\\E$")
    assert problem.kind == problems.RE2_ONLY


def test_both_engines_reject_is_a_compile_problem():
    [problem] = regex_check.analyse("^Test (")
    assert problem.kind == problems.COMPILE
