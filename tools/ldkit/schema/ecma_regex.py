"""Run ECMAScript (JavaScript) regular expressions with Python's `re`.

LaunchDarkly validates manifests with Ajv 6, which compiles every schema
`pattern` as `new RegExp(pattern)` (no flags). Python's `re` reads the same
text differently in ways that change which manifests pass:

* `.` stops at `\\n` only in Python, but at `\\n`, `\\r`, U+2028 and U+2029 in
  JavaScript, so `^(.*)$` really means "one line, by JavaScript's idea of a line";
* `$` (without the `m` flag) is the end of the input in JavaScript, while Python
  also accepts it before a final `\\n` (so "1.0.0\\n" would pass a SemVer check);
* `\\s` in JavaScript includes U+FEFF and excludes U+001C-U+001F and U+0085,
  the opposite of Python's Unicode `\\s`; `\\d` and `\\w` are ASCII only.

`translate` rewrites a JavaScript pattern (non-`u` mode, Annex B syntax) into a
Python pattern with the JavaScript meaning; `compile_ecma` caches the result.
Only syntax both engines can express is supported; anything else raises
`EcmaRegexError` instead of silently matching something different.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from ldkit.javascript import JS_WHITESPACE

__all__ = ["EcmaRegexError", "compile_ecma", "search", "translate"]

_DIGIT = "0-9"
_WORD = "A-Za-z0-9_"
#: What `.` matches in JavaScript without the `s` flag.
_DOT = "[^\\n\\r\\u2028\\u2029]"

# Escapes that name a set of characters: letter -> (class body, negated?).
_CLASS_ESCAPES = {
    "d": (_DIGIT, False),
    "D": (_DIGIT, True),
    "s": (JS_WHITESPACE, False),
    "S": (JS_WHITESPACE, True),
    "w": (_WORD, False),
    "W": (_WORD, True),
}
_CONTROL_ESCAPES = {"f": "\\x0c", "n": "\\n", "r": "\\r", "t": "\\t", "v": "\\x0b"}
# Characters that must be escaped inside a Python class to stay literal (Python
# warns about `[[`, `--`, `&&`, `~~`, `||` as possible future set operations).
_CLASS_LITERAL_ESCAPE = set("[]\\^&~|")


class EcmaRegexError(ValueError):
    """The pattern is not valid JavaScript, or uses syntax we cannot reproduce."""


def _literal(char: str) -> str:
    return re.escape(char)


class _Translator:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []

    def error(self, message: str) -> EcmaRegexError:
        return EcmaRegexError(f"{message} at position {self.pos} of /{self.src}/")

    def run(self) -> str:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "\\":
                self.out.append(self._escape_outside())
            elif char == "[":
                self.out.append(self._char_class())
            elif char == ".":
                self.out.append(_DOT)
                self.pos += 1
            elif char == "$":
                self.out.append("\\Z")
                self.pos += 1
            elif char == "(":
                self.out.append(self._group_open())
            else:
                self.out.append(char)
                self.pos += 1
        return "".join(self.out)

    def _group_open(self) -> str:
        src = self.src
        if src.startswith("(?<", self.pos) and not src.startswith(("(?<=", "(?<!"), self.pos):
            end = src.find(">", self.pos)
            if end < 0:
                raise self.error("unterminated group name")
            name = src[self.pos + 3 : end]
            self.pos = end + 1
            return f"(?P<{name}>"
        if src.startswith("(?", self.pos) and not src.startswith(
            ("(?:", "(?=", "(?!", "(?<=", "(?<!"), self.pos
        ):
            raise self.error("unsupported group syntax")
        self.pos += 1
        return "("

    def _escape_outside(self) -> str:
        src = self.src
        if self.pos + 1 >= len(src):
            raise self.error("pattern ends with a lone backslash")
        letter = src[self.pos + 1]
        self.pos += 2
        if letter in _CLASS_ESCAPES:
            body, negated = _CLASS_ESCAPES[letter]
            return f"[{'^' if negated else ''}{body}]"
        if letter in "bB":
            return "\\" + letter  # compiled with re.ASCII, so \b is ASCII as in JS
        if letter == "k" and src.startswith("<", self.pos):
            end = src.find(">", self.pos)
            if end < 0:
                raise self.error("unterminated group name")
            name = src[self.pos + 1 : end]
            self.pos = end + 1
            return f"(?P={name})"
        if letter.isdigit():
            # Back-reference (or legacy octal); both engines read digits alike.
            digits = letter
            while self.pos < len(src) and src[self.pos].isdigit():
                digits += src[self.pos]
                self.pos += 1
            return "\\" + digits
        return self._atom_escape(letter)

    def _atom_escape(self, letter: str) -> str:
        """An escape that stands for one character (outside or inside a class)."""
        src = self.src
        if letter in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[letter]
        if letter == "0":
            return "\\x00"
        if letter == "x" and re.match(r"[0-9A-Fa-f]{2}", src[self.pos : self.pos + 2]):
            code = src[self.pos : self.pos + 2]
            self.pos += 2
            return "\\x" + code
        if letter == "u" and re.match(r"[0-9A-Fa-f]{4}", src[self.pos : self.pos + 4]):
            code = src[self.pos : self.pos + 4]
            self.pos += 4
            return "\\u" + code
        if (
            letter == "c"
            and self.pos < len(src)
            and src[self.pos].isascii()
            and (src[self.pos].isalpha())
        ):
            code = ord(src[self.pos]) % 32
            self.pos += 1
            return f"\\x{code:02x}"
        # Annex B identity escape: `\a`, `\/`, `\-` ... stand for the character.
        return _literal(letter)

    def _char_class(self) -> str:
        src = self.src
        self.pos += 1
        negated = src.startswith("^", self.pos)
        if negated:
            self.pos += 1
        literal_parts: list[str] = []
        complements: list[str] = []  # bodies of \D \S \W inside the class
        while True:
            if self.pos >= len(src):
                raise self.error("unterminated character class")
            char = src[self.pos]
            if char == "]":
                self.pos += 1
                break
            if char == "\\":
                if self.pos + 1 >= len(src):
                    raise self.error("pattern ends with a lone backslash")
                letter = src[self.pos + 1]
                self.pos += 2
                if letter in _CLASS_ESCAPES:
                    body, is_complement = _CLASS_ESCAPES[letter]
                    (complements if is_complement else literal_parts).append(body)
                elif letter == "b":
                    literal_parts.append("\\x08")
                elif letter in "1234567":
                    literal_parts.append(f"\\x{int(letter, 8):02x}")  # legacy octal
                else:
                    literal_parts.append(self._atom_escape(letter))
            else:
                literal_parts.append(_class_literal(char))
                self.pos += 1
        body = "".join(literal_parts)
        if not complements:
            if not body:
                # `[]` matches nothing and `[^]` matches anything in JavaScript.
                return "(?s:.)" if negated else "(?!)"
            return f"[{'^' if negated else ''}{body}]"
        if negated:
            # Not (listed or non-A or non-B) == not listed, and in A, and in B.
            parts = [f"(?![{body}])"] if body else []
            parts.extend(f"(?=[{c}])" for c in complements[:-1])
            parts.append(f"[{complements[-1]}]")
            return "(?:" + "".join(parts) + ")"
        branches = [f"[{body}]"] if body else []
        branches.extend(f"[^{c}]" for c in complements)
        return "(?:" + "|".join(branches) + ")"


def _class_literal(char: str) -> str:
    return "\\" + char if char in _CLASS_LITERAL_ESCAPE else char


@lru_cache(maxsize=512)
def translate(pattern: str) -> str:
    """The Python pattern that matches what `new RegExp(pattern)` matches."""
    return _Translator(pattern).run()


class EcmaMatcher(NamedTuple):
    """A compiled schema pattern: `search(text)` is True where it occurs."""

    search: Callable[[str], bool]
    #: "re2" (linear time) or "python" (a pattern RE2 refuses, found safe).
    engine: str


def _re2_syntax(python_pattern: str) -> str:
    """Our translation in RE2's spelling: `\\uXXXX` is `\\x{XXXX}`, `\\Z` is `\\z`."""
    out: list[str] = []
    i = 0
    while i < len(python_pattern):
        char = python_pattern[i]
        if char != "\\" or i + 1 == len(python_pattern):
            out.append(char)
            i += 1
            continue
        following = python_pattern[i + 1]
        if following == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", python_pattern[i + 2 : i + 6]):
            out.append("\\x{" + python_pattern[i + 2 : i + 6] + "}")
            i += 6
        elif following == "Z":
            out.append("\\z")
            i += 2
        else:
            out.append(char + following)
            i += 2
    return "".join(out)


