"""Errors raised while compiling or rendering a template.

Both kinds carry the offset in the template where the problem is, because a
partner fixing a template needs to know where in *that file* it is; the
manifest position alone only says which template it was. The offset is
turned into a line and column once, where the error is shown (`line`,
`column`, `str()`), or used as it is to place a finding inside a string.
"""

from __future__ import annotations

from ldkit.load.lines import position


class HandlebarsError(Exception):
    """Base class: `message` is the plain explanation, `offset` the place in `source`."""

    def __init__(self, message: str, offset: int = 0, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.source = source

    @property
    def line(self) -> int:
        return position(self.source, self.offset)[0]

    @property
    def column(self) -> int:
        return position(self.source, self.offset)[1]

    def __str__(self) -> str:
        line, column = position(self.source, self.offset)
        return f"{self.message} (line {line}, column {column})"


class TemplateSyntaxError(HandlebarsError):
    """The template does not parse (Handlebars.js throws at compile time)."""


class TemplateRenderError(HandlebarsError):
    """Rendering failed (Handlebars.js in strict mode throws at render time)."""
