"""Static analysis of the regular expressions a manifest hands to LaunchDarkly.

LaunchDarkly evaluates `testEventNameRegexp` and the approval/synced-segment
matchers in its own services, presumably with Go's RE2. Partners write and test
them with JavaScript or Python. So a pattern is checked three ways:

* it must compile (with Python's `re`, whose error carries a position);
* it must not use syntax RE2 rejects (back-references, look-around, atomic
  groups, possessive quantifiers, conditionals, Python-only escapes and flags,
  repeat counts above 1000), and should not use syntax RE2 reads differently;
* it should not have a shape that backtracks catastrophically in a backtracking
  engine (nested quantifiers whose bodies can match the same text, quantified
  alternations whose branches can start with the same character). RE2 itself is
  linear, but the same pattern runs in partners' tests and in other tools.

Python's own regex machinery decides whether the pattern compiles, what each
character atom matches, and (walking `re._parser`'s tree) which RE2-rejected
constructs are present. That tree cannot carry the rest: it has no offsets and
it rewrites the pattern (`(\\w|\\d)+` and `[\\w\\d]+` give identical trees,
`ab|ac` becomes `a[bc]`). So locating problems and judging backtracking shapes
uses a small position-keeping parser that only ever sees patterns Python has
already accepted; the tree walk is its safety net and its test oracle.
"""

from __future__ import annotations

import sys
from functools import lru_cache

from ldkit.regex.backtracking import backtracking_problems
from ldkit.regex.compiling import compile_problem
from ldkit.regex.problems import COMPILE, RE2, RegexProblem
from ldkit.regex.python_tree import python_tree_re2_constructs
from ldkit.regex.syntax import Parser

# ---------------------------------------------------------------------------
# entry point


# Atomic groups `(?>…)` and possessive quantifiers (`a*+`) compile from Python 3.11.
_PYTHON_HAS_ATOMIC_SYNTAX = sys.version_info >= (3, 11)


@lru_cache(maxsize=256)
def _analyse(pattern: str) -> tuple[RegexProblem, ...]:
    failure = compile_problem(pattern)
    if failure is not None and (failure.kind != COMPILE or _PYTHON_HAS_ATOMIC_SYNTAX):
        return (failure,)
    parser = Parser(pattern)
    try:
        tree = parser.parse()
        problems = list(parser.problems)
        problems.extend(backtracking_problems(pattern, tree))
    except (ValueError, IndexError, RecursionError):
        # The pattern compiled in Python but our small parser could not follow
        # it: report only what was found before, never crash.
        problems = list(parser.problems)
    if failure is not None:
        # Python 3.10 cannot compile atomic groups and possessive quantifiers;
        # when those are why, report them as RE2 problems, as 3.11+ does.
        if not parser.newer_python_syntax:
            return (failure,)
    if not any(p.kind == RE2 for p in problems):
        missed = python_tree_re2_constructs(pattern)
        if missed:
            problems.append(
                RegexProblem(
                    RE2,
                    0,
                    "the pattern uses constructs RE2 rejects ("
                    + ", ".join(sorted(missed))
                    + "); rewrite it without back-references, look-around, atomic groups, "
                    r"possessive quantifiers, conditionals and `\Z`",
                )
            )
    return tuple(sorted(problems, key=lambda p: (p.position, p.kind)))


def analyse(pattern: str) -> list[RegexProblem]:
    """All problems of `pattern`, ordered by position.

    A pattern that does not compile yields exactly one problem (`compile` or
    `re2-only`): there is nothing sound to say about its structure.
    """
    return list(_analyse(pattern))
