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

Without google-re2 installed, our own subset checker decides what RE2 refuses,
as a fallback. Python's own regex machinery decides what each character atom
matches, and (walking `re._parser`'s tree) is the safety net for RE2-rejected
constructs our parser missed. That tree cannot carry the rest: it has no
offsets and it rewrites the pattern (`(\\w|\\d)+` and `[\\w\\d]+` give identical
trees, `ab|ac` becomes `a[bc]`), so locating problems and judging
backtracking shapes use the small parser, which only ever sees patterns Python
has already accepted.
"""

from __future__ import annotations

import re
import sys
import warnings
from functools import lru_cache
from typing import NamedTuple

#: Problem kinds, from most to least severe.
COMPILE = "compile"  # does not compile in Python
RE2_ONLY = "re2-only"  # RE2 syntax Python/JavaScript reject: works upstream, not checkable here
RE2 = "re2"  # syntax RE2 rejects: LaunchDarkly cannot compile it
DIALECT = "dialect"  # RE2 accepts it but reads it differently from Python/JavaScript
BACKTRACKING = "backtracking"  # catastrophic backtracking shape

RE2_MAX_REPEAT = 1000

_UNBOUNDED = -1


class RegexProblem(NamedTuple):
    kind: str
    position: int  # offset in the pattern
    message: str


# ---------------------------------------------------------------------------
# compiling


# Atomic groups `(?>…)` and possessive quantifiers (`a*+`) compile from Python 3.11.
_PYTHON_HAS_ATOMIC_SYNTAX = sys.version_info >= (3, 11)


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
    verdict when google-re2 is installed, Python's otherwise), `re2-only` when
    only RE2 does. A pattern Python compiles but RE2 refuses has no compile
    problem: `analyse` reports it as an `re2` problem.
    """
    error = _python_compile(pattern)
    if error is None:
        return None
    re2_ok = _re2_accepts(pattern)
    re2_only = _re2_only(pattern, error) if re2_ok is not False else None
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


def _re2_accepts(pattern: str) -> bool | None:
    """RE2's verdict on `pattern`; None when google-re2 is not installed."""
    from ldkit.regex.engine import re2_available, re2_error

    if not re2_available():
        return None
    return re2_error(pattern) is None


# ---------------------------------------------------------------------------
# character semantics, decided by Python's own engine

# Representative characters: all of ASCII plus a few non-ASCII letters, digits,
# spaces and line separators. Two atoms overlap when a representative matches both.
_ALPHABET = tuple(chr(c) for c in range(128)) + (
    "\x85",
    "\xa0",
    "\xe9",
    "\xdf",
    "\u03a3",
    "\u0436",
    "\u4e2d",
    "\u0663",
    "\u2028",
    "\u3000",
    "\U0001f600",
)


@lru_cache(maxsize=1024)
def _char_mask(source: str, flags: int) -> int:
    """Bit i set when `_ALPHABET[i]` is one character `source` matches."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = re.compile(source, flags)
    except re.error:
        return (1 << len(_ALPHABET)) - 1  # unknown: assume it matches anything
    mask = 0
    for index, char in enumerate(_ALPHABET):
        if compiled.fullmatch(char):
            mask |= 1 << index
    return mask


# ---------------------------------------------------------------------------
# a small position-keeping syntax tree


class Node:
    """Plain slotted classes rather than dataclasses: this module sits on the
    validate path, and class creation is part of every cold start."""

    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end


class Char(Node):
    """One character: a literal, an escape, `.` or a `[...]` class."""

    __slots__ = ("source", "flags")

    def __init__(self, start: int, end: int, source: str, flags: int) -> None:
        super().__init__(start, end)
        self.source = source
        self.flags = flags

    @property
    def mask(self) -> int:
        return _char_mask(self.source, self.flags)


class ZeroWidth(Node):
    """Anchors, look-around, back-references: consume no characters we track."""

    __slots__ = ()


class Seq(Node):
    __slots__ = ("items",)

    def __init__(self, start: int, end: int, items: list[Node]) -> None:
        super().__init__(start, end)
        self.items = items


class Alt(Node):
    __slots__ = ("branches",)

    def __init__(self, start: int, end: int, branches: list[Node]) -> None:
        super().__init__(start, end)
        self.branches = branches


class Group(Node):
    __slots__ = ("body",)

    def __init__(self, start: int, end: int, body: Node | None) -> None:
        super().__init__(start, end)
        self.body = body


class Repeat(Node):
    __slots__ = ("body", "low", "high", "quantifier", "possessive")

    def __init__(
        self,
        start: int,
        end: int,
        body: Node | None,
        low: int,
        high: int,
        quantifier: int,
        possessive: bool,
    ) -> None:
        super().__init__(start, end)
        self.body = body
        self.low = low
        self.high = high
        self.quantifier = quantifier  # offset of the quantifier
        self.possessive = possessive


_BRACES = r"\{(\d*)(,?)(\d*)\}"
_OCTAL = r"\\0[0-7]{0,2}"
_CODE_ESCAPE = r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|N\{[^}]*\})"
_POSIX_CLASS = r"\[:\^?\w+:\]"
_FLAG_GROUP = r"\(\?([aiLmsux]*)(?:-([aiLmsux]*))?([:)])"


class _Parser:
    """Recursive descent over a pattern Python has already compiled.

    Collects RE2 incompatibilities (with offsets) on the way; the tree feeds
    the backtracking analysis.
    """

    def __init__(self, pattern: str) -> None:
        self.s = pattern
        self.i = 0
        self.flags = 0
        self.problems: list[RegexProblem] = []
        # Met an atomic group or a possessive quantifier: syntax Python compiles
        # only from 3.11 on (see `_analyse`).
        self.newer_python_syntax = False

    # helpers -----------------------------------------------------------
    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.s[j] if j < len(self.s) else ""

    def problem(self, kind: str, pos: int, message: str) -> None:
        self.problems.append(RegexProblem(kind, pos, message))

    def skip_verbose(self) -> None:
        if not self.flags & re.VERBOSE:
            return
        while self.i < len(self.s):
            c = self.s[self.i]
            if c.isspace():
                self.i += 1
            elif c == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
            else:
                return

    # grammar -----------------------------------------------------------
    def parse(self) -> Node:
        node = self.alternation()
        return node

    def alternation(self) -> Node:
        start = self.i
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        return Alt(start, self.i, branches)

    def sequence(self) -> Node:
        start = self.i
        items: list[Node] = []
        while True:
            self.skip_verbose()
            c = self.peek()
            if c in ("", "|", ")"):
                break
            atom = self.atom()
            if atom is None:
                continue
            items.append(self.quantified(atom))
        return Seq(start, self.i, items)

    def quantified(self, atom: Node) -> Node:
        while True:
            self.skip_verbose()
            c = self.peek()
            qpos = self.i
            if c == "*":
                low, high = 0, _UNBOUNDED
                self.i += 1
            elif c == "+":
                low, high = 1, _UNBOUNDED
                self.i += 1
            elif c == "?":
                low, high = 0, 1
                self.i += 1
            elif c == "{":
                bounds = self.braces()
                if bounds is None:
                    return atom
                low, high = bounds
            else:
                return atom
            possessive = False
            if self.peek() == "?":
                self.i += 1
            elif self.peek() == "+":
                possessive = True
                self.newer_python_syntax = True
                self.problem(
                    RE2,
                    qpos,
                    f"possessive quantifier `{self.s[qpos : self.i + 1]}` at offset {qpos}: RE2 "
                    f"rejects it; write `{self.s[qpos : self.i]}` (RE2 never backtracks, so "
                    "possessive quantifiers are unnecessary)",
                )
                self.i += 1
            atom = Repeat(atom.start, self.i, atom, low, high, qpos, possessive)

    def braces(self) -> tuple[int, int] | None:
        """A `{m,n}` quantifier as Python reads it, or None for a literal `{`."""
        match = re.compile(_BRACES).match(self.s, self.i)
        if not match or match.group(0) == "{}":
            return None
        low_text, comma, high_text = match.groups()
        if not comma and not low_text:
            return None
        pos = self.i
        self.i = match.end()
        low = int(low_text) if low_text else 0
        high = int(high_text) if high_text else (_UNBOUNDED if comma else low)
        if not low_text:
            self.problem(
                DIALECT,
                pos,
                f"`{match.group(0)}` at offset {pos} means {{0,{high_text or ''}}} in Python, "
                f"but RE2 reads it as literal text; write `{{0,{high_text}}}`",
            )
        elif max(low, high) > RE2_MAX_REPEAT:
            self.problem(
                RE2,
                pos,
                f"repeat count in `{match.group(0)}` at offset {pos} exceeds RE2's limit of "
                f"{RE2_MAX_REPEAT}; use a smaller count or `+`/`*`",
            )
        return low, high

    def atom(self) -> Node | None:
        start = self.i
        c = self.s[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c in "^$":
            self.i += 1
            return ZeroWidth(start, self.i)
        if c == "\\":
            return self.escape()
        self.i += 1
        return Char(start, self.i, c if c != "." else ".", self.flags)

    def escape(self) -> Node:
        start = self.i
        c = self.peek(1)
        s = self.s
        if c and c in "123456789":
            digits = s[start + 1 : start + 4]
            if (
                len(digits) == 3
                and digits[0] in "01234567"
                and digits[1] in "01234567"
                and digits[2] in "01234567"
            ):
                self.i += 4
                return Char(start, self.i, s[start : self.i], self.flags)
            length = 2 if self.peek(2).isdigit() else 1
            self.i += 1 + length
            self.problem(
                RE2,
                start,
                f"back-reference `{s[start : self.i]}` at offset {start}: RE2 has no "
                "back-references; match the repeated text explicitly, or capture it and "
                "compare in code",
            )
            return ZeroWidth(start, self.i)
        if c == "0":
            match = re.compile(_OCTAL).match(s, start)
            assert match is not None
            self.i = match.end()
            return Char(start, self.i, s[start : self.i], self.flags)
        if c in ("A", "b", "B"):
            self.i += 2
            return ZeroWidth(start, self.i)
        if c == "Z":
            self.i += 2
            self.problem(
                RE2,
                start,
                rf"`\Z` at offset {start} is Python-only syntax that RE2 rejects; RE2 spells "
                r"end-of-text `\z` (or use `$`, which works everywhere)",
            )
            return ZeroWidth(start, self.i)
        match = re.compile(_CODE_ESCAPE).match(s, start)
        if match:
            self.i = match.end()
            if c != "x":
                self.unicode_escape_problem(start, self.s[start : self.i])
            return Char(start, self.i, s[start : self.i], self.flags)
        self.i += 2
        return Char(start, self.i, s[start : self.i], self.flags)

    def unicode_escape_problem(self, start: int, text: str) -> None:
        try:
            advice = f"write `\\x{{{ord(eval_escape(text)):04X}}}`"
        except (KeyError, ValueError, TypeError):
            advice = "write `\\x{HHHH}` with the code point"
        self.problem(
            RE2,
            start,
            f"`{text}` at offset {start} is Python-only syntax that RE2 rejects; {advice}",
        )

    def char_class(self) -> Node:
        start = self.i
        s = self.s
        j = start + 1
        if j < len(s) and s[j] == "^":
            j += 1
        first = True
        while j < len(s):
            c = s[j]
            if c == "]" and not first:
                break
            if c == "\\":
                if s[j + 1 : j + 2] == "b":
                    self.problem(
                        RE2,
                        j,
                        rf"`\b` inside a class at offset {j} is a backspace in Python but RE2 "
                        r"rejects it; write `\x08`",
                    )
                elif s[j + 1 : j + 2] in ("u", "U", "N"):
                    end = re.compile(_CODE_ESCAPE).match(s, j)
                    if end:
                        self.unicode_escape_problem(j, end.group(0))
                j += 2
                first = False
                continue
            posix = re.compile(_POSIX_CLASS).match(s, j) if c == "[" else None
            if posix:
                self.problem(
                    DIALECT,
                    j,
                    f"`{posix.group(0)}` at offset {j} is a "
                    "POSIX class in RE2 but a plain list of characters in Python and "
                    r"JavaScript; spell the class out (e.g. `[a-zA-Z]` for alpha, `\d` for digit)",
                )
            first = False
            j += 1
        self.i = min(j + 1, len(s))
        return Char(start, self.i, s[start : self.i], self.flags)

    def group(self) -> Node:
        start = self.i
        s = self.s
        self.i += 1
        if self.peek() != "?":
            return self.group_body(start, consuming=True)
        c = self.peek(1)
        if c == ":":
            self.i += 2
            return self.group_body(start, consuming=True)
        if c == "P":
            if self.peek(2) == "<":
                self.i = s.index(">", self.i) + 1
                return self.group_body(start, consuming=True)
            end = s.index(")", self.i) + 1
            self.i = end
            self.problem(
                RE2,
                start,
                f"back-reference `{s[start:end]}` at offset {start}: RE2 has no back-references; "
                "match the repeated text explicitly, or capture it and compare in code",
            )
            return ZeroWidth(start, end)
        if c in ("=", "!") or (c == "<" and self.peek(2) in ("=", "!")):
            opener = s[start : self.i + (2 if c in "=!" else 3)]
            self.i = start + len(opener)
            kind = "look-ahead" if c in "=!" else "look-behind"
            self.problem(
                RE2,
                start,
                f"{kind} `{opener}…)` at offset {start}: RE2 has no look-around; match the text "
                "itself instead (e.g. `foo(?=bar)` becomes `foobar`), or anchor the pattern with "
                "`^`/`$`",
            )
            return self.group_body(start, consuming=False)
        if c == ">":
            self.i += 2
            self.newer_python_syntax = True
            self.problem(
                RE2,
                start,
                f"atomic group `(?>…)` at offset {start}: RE2 rejects it; write a plain group "
                "`(?:…)` (RE2 never backtracks, so atomic groups are unnecessary)",
            )
            return self.group_body(start, consuming=True)
        if c == "#":
            end = s.index(")", self.i) + 1
            self.i = end
            self.problem(
                RE2,
                start,
                f"comment `(?#…)` at offset {start}: RE2 rejects it; remove the comment",
            )
            return ZeroWidth(start, end)
        if c == "(":
            self.i = s.index(")", self.i) + 1
            self.problem(
                RE2,
                start,
                f"conditional `(?(…)…|…)` at offset {start}: RE2 rejects it; write the two cases "
                "as an alternation `(?:…|…)`",
            )
            return self.group_body(start, consuming=True)
        return self.flag_group(start)

    def flag_group(self, start: int) -> Node | None:
        s = self.s
        match = re.compile(_FLAG_GROUP).match(s, start)
        if match is None:  # cannot happen for a pattern Python compiled
            self.i = len(s)
            return None
        on, off, closer = match.group(1), match.group(2) or "", match.group(3)
        unsupported = sorted(set(on + off) - set("ims"))
        if unsupported:
            letters = ", ".join(f"`{flag}`" for flag in unsupported)
            self.problem(
                RE2,
                start,
                f"flag {letters} in `{match.group(0)}` at offset {start}: RE2 supports only the "
                "`i`, `m`, `s` and `U` flags; remove it (for `x`, delete the whitespace and "
                "comments it allowed)",
            )
        table = {"i": re.I, "m": re.M, "s": re.S, "x": re.X, "a": re.A, "L": 0, "u": 0}
        add = sum(table[f] for f in set(on))
        remove = sum(table[f] for f in set(off))
        self.i = match.end()
        if closer == ")":
            self.flags = (self.flags | add) & ~remove
            return None
        saved = self.flags
        self.flags = (self.flags | add) & ~remove
        node = self.group_body(start, consuming=True, opened=True)
        self.flags = saved
        return node

    def group_body(self, start: int, *, consuming: bool, opened: bool = True) -> Node:
        body = self.alternation()
        if self.peek() == ")":
            self.i += 1
        if not consuming:
            return ZeroWidth(start, self.i)
        return Group(start, self.i, body)


def eval_escape(text: str) -> str:
    """The character a `\\uXXXX`, `\\UXXXXXXXX` or `\\N{NAME}` escape stands for."""
    if text.startswith("\\N{"):
        import unicodedata

        return unicodedata.lookup(text[3:-1])
    return chr(int(text[2:], 16))


# ---------------------------------------------------------------------------
# backtracking analysis


def _nullable(node: Node | None) -> bool:
    if node is None or isinstance(node, ZeroWidth):
        return True
    if isinstance(node, Char):
        return False
    if isinstance(node, Seq):
        return all(_nullable(item) for item in node.items)
    if isinstance(node, Alt):
        return any(_nullable(branch) for branch in node.branches)
    if isinstance(node, Group):
        return _nullable(node.body)
    if isinstance(node, Repeat):
        return node.low == 0 or _nullable(node.body)
    return True


def _first(node: Node | None) -> int:
    """Characters a match of `node` can start with."""
    if node is None or isinstance(node, ZeroWidth):
        return 0
    if isinstance(node, Char):
        return node.mask
    if isinstance(node, Seq):
        mask = 0
        for item in node.items:
            mask |= _first(item)
            if not _nullable(item):
                break
        return mask
    if isinstance(node, Alt):
        mask = 0
        for branch in node.branches:
            mask |= _first(branch)
        return mask
    if isinstance(node, Group):
        return _first(node.body)
    if isinstance(node, Repeat):
        return _first(node.body) if node.high != 0 else 0
    return 0


def _chars(node: Node | None) -> int:
    """Every character `node` can consume anywhere in a match."""
    if node is None or isinstance(node, ZeroWidth):
        return 0
    if isinstance(node, Char):
        return node.mask
    children: list[Node | None]
    if isinstance(node, Seq):
        children = list(node.items)
    elif isinstance(node, Alt):
        children = list(node.branches)
    elif isinstance(node, (Group, Repeat)):
        children = [node.body]
    else:
        children = []
    mask = 0
    for child in children:
        mask |= _chars(child)
    return mask


def _absorbable(node: Node | None, mask: int) -> bool:
    """Can `node` match some string made only of characters in `mask`?"""
    if node is None or isinstance(node, ZeroWidth):
        return True
    if isinstance(node, Char):
        return bool(node.mask & mask)
    if isinstance(node, Seq):
        return all(_absorbable(item, mask) for item in node.items)
    if isinstance(node, Alt):
        return any(_absorbable(branch, mask) for branch in node.branches)
    if isinstance(node, Group):
        return _absorbable(node.body, mask)
    if isinstance(node, Repeat):
        return node.low == 0 or _absorbable(node.body, mask)
    return True


def _inner_repeats(node: Node | None, around: list[Node]) -> list[tuple[Repeat, list[Node]]]:
    """Repeats (max >= 2) inside `node`, each with the sequence siblings on its way up.

    Only these siblings stand between one iteration's inner repeat and the next
    iteration's: if all of them can be made of the inner repeat's characters,
    the text can be split between iterations in many ways.
    """
    found: list[tuple[Repeat, list[Node]]] = []
    if node is None or isinstance(node, (Char, ZeroWidth)):
        return found
    if isinstance(node, Seq):
        for index, item in enumerate(node.items):
            siblings = node.items[:index] + node.items[index + 1 :]
            found.extend(_inner_repeats(item, around + siblings))
    elif isinstance(node, Alt):
        for branch in node.branches:
            found.extend(_inner_repeats(branch, around))
    elif isinstance(node, Group):
        found.extend(_inner_repeats(node.body, around))
    elif isinstance(node, Repeat):
        if (node.high == _UNBOUNDED or node.high >= 2) and not node.possessive:
            if _first(node.body):
                found.append((node, around))
        found.extend(_inner_repeats(node.body, around))
    return found


def _unwrap(node: Node | None) -> Node | None:
    while True:
        if isinstance(node, Group):
            node = node.body
        elif isinstance(node, Seq) and len(node.items) == 1:
            node = node.items[0]
        else:
            return node


def _walk(node: Node | None) -> list[Node]:
    if node is None:
        return []
    out = [node]
    if isinstance(node, Seq):
        for item in node.items:
            out.extend(_walk(item))
    elif isinstance(node, Alt):
        for branch in node.branches:
            out.extend(_walk(branch))
    elif isinstance(node, (Group, Repeat)):
        out.extend(_walk(node.body))
    return out


def _backtracking(pattern: str, tree: Node) -> list[RegexProblem]:
    problems: list[RegexProblem] = []
    reported_until = -1  # one report per outermost risky repeat
    for node in _walk(tree):
        if not isinstance(node, Repeat) or node.high != _UNBOUNDED or node.possessive:
            continue
        if node.start < reported_until:
            continue
        before = len(problems)
        outer = pattern[node.start : node.end]
        nested = None
        for inner, around in _inner_repeats(node.body, []):
            if all(_absorbable(sibling, _chars(inner.body)) for sibling in around):
                nested = inner
                break
        if nested is not None:
            inner_text = pattern[nested.start : nested.end]
            problems.append(
                RegexProblem(
                    BACKTRACKING,
                    node.start,
                    f"nested quantifier: `{inner_text}` repeats inside `{outer}` (offset "
                    f"{node.start}) and both can match the same text, so a failing match "
                    "backtracks exponentially in JavaScript, Python and other backtracking "
                    "engines; quantify only once (e.g. `(a+)+` becomes `a+`) or make each "
                    "iteration end with something the inner part cannot match (e.g. "
                    r"`(\w+\s)*` instead of `(\w+\s?)*`)",
                )
            )
            reported_until = node.end
            continue
        body = _unwrap(node.body)
        if isinstance(body, Alt):
            seen = 0
            for branch in body.branches:
                first = _first(branch)
                if first & seen:
                    problems.append(
                        RegexProblem(
                            BACKTRACKING,
                            node.start,
                            f"alternatives in `{outer}` (offset {node.start}) can start with the "
                            f"same character (`{pattern[branch.start : branch.end]}` overlaps an "
                            "earlier branch), so a failing match tries every split; make the "
                            r"branches disjoint (e.g. `(\w|\d)+` becomes `\w+`, `(a|ab)*` "
                            "becomes `(ab?)*`)",
                        )
                    )
                    break
                seen |= first
        if len(problems) > before:
            reported_until = node.end
    return problems


# ---------------------------------------------------------------------------
# cross-check with Python's own parse tree


def _sre() -> tuple[object, object] | None:
    """Python's regex parser and its constants, or None where neither is found.

    Both are private: `re._parser` / `re._constants` since 3.11, `sre_parse` /
    `sre_constants` before (deprecated since 3.11). The cross-check below is a
    safety net, so a Python without either simply skips it.
    """
    try:
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                import sre_constants as constants  # type: ignore[no-redef]
                import sre_parse as parser  # type: ignore[no-redef]
        except ImportError:
            return None
    return parser, constants


def python_tree_re2_constructs(pattern: str) -> set[str]:
    """RE2-rejected constructs found by walking Python's own tree of `pattern`.

    Python's tree has no offsets, so this cannot locate anything; it is the
    safety net that keeps a construct our parser missed from going unreported.
    """
    found: set[str] = set()
    sre = _sre()
    if sre is None:
        return found
    parser, c = sre
    # Opcodes appear with the Python that parses them: ATOMIC_GROUP and
    # POSSESSIVE_REPEAT exist from 3.11 (before, such patterns do not compile and
    # never reach this check), so every name is looked up with a default.
    names = (
        "GROUPREF",
        "GROUPREF_EXISTS",
        "ASSERT",
        "ASSERT_NOT",
        "ATOMIC_GROUP",
        "POSSESSIVE_REPEAT",
    )
    rejected = {getattr(c, name): name for name in names if hasattr(c, name)}
    repeats = {getattr(c, name, None) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")}
    repeats.discard(None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = parser.parse(pattern)  # type: ignore[attr-defined]
    except (re.error, RecursionError, OverflowError):
        return found
    pending = [list(tree)]
    while pending:
        for op, av in pending.pop():
            if op in rejected:
                found.add(rejected[op])
            if op is c.AT and av is c.AT_END_STRING:  # type: ignore[attr-defined]
                found.add("AT_END_STRING")
            if op in repeats:
                pending.append(list(av[2]))
            elif op is c.SUBPATTERN:  # type: ignore[attr-defined]
                pending.append(list(av[-1]))
            elif op in (c.ASSERT, c.ASSERT_NOT):  # type: ignore[attr-defined]
                pending.append(list(av[1]))
            elif rejected.get(op) == "ATOMIC_GROUP":
                pending.append(list(av))
            elif op is c.BRANCH:  # type: ignore[attr-defined]
                pending.extend(list(branch) for branch in av[1])
            elif rejected.get(op) == "GROUPREF_EXISTS":
                pending.extend(list(branch) for branch in av[1:] if branch)
    return found


# ---------------------------------------------------------------------------
# entry point


def located_problems(pattern: str) -> list[RegexProblem]:
    """What our own parser finds in a pattern Python compiles, before RE2's verdict."""
    return _located(pattern)[0]


def _located(pattern: str) -> tuple[list[RegexProblem], bool]:
    """`located_problems`, and whether the pattern uses syntax Python compiles
    only from 3.11 on (atomic groups, possessive quantifiers)."""
    parser = _Parser(pattern)
    try:
        tree = parser.parse()
        problems = list(parser.problems)
        problems.extend(_backtracking(pattern, tree))
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

    With RE2 installed, our `re2` problems stand only if RE2 really refuses the
    pattern, and a refusal we could not explain is reported in RE2's words.
    Without it, our parser decides, backed by a walk of Python's own tree.
    """
    from ldkit.regex.engine import re2_available, re2_error

    ours = [p for p in problems if p.kind == RE2]
    if re2_available():
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
    if not ours:
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
    return problems


def analyse(pattern: str) -> list[RegexProblem]:
    """All problems of `pattern`, ordered by position.

    A pattern that does not compile yields exactly one problem (`compile` or
    `re2-only`): there is nothing sound to say about its structure.
    """
    return list(_analyse(pattern))
