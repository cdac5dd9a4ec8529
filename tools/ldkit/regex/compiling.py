"""Does a pattern compile? RE2 decides for LaunchDarkly, Python's `re` for
partners' tests (its error carries a position); a pattern only RE2 compiles is
RE2 syntax Python rejects but LaunchDarkly accepts."""

from __future__ import annotations

import re
import warnings

from ldkit.regex.problems import (
    COMPILE,
    RE2_ONLY,
    RegexProblem,
)

# ---------------------------------------------------------------------------
# compiling


def _python_compile(pattern: str) -> re.error | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern)
        except re.error as exc:
            return exc
        except (OverflowError, RecursionError, ValueError) as exc:  # absurd inputs
            return re.error(str(exc), pattern, 0)
    return None


# RE2 syntax Python rejects: (regex, what it is, how to keep it portable).
_RE2_ONLY_SYNTAX: tuple[tuple[str, str, str], ...] = (
    (r"\\z", r"`\z` (end of text)", "use `$`, which every engine accepts"),
    (r"\\[pP](\{\w+\}|\w)", "a Unicode class `\\p…`", "list the characters instead"),
    (r"\\Q", r"`\Q…\E` quoting", r"escape each metacharacter with `\`"),
    (r"\\x\{[0-9A-Fa-f]+\}", r"`\x{…}`", r"write `\xHH` for code points below 256"),
    (r"\(\?-?[imsU]*U", "the `U` (ungreedy) flag", "use lazy quantifiers like `*?`"),
    (r"\(\?<\w+>", "a `(?<name>…)` group", "write `(?P<name>…)`"),
)


def _re2_only(pattern: str, error: re.error) -> RegexProblem | None:
    """A Python compile error caused by syntax that RE2 does accept.

    Python reports these at the backslash, or at the `?` of `(?`, so the match
    must start at the error offset or one before it.
    """
    pos = error.pos if error.pos is not None else -1
    for regex, what, advice in _RE2_ONLY_SYNTAX:
        for start in (pos, pos - 1):
            if start >= 0 and re.compile(regex).match(pattern, start):
                return RegexProblem(
                    RE2_ONLY,
                    start,
                    f"{what} at offset {start} is RE2 syntax that Python and JavaScript reject, "
                    f"so this pattern can only be tested inside LaunchDarkly; {advice}",
                )
    return None


def compile_problem(pattern: str) -> RegexProblem | None:
    """Why `pattern` cannot be compiled by Python, RE2 or either, or None.

    A `compile` problem when neither engine that matters compiles it (RE2's
    verdict, and Python's), `re2-only` when
    only RE2 does. A pattern Python compiles but RE2 refuses has no compile
    problem: `ldkit.regex.check.analyse` reports it as an `re2` problem.
    """
    error = _python_compile(pattern)
    if error is None:
        return None
    re2_ok = _re2_accepts(pattern)
    re2_only = _re2_only(pattern, error) if re2_ok else None
    if re2_only is not None:
        return re2_only
    pos = error.pos if error.pos is not None else 0
    if re2_ok:
        return RegexProblem(
            RE2_ONLY,
            pos,
            f"RE2 (LaunchDarkly's engine) accepts this pattern but Python rejects it "
            f"({error.msg} at offset {pos}), and JavaScript likely does too, so your own "
            "tests cannot use it; prefer syntax every engine accepts",
        )
    return RegexProblem(
        COMPILE,
        pos,
        f"the regular expression does not compile: {error.msg} at offset {pos}; "
        "fix the pattern (escape metacharacters such as ( [ { . * + ? with a backslash "
        "when you mean them literally)",
    )


def _re2_accepts(pattern: str) -> bool:
    """RE2's verdict on `pattern`."""
    from ldkit.regex.engine import re2_error

    return re2_error(pattern) is None
