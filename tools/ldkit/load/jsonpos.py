"""A strict JSON loader that remembers where every key and value came from.

The standard library's `json` gives values but no positions, accepts `NaN` and
silently keeps the last of two duplicate keys. Partners need a line and column
for every finding, and a duplicate key in a manifest is a silent bug, so this
loader parses RFC 8259 JSON itself (strings still go through the C-accelerated
`scanstring`) and records the offset of each value and each member key by its
JSON pointer. Problems with the bytes (BOM, invalid UTF-8) or the syntax are
returned as findings, never raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ldkit.fs import Root

import json
import re
from array import array
from dataclasses import dataclass, field

from ldkit.core.findings import Finding, Severity
from ldkit.load.limits import MAX_DEPTH, MAX_INTEGER_DIGITS
from ldkit.load.lines import LineIndex, position
from ldkit.load.pointer import child
from ldkit.load.rules import ByteOrderMark, DuplicateKey, Encoding, IntegerTooLong, JsonSyntax

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


@dataclass
class Document:
    """A parsed JSON file: its value plus the offsets behind every pointer."""

    path: str
    text: str
    value: object = None
    value_offsets: dict[str, int] = field(default_factory=dict)
    key_offsets: dict[str, int] = field(default_factory=dict)
    #: Offsets of the items of each array, by the array's pointer. A scalar array
    #: item gets no pointer string of its own: a 4 MB array of numbers would
    #: otherwise cost a dictionary entry and a string per number.
    item_offsets: dict[str, array] = field(default_factory=dict)
    _lines: LineIndex | None = field(default=None, repr=False, compare=False)

    def line_col(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.position(offset)

    def offset(self, pointer: str, *, key: bool = False) -> int:
        """Offset of the value at `pointer` (or of its key with `key=True`).

        A pointer that names nothing (a missing required key, say) falls back to
        its nearest existing ancestor, which is where the fix belongs.
        """
        if key and pointer in self.key_offsets:
            return self.key_offsets[pointer]
        while pointer:
            if pointer in self.value_offsets:
                return self.value_offsets[pointer]
            head, _, last = pointer.rpartition("/")
            items = self.item_offsets.get(head)
            if items is not None and last.isdigit() and len(last) < 19 and int(last) < len(items):
                return items[int(last)]
            pointer = head
        return self.value_offsets.get("", 0)

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        return self.line_col(self.offset(pointer, key=key))

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        pointer: str = "",
        *,
        key: bool = False,
    ) -> Finding:
        line, column = self.position(pointer, key=key)
        return Finding(self.path, line, column, rule, severity, message, pointer)

    def string_offset(self, pointer: str, index: int) -> int:
        """The file offset of character `index` of the string at `pointer`, so a
        finding about one character of a value (a regular expression's bad
        group) points there. Escapes count as the one character they stand
        for (`\\\\` is two characters in the file, one in the value; a `\\u`
        surrogate pair is one). The value's own offset when it is not a string."""
        start = self.offset(pointer)
        text = self.text
        if not text.startswith('"', start) or index <= 0:
            return start + (1 if text.startswith('"', start) else 0)
        pos, count = start + 1, 0
        while count < index and pos < len(text) and text[pos] != '"':
            if text[pos] == "\\":
                if text.startswith("u", pos + 1):
                    high = text[pos + 2 : pos + 6]
                    low = text[pos + 8 : pos + 12] if text.startswith("\\u", pos + 6) else ""
                    pair = (
                        len(high) == 4
                        and len(low) == 4
                        and "d800" <= high.lower() <= "dbff"
                        and "dc00" <= low.lower() <= "dfff"
                    )
                    pos += 12 if pair else 6
                else:
                    pos += 2
            else:
                pos += 1
            count += 1
        return pos

    def offset_of(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column (the inverse of `line_col`)."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.offset(line, column)


@dataclass
class LoadResult:
    document: Document
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        """True when a value was parsed (it may still carry warnings/errors)."""
        return not any(f.rule == JsonSyntax.id for f in self.findings)


class _SyntaxProblem(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def decode(data: bytes, path: str) -> tuple[str, list[Finding]]:
    """Bytes to text, reporting a BOM or invalid UTF-8 instead of failing."""
    findings: list[Finding] = []
    if data.startswith(b"\xef\xbb\xbf"):
        findings.append(
            Finding(
                path,
                1,
                1,
                ByteOrderMark.id,
                Severity.ERROR,
                "the file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM "
                f"(LaunchDarkly's CI rejects it), or run `ldkit format {path}`",
            )
        )
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        findings.append(
            Finding(
                path,
                1,
                1,
                Encoding.id,
                Severity.ERROR,
                "the file looks like UTF-16; save it as UTF-8 without BOM",
            )
        )
        return data.decode("utf-16", errors="replace").lstrip("\ufeff"), findings
    try:
        return data.decode("utf-8"), findings
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line, column = position(before, len(before))
        findings.append(
            Finding(
                path,
                line,
                column,
                Encoding.id,
                Severity.ERROR,
                f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8",
            )
        )
        return data.decode("utf-8", errors="replace"), findings


def load_bytes(data: bytes, path: str) -> LoadResult:
    text, findings = decode(data, path)
    result = load_text(text, path)
    result.findings[:0] = findings
    return result


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def is_strict_json(text: str) -> bool:
    """True when `load_text` would find no syntax problem (LD001) in `text`.

    The standard library's C parser reads the same grammar (RFC 8259: the same
    whitespace, numbers, escapes and control-character rule) in a fraction of
    the time; what it accepts beyond JSON, NaN and Infinity, is refused here,
    and so is nesting deeper than `MAX_DEPTH`. False says only "ask the loader",
    which finds and words the problem.
    """
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return False
    return _depth(value) <= MAX_DEPTH


def _depth(value: object) -> int:
    """How deeply arrays and objects nest in `value` (a scalar: 0)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((item, depth + 1) for item in children)
    return deepest


def load_text(text: str, path: str) -> LoadResult:
    document = Document(path=path, text=text)
    parser = _Parser(document)
    try:
        document.value = parser.parse()
    except _SyntaxProblem as problem:
        document.value = None
        line, column = document.line_col(problem.offset)
        parser.findings.append(
            Finding(path, line, column, JsonSyntax.id, Severity.ERROR, problem.message)
        )
    return LoadResult(document, parser.findings)


def _describe(text: str, offset: int) -> str:
    if offset >= len(text):
        return "the end of the file"
    return repr(text[offset])


_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
#: Words other languages use where JSON has a literal.
_LITERALS = {
    "True": "true",
    "False": "false",
    "None": "null",
    "undefined": "null",
    "nil": "null",
    "NULL": "null",
}


def plain_problem(text: str, pos: int) -> str | None:
    """The usual not-quite-JSON at `pos`, in plain words: comments, single
    quotes, NaN/Infinity, another language's literal. None when it is none."""
    if text.startswith(("//", "/*"), pos):
        return "JSON has no comments; remove the comment (or move the note into a README)"
    if text.startswith("'", pos):
        return "JSON strings use double quotes, not single quotes; write \"…\" instead of '…'"
    if text.startswith(("NaN", "Infinity", "-Infinity"), pos):
        return "NaN and Infinity are not JSON; use a number or null"
    word = _WORD.match(text, pos)
    if word and word.group() in _LITERALS:
        return f"{word.group()} is not JSON; write {_LITERALS[word.group()]}"
    return None


class _Parser:
    def __init__(self, document: Document) -> None:
        self.doc = document
        self.text = document.text
        self.findings: list[Finding] = []

    def parse(self) -> object:
        text = self.text
        pos = _WS.match(text, 0).end()
        if pos >= len(text):
            raise _SyntaxProblem("the file is empty; expected a JSON value", pos)
        value, pos = self._value(pos, "", 0)
        pos = _WS.match(text, pos).end()
        if pos < len(text):
            self._explain(pos)
            raise _SyntaxProblem(
                f"unexpected {_describe(text, pos)} after the JSON value; "
                "remove it or merge it into the document",
                pos,
            )
        return value

    def _value(
        self, pos: int, pointer: str, depth: int, index: int | None = None
    ) -> tuple[object, int]:
        """The value at `pos`. With `index`, it is item `index` of the array at
        `pointer`, whose offset the array records; only a container item gets a
        pointer of its own (its members need it)."""
        text = self.text
        char = text[pos] if pos < len(text) else ""
        if index is None:
            self.doc.value_offsets[pointer] = pos
        elif char in ("{", "["):
            pointer = child(pointer, index)
            self.doc.value_offsets[pointer] = pos
        else:
            pointer = f"{pointer}/{index}"
        if char == "{":
            return self._object(pos, pointer, depth + 1)
        if char == "[":
            return self._array(pos, pointer, depth + 1)
        if char == '"':
            return self._string(pos)
        if text.startswith("-Infinity", pos):
            raise _SyntaxProblem("NaN and Infinity are not JSON; use a number or null", pos)
        if char == "-" or char.isdigit():
            match = _NUMBER.match(text, pos)
            if not match:
                raise _SyntaxProblem("invalid number; JSON numbers look like -12.5e3", pos)
            literal = match.group(0)
            end = match.end()
            if end < len(text) and (text[end].isalnum() or text[end] == "."):
                raise _SyntaxProblem("invalid number; JSON numbers look like -12.5e3", pos)
            if match.group(1) or match.group(2):
                return float(literal), end
            digits = len(literal) - literal.startswith("-")
            if digits > MAX_INTEGER_DIGITS:
                # JavaScript reads every JSON number as a double; this one is Infinity.
                # (Python's int() would refuse it past its digit limit.)
                line, column = self.doc.line_col(pos)
                self.findings.append(
                    Finding(
                        self.doc.path,
                        line,
                        column,
                        IntegerTooLong.id,
                        Severity.ERROR,
                        f"an integer with {digits:,} digits; JavaScript reads it as "
                        f"{'-' if literal.startswith('-') else ''}Infinity, so no value is "
                        "meant here: use a number of at most 15 digits, or a string",
                        pointer,
                    )
                )
                return float(literal), end
            return int(literal), end
        for literal, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(literal, pos):
                return value, pos + len(literal)
        plain = plain_problem(text, pos)
        if plain:
            raise _SyntaxProblem(plain, pos)
        word = _WORD.match(text, pos)
        if word:
            raise _SyntaxProblem(
                f"expected a JSON value, found the bare word {word.group()!r}; "
                f'a text value needs double quotes: "{word.group()}"',
                pos,
            )
        raise _SyntaxProblem(f"expected a JSON value, found {_describe(text, pos)}", pos)

    def _explain(self, pos: int) -> None:
        """Raise the plain-words message when `pos` holds common not-quite-JSON."""
        plain = plain_problem(self.text, pos)
        if plain:
            raise _SyntaxProblem(plain, pos)

    def _string(self, pos: int) -> tuple[str, int]:
        try:
            return _scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            message = exc.msg
            if message.startswith("Unterminated string"):
                message = "unterminated string; add the closing double quote"
            elif message.startswith("Invalid control character"):
                message = "raw control character in a string; escape it (for a line break, \\n)"
            elif message.startswith("Invalid \\escape") or "escape" in message:
                message = (
                    "invalid escape in a string; use one of " + r"\" \\ \/ \b \f \n \r \t \uXXXX"
                )
            raise _SyntaxProblem(message, exc.pos) from None

    def _object(self, pos: int, pointer: str, depth: int) -> tuple[dict, int]:
        if depth > MAX_DEPTH:
            raise _SyntaxProblem(f"nesting deeper than {MAX_DEPTH} levels", pos)
        text = self.text
        result: dict[str, object] = {}
        seen: dict[str, int] = {}
        pos = _WS.match(text, pos + 1).end()
        if text.startswith("}", pos):
            return result, pos + 1
        comma = -1
        while True:
            if not text.startswith('"', pos):
                if text.startswith("}", pos) and comma >= 0:
                    raise _SyntaxProblem(
                        "trailing comma after the last member; JSON allows no comma before '}', "
                        "remove it",
                        comma,
                    )
                self._explain(pos)
                word = _WORD.match(text, pos)
                if word:
                    raise _SyntaxProblem(
                        f'member names need double quotes in JSON; write "{word.group()}"', pos
                    )
                raise _SyntaxProblem(
                    f"expected a member name in double quotes, found {_describe(text, pos)}", pos
                )
            key_pos = pos
            key, pos = self._string(pos)
            member = child(pointer, key)
            if key in seen:
                line, column = self.doc.line_col(key_pos)
                first_line, _ = self.doc.line_col(seen[key])
                self.findings.append(
                    Finding(
                        self.doc.path,
                        line,
                        column,
                        DuplicateKey.id,
                        Severity.ERROR,
                        f"duplicate key {key!r} (first defined on line {first_line}); "
                        "parsers disagree on which one wins, keep only one",
                        member,
                    )
                )
            seen[key] = key_pos
            self.doc.key_offsets[member] = key_pos
            pos = _WS.match(text, pos).end()
            if not text.startswith(":", pos):
                raise _SyntaxProblem(
                    f"expected ':' after the member name, found {_describe(text, pos)}", pos
                )
            pos = _WS.match(text, pos + 1).end()
            value, pos = self._value(pos, member, depth)
            result[key] = value
            end = pos
            pos = _WS.match(text, pos).end()
            if text.startswith(",", pos):
                comma = pos
                pos = _WS.match(text, pos + 1).end()
                continue
            if text.startswith("}", pos):
                return result, pos + 1
            self._explain(pos)
            if text.startswith('"', pos):
                raise _SyntaxProblem(
                    "missing ',' between two members; add a comma after this value", end
                )
            raise _SyntaxProblem(
                f"expected ',' or '}}' after an object member, found {_describe(text, pos)}", pos
            )

    def _array(self, pos: int, pointer: str, depth: int) -> tuple[list, int]:
        if depth > MAX_DEPTH:
            raise _SyntaxProblem(f"nesting deeper than {MAX_DEPTH} levels", pos)
        text = self.text
        result: list[object] = []
        items = self.doc.item_offsets[pointer] = array("q")
        pos = _WS.match(text, pos + 1).end()
        if text.startswith("]", pos):
            return result, pos + 1
        comma = -1
        while True:
            if text.startswith("]", pos) and comma >= 0:
                raise _SyntaxProblem(
                    "trailing comma after the last item; JSON allows no comma before ']', "
                    "remove it",
                    comma,
                )
            items.append(pos)
            value, pos = self._value(pos, pointer, depth, len(result))
            result.append(value)
            end = pos
            pos = _WS.match(text, pos).end()
            if text.startswith(",", pos):
                comma = pos
                pos = _WS.match(text, pos + 1).end()
                continue
            if text.startswith("]", pos):
                return result, pos + 1
            self._explain(pos)
            if pos < len(text) and text[pos] in '"{[-0123456789tfn':
                raise _SyntaxProblem(
                    "missing ',' between two array items; add a comma after this item", end
                )
            raise _SyntaxProblem(
                f"expected ',' or ']' after an array item, found {_describe(text, pos)}", pos
            )


def load_path(path: str, *, root: Root) -> LoadResult:
    """Read (see `ldkit.fs`) and parse a file. `FileRefused` propagates:
    an unreadable file is a usage problem (exit code 2), not a finding."""
    from ldkit.fs import read_bytes

    return load_bytes(read_bytes(path, root=root), path)
