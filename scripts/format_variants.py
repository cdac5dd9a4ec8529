"""Reformatted variants of JSON files, shared by the format golden generator and benchmarks.

Prettier's output for a JSON file depends on how the file was written (a line
break after `{` keeps an object expanded, blank lines are kept, numbers and
escapes are normalised), so each source file is also rewritten in the ways
partners' files are: re-indented, minified, fully expanded, with CRLF line
breaks, without a final newline. `VARIANTS` maps a variant name to a function
from the source text to the variant text (None when the variant does not apply).
"""

from __future__ import annotations

import json
from collections.abc import Callable


def _value(text: str) -> object:
    return json.loads(text, object_pairs_hook=_Pairs)


class _Pairs(dict):
    """Keeps duplicate keys out of the way: variants only need the value."""


def _dumps(text: str, **options: object) -> str:
    return json.dumps(_value(text), ensure_ascii=False, **options)  # type: ignore[arg-type]


VARIANTS: dict[str, Callable[[str], str | None]] = {
    "original": lambda text: text,
    "indent4": lambda text: _dumps(text, indent=4) + "\n",
    "tabs": lambda text: _dumps(text, indent="\t") + "\n",
    "minified": lambda text: _dumps(text, separators=(",", ":")),
    "one-line": lambda text: _dumps(text) + "\n",
    "expanded": lambda text: _dumps(text, indent=2) + "\n",
    "crlf": lambda text: text.replace("\r\n", "\n").replace("\n", "\r\n"),
    "no-final-newline": lambda text: text.rstrip("\r\n"),
    "ascii-escaped": lambda text: json.dumps(_value(text), indent=2) + "\n",
}
