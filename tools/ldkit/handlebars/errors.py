"""Errors raised while compiling or rendering a template.

Both kinds carry a 1-based line and column inside the template, because a
partner fixing a template needs to know where in *that file* the problem is;
the manifest position alone only says which template it was.
"""

from __future__ import annotations


class HandlebarsError(Exception):
    """Base class: `message` is the plain explanation, `line`/`column` the place."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.line = line
        self.column = column


class TemplateSyntaxError(HandlebarsError):
    """The template does not parse (Handlebars.js throws at compile time)."""


class TemplateRenderError(HandlebarsError):
    """Rendering failed (Handlebars.js in strict mode throws at render time)."""
