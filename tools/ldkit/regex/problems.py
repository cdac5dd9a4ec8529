"""What the regex checks report: the kinds of problem, most severe first, and
the problem itself (a kind, an offset in the pattern, a message)."""

from __future__ import annotations

from typing import NamedTuple

#: Problem kinds, from most to least severe.
COMPILE = "compile"  # does not compile in Python
RE2_ONLY = "re2-only"  # RE2 syntax Python/JavaScript reject: works upstream, not checkable here
RE2 = "re2"  # syntax RE2 rejects: LaunchDarkly cannot compile it
DIALECT = "dialect"  # RE2 accepts it but reads it differently from Python/JavaScript
BACKTRACKING = "backtracking"  # catastrophic backtracking shape

RE2_MAX_REPEAT = 1000

UNBOUNDED = -1


class RegexProblem(NamedTuple):
    kind: str
    position: int  # offset in the pattern
    message: str
