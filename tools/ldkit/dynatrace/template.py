"""Where each placeholder sits in a custom-payload template, read as JSON.

Dynatrace substitutes text, but whether the result is JSON depends on where each
placeholder sits: text placeholders must be inside a JSON string, JSON
placeholders must stand bare. A strict parser cannot answer that, because a
template with bare `{ImpactedEntities}` is not JSON until it is rendered. So this
scanner walks the template leniently, tracking strings (with escapes) and the
object/array nesting, and notes for every placeholder whether it is quoted and
which RFC 6901 pointer the value it belongs to will have after rendering.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ldkit.dynatrace.placeholders import TOKEN
from ldkit.load.pointer import child


@dataclass(frozen=True)
class Site:
    """One placeholder-shaped token in the template."""

    start: int
    end: int
    in_string: bool
    pointer: str


@dataclass
class _Frame:
    pointer: str
    is_object: bool
    key: str | None = None
    expect_key: bool = True
    index: int = 0

    def value_pointer(self) -> str:
        if not self.is_object:
            return child(self.pointer, self.index)
        if self.key is not None and not self.expect_key:
            return child(self.pointer, self.key)
        return self.pointer


def _string_end(text: str, start: int) -> tuple[int, bool]:
    """Offset just past the closing quote of the string opening at `start`, and
    whether there was one (an unterminated string runs to the end of the text)."""
    i = start + 1
    length = len(text)
    while i < length:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == '"':
            return i + 1, True
        i += 1
    return length, False


def _decode_key(raw: str) -> str:
    try:
        value = json.loads('"' + raw + '"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


#: Nesting tracked with pointers; deeper brackets are only counted. A frame
#: holds its pointer string, so tracking every level of a hostile template of
#: nested brackets would cost memory quadratic in its length. No JSON document
#: ldkit accepts is deeper (see `ldkit.load.jsonpos.MAX_DEPTH`).
MAX_TRACKED_DEPTH = 256


def scan(text: str) -> dict[int, Site]:
    """Every token matched by `TOKEN`, keyed by its start offset."""
    sites: dict[int, Site] = {}
    stack: list[_Frame] = []
    untracked = 0  # open brackets beyond MAX_TRACKED_DEPTH

    def pointer() -> str:
        return stack[-1].value_pointer() if stack else ""

    i = 0
    length = len(text)
    while i < length:
        char = text[i]
        if char == '"':
            end, closed = _string_end(text, i)
            inner_end = end - 1 if closed else end
            top = stack[-1] if stack else None
            if top is not None and top.is_object and top.expect_key and not untracked:
                top.key = _decode_key(text[i + 1 : inner_end])
                where = child(top.pointer, top.key)
            else:
                where = pointer()
            for match in TOKEN.finditer(text, i + 1, inner_end):
                sites[match.start()] = Site(match.start(), match.end(), True, where)
            i = end
            continue
        if char == "{":
            match = TOKEN.match(text, i)
            if match:
                sites[i] = Site(i, match.end(), False, pointer())
                i = match.end()
                continue
            if len(stack) < MAX_TRACKED_DEPTH:
                stack.append(_Frame(pointer(), is_object=True))
            else:
                untracked += 1
        elif char == "[":
            if len(stack) < MAX_TRACKED_DEPTH:
                stack.append(_Frame(pointer(), is_object=False))
            else:
                untracked += 1
        elif char in "}]":
            if untracked:
                untracked -= 1
            elif stack:
                stack.pop()
        elif untracked:
            pass  # separators deep inside untracked nesting do not move tracked pointers
        elif char == "," and stack:
            top = stack[-1]
            if top.is_object:
                top.expect_key, top.key = True, None
            else:
                top.index += 1
        elif char == ":" and stack and stack[-1].is_object:
            stack[-1].expect_key = False
        i += 1
    return sites
