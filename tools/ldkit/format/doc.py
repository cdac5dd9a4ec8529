"""The document model prettier prints from, reduced to what JSON needs.

Prettier does not print a syntax tree directly: it first turns the tree into a
"doc" of text, groups, indentation and line breaks, then lays the doc out in
80 columns. Reproducing its output byte for byte means reproducing that model:
a `Group` is printed flat (its `LINE`s become spaces and `SOFTLINE`s nothing)
when it fits, otherwise broken (every line becomes a newline). `HARDLINE`
always breaks, and so does every group around it, which `Group.broken`
records when the doc is built (prettier's `propagateBreaks`). Prettier's other
doc parts (fill, if-break, align, line suffixes) are never produced for JSON
files by prettier 2.2.1, so they are not modelled.

A doc is a `str`, a `list` of docs (concatenation), a `Group`, an `Indent` or
one of the three `Line` constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from ldkit.format.width import string_width


@dataclass(frozen=True)
class Line:
    """A place where the printer may (soft/plain) or must (hard) break."""

    soft: bool = False
    hard: bool = False


LINE = Line()
SOFTLINE = Line(soft=True)
HARDLINE = Line(hard=True)


class Group:
    """Contents printed flat if they fit in the remaining width, else broken.

    `broken` is prettier's `shouldBreak` or-ed with the propagated breaks of
    everything inside. `flat` caches the group's flat text: a group that is not
    broken has no hard line inside, so its flat form is one line of text.
    """

    __slots__ = ("contents", "broken", "_flat", "_width")

    def __init__(self, contents: Doc, broken: bool = False) -> None:
        self.contents = contents
        self.broken = broken
        self._flat: str | None = None
        self._width = -1

    def flat(self) -> str:
        if self._flat is None:
            self._flat = flat_text(self.contents)
        return self._flat

    def flat_width(self) -> int:
        """Columns the flat text takes."""
        if self._width < 0:
            self._width = string_width(self.flat())
        return self._width


class Indent:
    """Contents whose line breaks indent one level (two spaces) deeper."""

    __slots__ = ("contents",)

    def __init__(self, contents: Doc) -> None:
        self.contents = contents


Doc: TypeAlias = str | list["Doc"] | Group | Indent | Line


def flat_text(doc: Doc) -> str:
    """The text of `doc` printed flat (only meaningful without hard lines)."""
    parts: list[str] = []
    stack: list[Doc] = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, Group):
            parts.append(item.flat())
        elif isinstance(item, Indent):
            stack.append(item.contents)
        elif not item.soft:
            parts.append(" ")
    return "".join(parts)
