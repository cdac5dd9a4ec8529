"""Rendering a manifest string (an endpoint URL, a header value, a flagLink
block) the way LaunchDarkly's validator does, for the rules that check them."""

from __future__ import annotations


def where(error: object) -> str:
    return f"line {error.line}, column {error.column}"  # type: ignore[attr-defined]


def render_error(text: str, context: dict[str, object]) -> object | None:
    """Render `text` strictly; the Handlebars error if it throws, else None."""
    from ldkit.handlebars import HandlebarsError, compile_template

    try:
        compile_template(text).render(context)
    except HandlebarsError as error:
        return error
    return None
