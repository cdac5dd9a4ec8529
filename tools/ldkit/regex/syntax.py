"""A small position-keeping parser and syntax tree for patterns Python has
already accepted: it locates RE2-rejected and RE2-reread syntax by offset, and
gives the backtracking analysis a tree that keeps the pattern's own shape."""

from __future__ import annotations

import re

from ldkit.regex.chars import char_mask
from ldkit.regex.problems import (
    DIALECT,
    RE2,
    RE2_MAX_REPEAT,
    UNBOUNDED,
    RegexProblem,
)

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
        return char_mask(self.source, self.flags)


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


class Parser:
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
        # only from 3.11 on (see `ldkit.regex.check`).
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
                low, high = 0, UNBOUNDED
                self.i += 1
            elif c == "+":
                low, high = 1, UNBOUNDED
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
        high = int(high_text) if high_text else (UNBOUNDED if comma else low)
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
