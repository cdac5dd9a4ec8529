"""JSON text to prettier's doc, following prettier 2.2.1's rules for `.json` files.

Prettier parses a `.json` file as a JavaScript expression and prints it with
its JavaScript printer, `parser: "json"`; the `.prettierrc` options that
matter for JavaScript (`singleQuote`, `trailingComma`) do not apply. What that
printer does, node by node:

* an object is a group `{ a, b }` that breaks when it does not fit, and is kept
  broken when the source had a line break between `{` and its first key;
* an array is a group `[a, b]` that breaks when it does not fit, and always
  breaks when it holds two or more objects (or arrays) of two or more entries
  each; an empty object or array is `{}` or `[]`;
* a blank line after a member is kept (for an object it also forces the break,
  for an array only when the array breaks anyway);
* each member is `"key": value` on one line, the value never moved below;
* a string keeps its escapes as written, except `\\/`, which becomes `/`;
* a number is normalised (`1.50` to `1.5`, `1E+05` to `1e5`, `1e0` to `1`);
* the file ends with one newline, and whitespace around the value is dropped.

`package.json`, `package-lock.json` and `composer.json` are printed as
`JSON.stringify(value, null, 2)` prints them instead, as prettier does.

Prettier also wraps each member and each element in a group of its own; those
groups hold no line break of their own (only the value's), so they lay out
exactly as their contents do and are left out here, which saves most of the
fitting work.

The parser here is strict RFC 8259 JSON (what `ldkit validate` accepts), so a
file with comments or trailing commas is reported, not formatted.
"""

from __future__ import annotations

import re

from ldkit.format.doc import HARDLINE, LINE, SOFTLINE, Doc, Group, Indent
from ldkit.load.limits import MAX_DEPTH

_STRING = r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"'
_TOKEN = re.compile(
    r"[ \t\n]*(?:"
    r"([{}\[\]:,])"
    r"|(" + _STRING + r")"
    r"|(-?)((?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"|(true|false|null)"
    r")"
)
_KEY = re.compile(r"[ \t\n]*(" + _STRING + r")[ \t\n]*:")
_WHITESPACE = re.compile(r"[ \t\n]*")
_PUNCTUATION = re.compile(r"[ \t\n]*([,:}\]])")
_SLASH_ESCAPE = re.compile(r"\\([\s\S])")
# Prettier's number normalisation, one step at a time.
_NUMBER_STEPS = (
    (re.compile(r"^([+-]?[\d.]+e)(?:\+|(-))?0*(\d)"), r"\1\2\3"),
    (re.compile(r"^([+-]?[\d.]+)e[+-]?0+$"), r"\1"),
    (re.compile(r"^([+-])?\."), r"\g<1>0."),
    (re.compile(r"(\.\d+?)0+(?=e|$)"), r"\1"),
    (re.compile(r"\.(?=e|$)"), ""),
)

OBJECT = "object"
ARRAY = "array"
SCALAR = "scalar"


