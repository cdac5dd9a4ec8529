"""RFC 6901 JSON pointers: building, parsing and resolving.

Used both for reporting (every finding carries a pointer into the manifest) and
at run time by the reference trigger parser, so resolution follows the RFC
exactly: `~1` is `/`, `~0` is `~`, array indices are decimal without leading
zeros, and `-` never resolves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_VALID_POINTER = re.compile(r"(/([^~/]|~[01])*)*\Z")
_ARRAY_INDEX = re.compile(r"(0|[1-9][0-9]*)\Z")

MISSING = object()
"""Returned by `resolve` when the pointer names nothing in the document."""


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(parts: Iterable[str | int]) -> str:
    """Build a pointer from unescaped reference tokens."""
    return "".join("/" + escape(str(part)) for part in parts)


def child(pointer: str, token: str | int) -> str:
    return pointer + "/" + escape(str(token))


def is_valid(pointer: str) -> bool:
    """True when `pointer` is a syntactically valid RFC 6901 pointer."""
    return bool(_VALID_POINTER.match(pointer))


def problem(pointer: str) -> str | None:
    """Why `pointer` is not a valid RFC 6901 pointer, or None when it is."""
    if pointer == "":
        return None
    if not pointer.startswith("/"):
        return "a JSON pointer must start with '/'"
    match = re.search(r"~(?![01])", pointer)
    if match:
        return "'~' must be escaped as '~0' ('~1' stands for '/')"
    return None


def names_a_field(pointer: str | None) -> bool:
    """A parser pointer that reads one field of a body: not missing, not "" (the
    whole body) and valid. A pointer that fails this is the manifest's own
    finding (LD101/LD102, LD410, LD411); checks that read bodies through it say
    nothing about what it then misses."""
    return bool(pointer) and problem(pointer or "") is None


def split(pointer: str) -> list[str]:
    """Unescaped reference tokens of a valid pointer."""
    if pointer == "":
        return []
    if not is_valid(pointer):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape(token) for token in pointer.split("/")[1:]]


def resolve(document: object, pointer: str) -> object:
    """The value `pointer` names in `document`, or `MISSING`."""
    try:
        tokens = split(pointer)
    except ValueError:
        return MISSING
    node = document
    for token in tokens:
        if isinstance(node, dict):
            if token not in node:
                return MISSING
            node = node[token]
        elif isinstance(node, list):
            # A list cannot hold more items than an index of 19 digits can count,
            # and int() of a 5,000-digit token would raise.
            if not _ARRAY_INDEX.match(token) or len(token) > 19:
                return MISSING
            index = int(token)
            if index >= len(node):
                return MISSING
            node = node[index]
        else:
            return MISSING
    return node


def parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if pointer else ""
