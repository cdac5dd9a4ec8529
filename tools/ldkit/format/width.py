"""How many columns a piece of text takes, as prettier 2.2.1 counts them.

Whether a group fits in 80 columns depends on the width of its text. Prettier
counts printable ASCII one column per character and otherwise uses the
`string-width` package: control and combining characters take no column,
East Asian wide and full-width characters take two, and an emoji takes two.
The full-width ranges below are the published East Asian Width ranges that
package uses; emoji are recognised by their Unicode blocks (with their joiners,
variation selectors and skin-tone modifiers), which covers what manifests
contain.
"""

from __future__ import annotations

import re
from functools import cache

_PLAIN = re.compile(r"[\x20-\x7f]*")

# (first, last) code points that take two columns.
_WIDE = (
    (0x1100, 0x115F),
    (0x2329, 0x232A),
    (0x2E80, 0x303E),
    (0x3040, 0x3247),
    (0x3250, 0x4DBF),
    (0x4E00, 0xA4C6),
    (0xA960, 0xA97C),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE6B),
    (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6),
    (0x1B000, 0x1B001),
    (0x1F200, 0x1F251),
    (0x20000, 0x3FFFD),
)

# An emoji: a pictograph (optionally with a variation selector or skin tone),
# possibly joined to more by zero-width joiners, or a regional-indicator pair.
# Compiled on the first text that is not plain ASCII (most manifests have none).
_EMOJI = (
    "(?:[\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff"
    "\U0001f900-\U0001f9ff\U0001fa70-\U0001faff\u2600-\u27bf]"
    "[\ufe0f\U0001f3fb-\U0001f3ff]*"
    "(?:\u200d[\U0001f300-\U0001faff\u2600-\u27bf][\ufe0f\U0001f3fb-\U0001f3ff]*)*)"
    "|[\U0001f1e6-\U0001f1ff]{2}"
)


@cache
def _emoji() -> re.Pattern[str]:
    return re.compile(_EMOJI)


def _is_wide(code: int) -> bool:
    if code < 0x1100:
        return False
    return any(first <= code <= last for first, last in _WIDE)


def string_width(text: str) -> int:
    """Columns `text` takes on one line."""
    if text.isascii() and (text.isprintable() or _PLAIN.fullmatch(text)):
        return len(text)
    text = _emoji().sub("  ", text)
    width = 0
    for char in text:
        code = ord(char)
        if code <= 0x1F or 0x7F <= code <= 0x9F or 0x300 <= code <= 0x36F:
            continue
        width += 2 if _is_wide(code) else 1
    return width
