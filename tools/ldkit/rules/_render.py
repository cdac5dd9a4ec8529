"""Rendering a manifest string (an endpoint URL, a header value, a flagLink
block) the way LaunchDarkly's validator does, for the rules that check them."""

from __future__ import annotations

from ldkit.load.lines import LineIndex


def where(error: object) -> str:
    return f"line {error.line}, column {error.column}"  # type: ignore[attr-defined]


def string_index(text: str, line: int, column: int) -> int:
    """The index in `text` of a 1-based line and column inside it (where a
    Handlebars error in a manifest string is, to position the finding there)."""
    return LineIndex(text).offset(line, column)


def render_error(text: str, context: dict[str, object]) -> object | None:
    """Render `text` strictly; the Handlebars error if it throws, else None."""
    from ldkit.handlebars import HandlebarsError, compile_template

    try:
        compile_template(text).render(context)
    except HandlebarsError as error:
        return error
    return None
