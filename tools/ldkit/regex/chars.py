"""Which characters an atom matches, decided by Python's own engine over a
small alphabet of representatives: two atoms overlap when one matches both."""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

# ---------------------------------------------------------------------------
# character semantics, decided by Python's own engine

# Representative characters: all of ASCII plus a few non-ASCII letters, digits,
# spaces and line separators. Two atoms overlap when a representative matches both.
ALPHABET = tuple(chr(c) for c in range(128)) + (
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
def char_mask(source: str, flags: int) -> int:
    """Bit i set when `ALPHABET[i]` is one character `source` matches."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = re.compile(source, flags)
    except re.error:
        return (1 << len(ALPHABET)) - 1  # unknown: assume it matches anything
    mask = 0
    for index, char in enumerate(ALPHABET):
        if compiled.fullmatch(char):
            mask |= 1 << index
    return mask
