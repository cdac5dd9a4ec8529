"""Static analysis of the regular expressions a manifest hands to LaunchDarkly.

LaunchDarkly evaluates `testEventNameRegexp` and the approval/synced-segment
matchers in its own services, with RE2 semantics (Go's regexp). Partners write
and test them with JavaScript or Python. So a pattern is checked four ways:

* RE2 itself (google-re2, see `ldkit.regex.engine`) decides whether LaunchDarkly
  can compile it; Python's `re` decides whether partners' tests can;
* where RE2 refuses a pattern, a small position-keeping parser says where and
  why (back-references, look-around, atomic groups, possessive quantifiers,
  conditionals, Python-only escapes and flags, repeat counts above 1000);
* syntax RE2 reads differently from Python/JavaScript is reported;
* a shape that backtracks catastrophically in a backtracking engine (nested
  quantifiers whose bodies can match the same text, quantified alternations
  whose branches can start with the same character) is reported. RE2 is
  linear and ldkit matches with RE2, so this is about the other engines the
  same pattern meets: JavaScript or Python tests, and any engine LaunchDarkly
  might use that is not RE2 (its engine is inferred, not documented).

Python's own regex machinery decides what each character atom matches. Its
parse tree cannot locate or judge shapes: it has no offsets and it rewrites
the pattern (`(\\w|\\d)+` and `[\\w\\d]+` give identical
trees, `ab|ac` becomes `a[bc]`), so locating problems and judging
backtracking shapes use the small parser, which only ever sees patterns Python
has already accepted.
"""

from __future__ import annotations

import sys
from functools import lru_cache

from ldkit.regex.backtracking import backtracking_problems
from ldkit.regex.compiling import compile_problem
from ldkit.regex.problems import COMPILE, DIALECT, RE2, RegexProblem
from ldkit.regex.syntax import Parser

# ---------------------------------------------------------------------------
# entry point


# Atomic groups `(?>…)` and possessive quantifiers (`a*+`) compile from Python 3.11.
_PYTHON_HAS_ATOMIC_SYNTAX = sys.version_info >= (3, 11)


def located_problems(pattern: str) -> list[RegexProblem]:
    """What our own parser finds in a pattern Python compiles, before RE2's verdict."""
    return _located(pattern)[0]


def _located(pattern: str) -> tuple[list[RegexProblem], bool]:
    """`located_problems`, and whether the pattern uses syntax Python compiles
    only from 3.11 on (atomic groups, possessive quantifiers)."""
    parser = Parser(pattern)
    try:
        tree = parser.parse()
        problems = list(parser.problems)
        problems.extend(backtracking_problems(pattern, tree))
    except (ValueError, IndexError, RecursionError):
        # The pattern compiled in Python but our small parser could not follow
        # it: report only what was found before, never crash.
        problems = list(parser.problems)
    return problems, parser.newer_python_syntax


@lru_cache(maxsize=256)
def _analyse(pattern: str) -> tuple[RegexProblem, ...]:
    failure = compile_problem(pattern)
    if failure is not None:
        if failure.kind != COMPILE or _PYTHON_HAS_ATOMIC_SYNTAX:
            return (failure,)
        # Python 3.10 cannot compile atomic groups and possessive quantifiers;
        # when those are why, report them as RE2 problems, as 3.11+ does.
        problems, newer_syntax = _located(pattern)
        if not newer_syntax:
            return (failure,)
    else:
        problems, _ = _located(pattern)
    problems = _with_re2_verdict(pattern, problems)
    return tuple(sorted(problems, key=lambda p: (p.position, p.kind)))


def _with_re2_verdict(pattern: str, problems: list[RegexProblem]) -> list[RegexProblem]:
    """Let RE2 itself decide whether the pattern is refused; our parser only locates why.

    Our `re2` problems stand only if RE2 really refuses the pattern, and a
    refusal we could not explain is reported in RE2's words.
    """
    from ldkit.regex.engine import re2_error

    ours = [p for p in problems if p.kind == RE2]
    error = re2_error(pattern)
    if error is None:
        # RE2 accepts what Python reads as a construct RE2 lacks, so RE2 reads
        # it as something else: `\10` is a back-reference in Python, octal in RE2.
        return [
            p
            if p.kind != RE2
            else RegexProblem(
                DIALECT,
                p.position,
                "RE2 accepts this, but not as Python reads it: " + p.message,
            )
            for p in problems
        ]
    if ours:
        return problems
    return [
        *problems,
        RegexProblem(
            RE2,
            0,
            f"RE2 (LaunchDarkly's engine) rejects the pattern: {error}; rewrite it with "
            "syntax RE2 accepts",
        ),
    ]


def analyse(pattern: str) -> list[RegexProblem]:
    """All problems of `pattern`, ordered by position.

    A pattern that does not compile yields exactly one problem (`compile` or
    `re2-only`): there is nothing sound to say about its structure.
    """
    return list(_analyse(pattern))