@lru_cache(maxsize=512)
def compile_ecma(pattern: str) -> EcmaMatcher:
    """Compile (once per process) a JavaScript pattern from a schema.

    A fork's own schema is input a pull request controls, so its patterns run
    on RE2 (linear time, whatever the text) whenever RE2 can express them.
    One RE2 refuses (a look-around, a back-reference) runs on Python's engine
    only when ldkit's analysis finds no catastrophic-backtracking shape in it;
    otherwise it is refused (EcmaRegexError) rather than risk a hang.
    """
    from ldkit.regex.check import located_problems
    from ldkit.regex.engine import PatternRefused, compile_matcher
    from ldkit.regex.problems import BACKTRACKING

    python_syntax = translate(pattern)
    try:
        compiled = re.compile(python_syntax, re.ASCII)
    except re.error as exc:
        raise EcmaRegexError(f"/{pattern}/ cannot be compiled: {exc}") from None
    try:
        matcher = compile_matcher(_re2_syntax(python_syntax))
    except PatternRefused as refused:
        if any(p.kind == BACKTRACKING for p in located_problems(pattern)):
            raise EcmaRegexError(
                f"/{pattern}/ cannot be run safely: {refused.message}, and it can "
                "backtrack catastrophically"
            ) from None
        return EcmaMatcher(lambda text: compiled.search(text) is not None, "python")
    return EcmaMatcher(matcher.search, "re2")


_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})


def schema_patterns(tree: object) -> list[tuple[str, str]]:
    """Every `pattern` and `patternProperties` regex in a schema tree, with
    the JSON pointer of where it stands (data keywords are not walked)."""
    found: list[tuple[str, str]] = []
    pending: list[tuple[object, str]] = [(tree, "")]
    while pending:
        node, pointer = pending.pop()
        if isinstance(node, list):
            pending.extend((item, f"{pointer}/{i}") for i, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            here = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key == "pattern" and isinstance(value, str):
                found.append((here, value))
            elif key == "patternProperties" and isinstance(value, dict):
                found.extend((here, name) for name in value if isinstance(name, str))
                pending.extend((item, here) for item in value.values())
            elif key not in _DATA_KEYWORDS:
                pending.append((value, here))
    return found


def search(pattern: str, text: str) -> bool:
    """`new RegExp(pattern).test(text)`: an unanchored search."""
    return compile_ecma(pattern).search(text)