class JsonSyntaxError(ValueError):
    """The text is not JSON; `offset` is where reading stopped."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def print_number(raw: str) -> str:
    """A JSON number as prettier prints it (its sign is printed separately)."""
    text = raw.lower()
    for pattern, replacement in _NUMBER_STEPS:
        text = pattern.sub(replacement, text, count=1)
    return text


def _string(raw: str) -> str:
    """A JSON string literal as prettier prints it: `\\/` loses its backslash."""
    if "\\/" not in raw:
        return raw
    return _SLASH_ESCAPE.sub(lambda m: "/" if m.group(1) == "/" else m.group(0), raw)


# Prettier's `isNextLineEmpty` after a value, for JSON (no comments): skip
# commas, semicolons, spaces and tabs, one line break, spaces and tabs, then
# another line break.
_NEXT_LINE_EMPTY = re.compile(r"[,; \t]*\n[ \t]*\n")


class _Builder:
    """Recursive descent over the text, building the doc as it goes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.max_depth = MAX_DEPTH

    def fail(self, offset: int, expected: str) -> JsonSyntaxError:
        offset = _WHITESPACE.match(self.text, offset).end()  # type: ignore[union-attr]
        found = "the end of the file" if offset >= len(self.text) else repr(self.text[offset])
        return JsonSyntaxError(f"expected {expected}, found {found}", offset)

    def value(self, offset: int, depth: int) -> tuple[Doc, str, int, bool, int]:
        """Parse a value at `offset`: (doc, kind, entries, broken, end offset)."""
        match = _TOKEN.match(self.text, offset)
        if match is None:
            raise self.fail(offset, "a JSON value")
        punctuation = match.group(1)
        if punctuation == "{":
            return self.object(match.start(1), match.end(), depth + 1)
        if punctuation == "[":
            return self.array(match.end(), depth + 1)
        if punctuation is not None:
            raise self.fail(offset, "a JSON value")
        if match.group(2) is not None:
            return _string(match.group(2)), SCALAR, 0, False, match.end()
        if match.group(4) is not None:
            return match.group(3) + print_number(match.group(4)), SCALAR, 0, False, match.end()
        return match.group(5), SCALAR, 0, False, match.end()

    def punctuation(self, offset: int, allowed: str, expected: str) -> tuple[str, int]:
        match = _PUNCTUATION.match(self.text, offset)
        if match is None or match.group(1) not in allowed:
            raise self.fail(offset, expected)
        return match.group(1), match.end()

    def object(self, start: int, offset: int, depth: int) -> tuple[Doc, str, int, bool, int]:
        if depth > self.max_depth:
            raise JsonSyntaxError(f"nested deeper than {self.max_depth} levels", start)
        text = self.text
        after = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
        if text.startswith("}", after):
            return "{}", OBJECT, 0, False, after + 1
        broken = "\n" in text[start:after]
        parts: list[Doc] = [LINE]
        count = 0
        while True:
            match = _KEY.match(text, offset)
            if match is None:
                key_match = _TOKEN.match(text, offset)
                if key_match is None or key_match.group(2) is None:
                    raise self.fail(offset, "a quoted key")
                raise self.fail(key_match.end(), "':' after the key")
            key = _string(match.group(1))
            value, _, _, value_broken, end = self.value(match.end(), depth)
            if type(value) is str:
                parts.append(key + ": " + value)
            else:
                parts.append(key + ": ")
                parts.append(value)
            broken = broken or value_broken
            count += 1
            mark_match = _PUNCTUATION.match(text, end)
            mark = mark_match.group(1) if mark_match else ""
            if mark == "}":
                offset = mark_match.end()  # type: ignore[union-attr]
                break
            if mark != ",":
                raise self.fail(end, "',' or '}'")
            offset = mark_match.end()  # type: ignore[union-attr]
            parts.append(",")
            parts.append(LINE)
            if _NEXT_LINE_EMPTY.match(text, end):
                parts.append(HARDLINE)
                broken = True
        doc = Group(["{", Indent(parts), LINE, "}"], broken)
        return doc, OBJECT, count, broken, offset

    def array(self, offset: int, depth: int) -> tuple[Doc, str, int, bool, int]:
        if depth > self.max_depth:
            raise JsonSyntaxError(f"nested deeper than {self.max_depth} levels", offset - 1)
        text = self.text
        after = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
        if text.startswith("]", after):
            return "[]", ARRAY, 0, False, after + 1
        parts: list[Doc] = [SOFTLINE]
        broken = False
        # Prettier breaks an array of two or more objects (or arrays), all of
        # the same kind and each with two or more entries.
        all_big = True
        kinds: set[str] = set()
        count = 0
        while True:
            value, kind, entries, value_broken, end = self.value(offset, depth)
            parts.append(value)
            broken = broken or value_broken
            kinds.add(kind)
            all_big = all_big and kind != SCALAR and entries > 1
            count += 1
            mark, offset = self.punctuation(end, ",]", "',' or ']'")
            if mark == "]":
                break
            parts.append(",")
            parts.append(LINE)
            if _NEXT_LINE_EMPTY.match(text, end):
                parts.append(SOFTLINE)
        if count > 1 and all_big and len(kinds) == 1:
            broken = True
        doc = Group(["[", Indent(parts), SOFTLINE, "]"], broken)
        return doc, ARRAY, count, broken, offset


def build(text: str) -> Doc | None:
    """The doc for a whole `.json` file (LF line breaks, no BOM); None when empty."""
    start = _WHITESPACE.match(text).end()  # type: ignore[union-attr]
    if start == len(text):
        return None
    doc, _, _, _, end = _Builder(text).value(start, 0)
    tail = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    if tail != len(text):
        raise JsonSyntaxError(
            f"expected the end of the file after the value, found {text[tail]!r}", tail
        )
    return [doc, HARDLINE]
