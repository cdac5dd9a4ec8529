"""Where in a JSON document the cursor is, for text an editor holds half-typed.

Hover and completion need the JSON pointer of the place under the cursor, and
whether it is a key or a value, in text that is often not JSON yet (a key
typed without its value, a missing comma). `place_at` scans tokens from the
start up to the cursor, keeping a stack of open objects and arrays, and never
fails: unknown characters are skipped, an unterminated string ends at the line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ldkit.load.pointer import child

_LITERAL_END = set(' \t\r\n,:{}[]"')


@dataclass
class Place:
    """The cursor's place: `container` is the pointer of the object or array it
    is in; `role` is "key" (naming a member), "value" (a member's value or an
    array item) or "" (between tokens where neither fits). `pointer` is the
    value's pointer for a value and the member's for a key. `token` is the string
    under the cursor (decoded), with its offsets, when there is one."""

    container: str = ""
    role: str = ""
    pointer: str = ""
    key: str | None = None
    token: str | None = None
    start: int = 0
    end: int = 0
    siblings: set[str] = field(default_factory=set)


@dataclass
class _Frame:
    pointer: str
    is_object: bool
    keys: set[str] = field(default_factory=set)
    key: str | None = None
    expect: str = "key"  # object: key, colon, value, comma; array: value, comma
    index: int = 0


def _string_end(text: str, start: int) -> tuple[int, bool]:
    """The offset after the string starting at `start` (a quote), and whether
    it was closed (else it ends at the line's end)."""
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1, True
        if char == "\n":
            return index, False
        index += 1
    return len(text), False


def _decode(raw: str) -> str:
    try:
        value = json.loads(raw if raw.endswith('"') and len(raw) > 1 else raw + '"')
    except ValueError:
        return raw.strip('"')
    return value if isinstance(value, str) else raw.strip('"')


def place_at(text: str, offset: int) -> Place:
    """The place of `offset` in `text` (see `Place`)."""
    stack: list[_Frame] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in " \t\r\n":
            index += 1
            continue
        if index > offset:
            break
        frame = stack[-1] if stack else None
        if char == '"':
            end, closed = _string_end(text, index)
            if index < offset <= end or (index == offset and frame is not None):
                return _on_string(frame, text, index, end)
            if not closed:  # a string still being typed elsewhere: not a token yet
                index = end
                continue
            value = _decode(text[index:end])
            if frame is not None and frame.is_object and frame.expect == "key":
                frame.key = value
                frame.keys.add(value)
                frame.expect = "colon"
            elif frame is not None:
                frame.expect = "comma"
            index = end
            continue
        if index >= offset:
            break
        if char in "{[":
            pointer = _value_pointer(frame) if frame is not None else ""
            if frame is not None:
                frame.expect = "comma"
            stack.append(_Frame(pointer, char == "{", expect="key" if char == "{" else "value"))
        elif char in "}]":
            if stack:
                stack.pop()
        elif char == ":":
            if frame is not None and frame.is_object:
                frame.expect = "value"
        elif char == ",":
            if frame is not None:
                if frame.is_object:
                    frame.expect, frame.key = "key", None
                else:
                    frame.expect = "value"
                    frame.index += 1
        else:
            end = index
            while end < len(text) and text[end] not in _LITERAL_END:
                end += 1
            if frame is not None:
                frame.expect = "comma"
            index = max(end, index + 1)
            continue
        index += 1
    return _between(stack[-1] if stack else None)


def _value_pointer(frame: _Frame) -> str:
    if frame.is_object:
        return child(frame.pointer, frame.key or "")
    return child(frame.pointer, str(frame.index))


def _on_string(frame: _Frame | None, text: str, start: int, end: int) -> Place:
    token = _decode(text[start:end])
    if frame is None:
        return Place(role="value", token=token, start=start, end=end)
    if frame.is_object and frame.expect == "key":
        return Place(
            container=frame.pointer,
            role="key",
            pointer=child(frame.pointer, token),
            key=token,
            token=token,
            start=start,
            end=end,
            siblings=set(frame.keys),
        )
    if frame.is_object and frame.expect == "value" or not frame.is_object:
        return Place(
            container=frame.pointer,
            role="value",
            pointer=_value_pointer(frame),
            key=frame.key if frame.is_object else None,
            token=token,
            start=start,
            end=end,
            siblings=set(frame.keys),
        )
    return Place(container=frame.pointer, siblings=set(frame.keys))


def _between(frame: _Frame | None) -> Place:
    if frame is None:
        return Place()
    if frame.is_object and frame.expect == "key":
        return Place(container=frame.pointer, role="key", siblings=set(frame.keys))
    if frame.expect == "value":
        return Place(
            container=frame.pointer,
            role="value",
            pointer=_value_pointer(frame),
            key=frame.key if frame.is_object else None,
            siblings=set(frame.keys),
        )
    return Place(container=frame.pointer, siblings=set(frame.keys))
