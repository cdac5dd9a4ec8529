"""`ldkit format`'s engine: JSON files printed byte for byte as prettier 2.2.1 prints them.

LaunchDarkly's CI runs `prettier --list-different "./**/*.{js,json}"` with
prettier 2.2.1 and its `.prettierrc` (`tabWidth 2`, `endOfLine lf`; the other
options only concern JavaScript). This package reproduces that output for JSON
without Node.js: `build` turns the text into prettier's doc, `printer` lays it
out in 80 columns, `stringify` covers `package.json`-style files, `files` says
which files a folder holds and which ones `.prettierignore` leaves alone.
"""

from __future__ import annotations

from typing import NamedTuple

from ldkit.format.build import JsonSyntaxError, build
from ldkit.format.printer import print_doc
from ldkit.format.stringify import FILE_NAMES, stringify

BOM = "\ufeff"

__all__ = ["BOM", "JsonSyntaxError", "format_json", "first_difference"]


def format_json(text: str, file_name: str = "file.json") -> str:
    """`text` as prettier 2.2.1 formats a file called `file_name`.

    Line breaks become LF and a byte order mark is kept, as prettier does.
    Raises `JsonSyntaxError` (with the offset into `text` minus any BOM, after
    CRLF normalisation) when the text is not strict JSON.
    """
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if file_name in FILE_NAMES:
        formatted = stringify(text)
    else:
        doc = build(text)
        formatted = "" if doc is None else print_doc(doc)
    return BOM + formatted if bom else formatted


class Difference(NamedTuple):
    """Where a file first differs from its formatted form (1-based line)."""

    line: int
    expected: str
    actual: str


def first_difference(original: str, formatted: str) -> Difference | None:
    """The first line of `original` that formatting changes, or None if none does."""
    if original == formatted:
        return None
    old = original.split("\n")
    new = formatted.split("\n")
    for index, (before, after) in enumerate(zip(old, new, strict=False)):
        if before != after:
            return Difference(index + 1, after, before)
    index = min(len(old), len(new))
    return Difference(
        index if len(old) > len(new) else index + 1,
        new[index] if index < len(new) else "",
        old[index] if index < len(old) else "",
    )
