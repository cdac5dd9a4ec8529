"""Positions between ldkit and the Language Server Protocol.

ldkit counts lines and columns from 1 and columns in code points
(`ldkit.load.lines`); LSP counts both from 0 and characters in the code units
the client and server agreed on at start-up (UTF-16 unless the client offers
UTF-8 or UTF-32). The conversion needs the line's text, so it is done here,
once, against the text the finding was computed on.
"""

from __future__ import annotations

from lsprotocol import types

_WORD_END = set(" \t\r\n,:{}[]\"'")


def line_text(text: str, line: int) -> str:
    """The 0-based `line` of `text` without its line break ('' past the end)."""
    lines = text.split("\n")
    return lines[line].rstrip("\r") if 0 <= line < len(lines) else ""


UTF16 = "utf-16"


def _units(char: str, encoding: str) -> int:
    """How many code units of `encoding` one code point takes."""
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return len(char.encode("utf-8", errors="surrogatepass"))
    return 2 if ord(char) > 0xFFFF else 1


def to_units(line: str, column: int, encoding: str = UTF16) -> int:
    """The offset in code units of `encoding` of the 0-based code-point `column` of `line`."""
    prefix = line[:column]
    if encoding == UTF16:
        return len(prefix) + sum(1 for char in prefix if ord(char) > 0xFFFF)
    return sum(_units(char, encoding) for char in prefix)


def from_units(line: str, character: int, encoding: str = UTF16) -> int:
    """The 0-based code-point column in `line` of the offset `character` in code units."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += _units(char, encoding)
    return len(line)


def token_end(line: str, column: int) -> int:
    """Where the token starting at code-point `column` of `line` ends: after the
    closing quote of a JSON string, after a word or number, else one character on."""
    if column >= len(line):
        return column
    if line[column] == '"':
        index = column + 1
        while index < len(line):
            if line[index] == "\\":
                index += 2
                continue
            if line[index] == '"':
                return index + 1
            index += 1
        return len(line)
    index = column
    while index < len(line) and line[index] not in _WORD_END:
        index += 1
    return max(index, column + 1)


def finding_range(text: str, line: int, column: int, encoding: str = UTF16) -> types.Range:
    """The LSP range of a finding at 1-based `line`, `column` (code points) in
    `text`: from that character to the end of the token there."""
    row = max(line - 1, 0)
    current = line_text(text, row)
    start = min(max(column - 1, 0), len(current))
    end = token_end(current, start)
    return types.Range(
        start=types.Position(line=row, character=to_units(current, start, encoding)),
        end=types.Position(line=row, character=to_units(current, end, encoding)),
    )


def offset_at(text: str, position: types.Position, encoding: str = UTF16) -> int:
    """The offset into `text` (code points) of an LSP position."""
    lines = text.split("\n")
    row = min(position.line, len(lines) - 1)
    start = sum(len(part) + 1 for part in lines[:row])
    return start + from_units(lines[row].rstrip("\r"), position.character, encoding)


def position_at(text: str, offset: int, encoding: str = UTF16) -> types.Position:
    """The LSP position of the code-point `offset` into `text`."""
    before = text[:offset]
    row = before.count("\n")
    column_start = before.rfind("\n") + 1
    current = line_text(text, row)
    return types.Position(line=row, character=to_units(current, offset - column_start, encoding))


def whole(text: str, encoding: str = UTF16) -> types.Range:
    """The range of all of `text`."""
    return types.Range(
        start=types.Position(line=0, character=0), end=position_at(text, len(text), encoding)
    )
