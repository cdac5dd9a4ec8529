"""Run a manifest's regular expression the way LaunchDarkly does: with RE2.

LaunchDarkly matches `testEventNameRegexp` (and its approval and synced-segment
matchers) in its Go services, whose regexp package implements RE2 syntax and
matches in time linear in the subject. ldkit matches with google-re2, the
Python bindings of Google's RE2, so that

* whether LaunchDarkly can compile a pattern is decided by RE2 itself, and
* an event name from the internet can never make ldkit backtrack: a
  megabyte-long name through `(a+)+$` costs a millisecond, not forever.

google-re2 is a required dependency of ldkit (it ships wheels for CPython
3.10-3.13 on glibc Linux, macOS 13 and later, and Windows), so there is no
fallback engine: it is imported on first use, to keep `ldkit --help` quick.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

#: What `Matcher.engine` says.
RE2_ENGINE = "re2"

_SURROGATE = re.compile("[\ud800-\udfff]")


class PatternRefused(Exception):
    """The pattern cannot be run: RE2 rejects it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@lru_cache(maxsize=1)
def _re2() -> ModuleType:
    import re2  # google-re2

    return re2


def _options(re2: ModuleType) -> object:
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refusal to stderr
    return options


def re2_error(pattern: str) -> str | None:
    """RE2's own reason for refusing `pattern`, or None when RE2 compiles it."""
    re2 = _re2()
    try:
        re2.compile(pattern, _options(re2))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return str(reason)
    except (TypeError, ValueError, UnicodeError) as exc:  # a lone surrogate in the pattern
        return str(exc)
    return None


def utf8_safe(text: str) -> str:
    """`text` as it reaches a Go service: a lone surrogate (from a JSON `\\ud800`)
    cannot be UTF-8, and Go's JSON decoder reads it as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


@dataclass(frozen=True)
class Matcher:
    """A compiled pattern that answers "does it occur in this text?" (unanchored search)."""

    pattern: str
    engine: str
    _search: Callable[[str], object]

    def search(self, text: str) -> bool:
        return self._search(utf8_safe(text)) is not None


@lru_cache(maxsize=256)
def compile_full_matcher(pattern: str) -> Callable[[str], bool]:
    """Whether a whole text matches `pattern`, on RE2; PatternRefused when RE2
    cannot compile it."""
    re2 = _re2()
    error = re2_error(pattern)
    if error is not None:
        raise PatternRefused(f"it does not compile in RE2 ({error})")
    fullmatch = re2.compile(pattern, _options(re2)).fullmatch
    return lambda text: fullmatch(utf8_safe(text)) is not None


@lru_cache(maxsize=256)
def compile_matcher(pattern: str) -> Matcher:
    """A matcher for `pattern`, or PatternRefused saying why it cannot run."""
    re2 = _re2()
    error = re2_error(pattern)
    if error is not None:
        raise PatternRefused(f"it does not compile in RE2 ({error})")
    return Matcher(pattern, RE2_ENGINE, re2.compile(pattern, _options(re2)).search)
