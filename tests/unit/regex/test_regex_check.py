"""Regex analysis: compile errors, RE2 incompatibilities, backtracking shapes."""

from __future__ import annotations

import pytest

from _regex_python_tree import python_tree_re2_constructs
from ldkit.regex.check import analyse, located_problems
from ldkit.regex.compiling import compile_problem
from ldkit.regex.problems import BACKTRACKING, COMPILE, DIALECT, RE2, RE2_ONLY


def kinds_and_positions(pattern: str) -> list[tuple[str, int]]:
    return [(p.kind, p.position) for p in analyse(pattern)]


# --- patterns that must stay clean ------------------------------------------------------------

REAL_PATTERNS = [
    # the three public trigger patterns
    "^Dynatrace problem notification test run$",
    r".+ \[TEST\].+",
    "^New Relic Alert - Test Condition$",
    # the schema default
    ".*[Tt][Ee][Ss][Tt].*",
    # approval matchers of the kind the public approval integrations use
    "^approved$",
    "^(rejected|cancelled)$",
    "(?i)^(approved|implement)$",
    "^[Aa]pproved$",
    "true",
    "^(3|4)$",
]


@pytest.mark.parametrize("pattern", REAL_PATTERNS)
def test_patterns_used_by_public_integrations_draw_no_problem(pattern):
    assert analyse(pattern) == []


@pytest.mark.parametrize(
    "pattern",
    [
        r"(\w+\s)*",  # every iteration ends with a separator the word part cannot match
        r"(?:[a-z]+-)*[a-z]+",
        r"[\w\d]+",  # overlap inside one class is harmless
        r"(\w|\s)+",  # disjoint branches
        r"(ab|cd)*",
        r"(a+)?b",  # outer quantifier is bounded
        r"(a+){2}",
        r"a*b*c*",  # sequential quantifiers are not nested
        r"(\d+\.)+\d+",
        r"^(?:https?://)?[\w.-]+$",
    ],
)
def test_safe_quantifier_shapes_are_not_flagged(pattern):
    assert analyse(pattern) == []


# --- compiling --------------------------------------------------------------------------------


def test_unbalanced_parenthesis_is_a_compile_problem_with_python_offset():
    [problem] = analyse("^Acme (test")
    assert problem.kind == COMPILE
    assert problem.position == 6
    assert "missing ), unterminated subpattern at offset 6" in problem.message


def test_dangling_quantifier_is_a_compile_problem():
    [problem] = analyse("*test")
    assert (problem.kind, problem.position) == (COMPILE, 0)
    assert "nothing to repeat" in problem.message
    assert "escape metacharacters" in problem.message


def test_a_compiling_pattern_has_no_compile_problem():
    assert compile_problem("^a(b|c)$") is None


def test_compile_failure_suppresses_further_analysis():
    assert kinds_and_positions(r"(a+)+(") == [(COMPILE, 5)]


@pytest.mark.parametrize(
    ("pattern", "position", "needle"),
    [
        (r"ab\z", 2, "`$`"),
        (r"\pL+", 0, "list the characters"),
        (r"a\Q.b\E", 1, "escape each metacharacter"),
        (r"\x{41}", 0, r"`\xHH`"),
        (r"(?U)a+", 0, "lazy quantifiers"),
        (r"(?<word>\w+)", 0, "(?P<name>"),
    ],
)
def test_re2_syntax_that_python_rejects_is_reported_as_re2_only(pattern, position, needle):
    [problem] = analyse(pattern)
    assert (problem.kind, problem.position) == (RE2_ONLY, position)
    assert "RE2 syntax that Python and JavaScript reject" in problem.message
    assert needle in problem.message


# --- RE2 incompatibilities ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "position", "needle"),
    [
        (r"(a)\1", 3, r"back-reference `\1`"),
        (r"(?P<x>a)(?P=x)", 8, "back-reference `(?P=x)`"),
        (r"a(?=b)", 1, "look-ahead `(?=…)`"),
        (r"a(?!b)", 1, "look-ahead `(?!…)`"),
        (r"(?<=a)b", 0, "look-behind `(?<=…)`"),
        (r"(?<!a)b", 0, "look-behind `(?<!…)`"),
        (r"(?>ab)c", 0, "atomic group"),
        (r"a*+b", 1, "possessive quantifier `*+`"),
        (r"a{2,3}+b", 1, "possessive quantifier `{2,3}+`"),
        (r"(a)?(?(1)b|c)", 4, "conditional"),
        (r"(?#note)a", 0, "comment"),
        (r"end\Z", 3, r"RE2 spells end-of-text `\z`"),
        (r"caf\u00e9", 3, r"write `\x{00E9}`"),
        (r"\N{EM DASH}", 0, r"write `\x{2014}`"),
        (r"[\b]", 1, r"write `\x08`"),
        (r"(?x) a b ", 0, "flag `x`"),
        (r"(?a)\w+", 0, "flag `a`"),
        (r"a{1001}", 1, "limit of 1000"),
        (r"a{2,5000}", 1, "limit of 1000"),
    ],
)
def test_syntax_re2_rejects_is_located_and_explained(pattern, position, needle):
    problems = [p for p in analyse(pattern) if p.kind == RE2]
    assert [p.position for p in problems] == [position]
    assert needle in problems[0].message


def test_re2_advice_says_what_to_write_instead():
    messages = {p.message for p in analyse(r"(?>x)a*+\Z")}
    assert any("write a plain group `(?:…)`" in m for m in messages)
    assert any("write `*`" in m for m in messages)
    assert any(r"`\z`" in m for m in messages)


