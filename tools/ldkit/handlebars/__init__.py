"""A small Handlebars implementation with Handlebars.js 4.7 strict-mode semantics.

Why our own: LaunchDarkly's validator renders templates with Handlebars.js in
strict mode, and whether a template is accepted depends on the exact strict
rules (which missing fields throw and which do not). No maintained Python
package reproduces them (pybars3 has no strict mode), so ldkit implements the
subset integration templates use, tested rule by rule against the documented
behaviour. Templates are parsed once per process (`compile` caches by source).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from ldkit.handlebars.errors import HandlebarsError, TemplateRenderError, TemplateSyntaxError
from ldkit.handlebars.values import UNDEFINED

__all__ = [
    "UNDEFINED",
    "HandlebarsError",
    "Template",
    "TemplateRenderError",
    "TemplateSyntaxError",
    "compile_template",
    "render",
]


class Template:
    """A parsed template; render it as often as needed."""

    def __init__(self, source: str) -> None:
        from ldkit.handlebars.parser import parse

        self.source = source
        self.program = parse(source)

    def render(self, context: object, helpers: Mapping[str, object] | None = None) -> str:
        """Render strictly; raises `TemplateRenderError` where Handlebars.js would throw."""
        from ldkit.handlebars.helpers import HELPERS
        from ldkit.handlebars.renderer import Renderer

        table = HELPERS if helpers is None else {**HELPERS, **helpers}
        return Renderer(self.source, table).render(self.program, context)  # type: ignore[arg-type]

    def render_mapped(
        self, context: object, helpers: Mapping[str, object] | None = None
    ) -> tuple[str, list[int]] | None:
        """The output and, per output character, the template offset it comes
        from (a mustache's value maps to its `{{`), so a problem found in the
        output can be shown in the template. None when the template itself holds
        the private-use characters the map is built with."""
        from ldkit.handlebars.helpers import HELPERS
        from ldkit.handlebars.renderer import MARK_CLOSE, MARK_OPEN, Renderer, source_map

        if MARK_OPEN in self.source or MARK_CLOSE in self.source:
            return None
        table = HELPERS if helpers is None else {**HELPERS, **helpers}
        renderer = Renderer(self.source, table, mapped=True)  # type: ignore[arg-type]
        marked = renderer.render(self.program, context)
        assert renderer.marks is not None
        return source_map(marked, renderer.marks)

    def helper_calls(self) -> list[tuple[str, int]]:
        """(name, offset) of every helper-style call, for static checks."""
        from ldkit.handlebars.renderer import program_uses

        return program_uses(self.program)


@lru_cache(maxsize=1024)
def compile_template(source: str) -> Template:
    """Parse once per process; raises `TemplateSyntaxError` with line and column."""
    return Template(source)


def render(source: str, context: object) -> str:
    return compile_template(source).render(context)