def test_octal_escapes_are_not_mistaken_for_back_references():
    assert analyse(r"\101\0") == []


def test_repeat_count_of_exactly_1000_is_allowed():
    assert analyse("a{1000}") == []


def test_flags_re2_knows_are_fine():
    assert analyse("(?i)acme (?s:.+) (?m:^x$)") == []


def test_every_re2_problem_is_reported_in_order():
    assert kinds_and_positions(r"(a)\1(?=b)c\Z") == [(RE2, 3), (RE2, 5), (RE2, 11)]


# --- dialect differences ----------------------------------------------------------------------


def test_open_lower_bound_repeat_reads_as_literal_text_in_re2():
    [problem] = analyse("a{,3}")
    assert (problem.kind, problem.position) == (DIALECT, 1)
    assert "write `{0,3}`" in problem.message


def test_posix_class_is_a_character_list_outside_re2():
    [problem] = analyse("[[:alpha:]]+")
    assert (problem.kind, problem.position) == (DIALECT, 1)
    assert "`[:alpha:]`" in problem.message
    assert "[a-zA-Z]" in problem.message


def test_literal_brace_is_not_a_repeat():
    assert analyse("a{x}b{}") == []


# --- catastrophic backtracking ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "position", "inner"),
    [
        (r"(a+)+", 0, "`a+`"),
        (r"(.*)*", 0, "`.*`"),
        (r"(\w+\s?)*", 0, r"`\w+`"),
        (r"^(\d+)*$", 1, r"`\d+`"),
        (r"(a+a)+b", 0, "`a+`"),
        (r"x((a+)b?)*y", 1, "`a+`"),
        (r"(?:[a-z]+-?)*", 0, "`[a-z]+`"),
        (r"(a{1,3})+$", 0, "`a{1,3}`"),
    ],
)
def test_nested_quantifiers_over_the_same_text_are_flagged(pattern, position, inner):
    [problem] = analyse(pattern)
    assert (problem.kind, problem.position) == (BACKTRACKING, position)
    assert f"nested quantifier: {inner}" in problem.message
    assert "(a+)+` becomes `a+`" in problem.message


@pytest.mark.parametrize(
    ("pattern", "branch"),
    [
        (r"(a|ab)*", "`ab`"),
        (r"(\w|\d)+", r"`\d`"),
        (r"(?:x|[a-z]y)+z", "`[a-z]y`"),
        (r"(?i)(a|A)+", "`A`"),
    ],
)
def test_repeated_alternations_with_overlapping_branches_are_flagged(pattern, branch):
    [problem] = analyse(pattern)
    assert problem.kind == BACKTRACKING
    assert f"same character ({branch} overlaps an earlier branch)" in problem.message
    assert "make the branches disjoint" in problem.message


def test_position_of_a_backtracking_problem_is_the_outer_repeat():
    [problem] = analyse(r"^prefix (x+)+$")
    assert problem.position == 8


def test_deeply_nested_repeats_are_reported_once_at_the_outermost():
    assert kinds_and_positions(r"((a+)+)+") == [(BACKTRACKING, 0)]


def test_case_insensitivity_is_taken_into_account_for_overlap():
    assert analyse(r"(a|B)+") == []
    assert kinds_and_positions(r"(?i)(a|B|b)+") == [(BACKTRACKING, 4)]


def test_quantifiers_inside_look_around_do_not_count():
    # Only the RE2 problem is reported: look-around consumes nothing.
    assert kinds_and_positions(r"(?:(?=a+)b)+") == [(RE2, 3)]


def test_possessive_inner_quantifier_is_not_a_backtracking_risk():
    assert kinds_and_positions(r"(a++)+") == [(RE2, 2)]


@pytest.mark.parametrize(
    "pattern",
    ["", "(", ")", "[", "\\", "a{", "(?P<", "(?", "[]", "[^]", "x" * 5000, "(" * 300 + ")" * 300],
)
def test_odd_inputs_never_raise(pattern):
    analyse(pattern)


# --- agreement with Python's own parser -------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "constructs"),
    [
        (r"(a)\1", {"GROUPREF"}),
        (r"(?P<x>a)(?P=x)", {"GROUPREF"}),
        (r"a(?=b)(?!c)", {"ASSERT", "ASSERT_NOT"}),
        (r"(?<=a)b", {"ASSERT"}),
        (r"(a)?(?(1)b|c)", {"GROUPREF_EXISTS"}),
        (r"x\Z", {"AT_END_STRING"}),
        (r"^plain (text|words)+$", set()),
    ],
)
def test_python_tree_walk_finds_the_constructs_re2_rejects(pattern, constructs):
    assert python_tree_re2_constructs(pattern) == constructs


@pytest.mark.slow
def test_located_re2_problems_agree_with_python_tree_on_random_patterns():
    """The position-keeping parser must find exactly what Python's tree shows."""
    import random

    pieces = list("ab.*+?|()[]{}^$:=!<>,-0123456789xZbBdws ") + [
        "\\",
        "(?:",
        "(?P<n>",
        "(?P=n)",
        "{2,3}",
        "\\1",
        "(?i)",
        "(?=",
        "(?<!",
        "(?(1)",
        "[^]a]",
    ]
    rng = random.Random(5)
    checked = 0
    for _ in range(8000):
        pattern = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if compile_problem(pattern) is not None:
            continue
        checked += 1
        located = [
            p
            for p in located_problems(pattern)
            if p.kind == RE2
            and "inside a class" not in p.message  # a backspace: not a node in Python's tree
        ]
        assert bool(located) == bool(python_tree_re2_constructs(pattern)), pattern
    assert checked > 800
