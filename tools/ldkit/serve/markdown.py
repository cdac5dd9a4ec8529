"""A tiny, safe Markdown renderer for change-history entries.

Trigger entries (see `ldkit.trigger.core`) hold backslash-escaped text and at
most a link `[name](url)`. This renders exactly that subset and nothing more:
every character of the input reaches the page HTML-escaped, a link becomes an
`<a>` only when its target is an absolute http(s) URL, and there is no raw
HTML, no images, no emphasis. What is not understood is shown as text. A
general Markdown library would bring HTML pass-through and autolinks we would
then have to turn off one by one.
"""

from __future__ import annotations

import html
import re

from ldkit.trigger.markdown import SAFE_URL

_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LINK_ATTRIBUTES = 'rel="noopener noreferrer nofollow" referrerpolicy="no-referrer"'


def _unescape_until(text: str, start: int, stop: str) -> tuple[str, int] | None:
    """Plain text from `start` up to the first unescaped `stop` character;
    returns the text and the index of `stop`, or None when there is none."""
    out: list[str] = []
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            out.append(text[i + 1])
            i += 2
            continue
        if char == stop:
            return "".join(out), i
        if char == "\n" and stop == ")":
            return None
        out.append(char)
        i += 1
    return None


def _link_target(text: str, start: int) -> tuple[str, int] | None:
    """A link destination: no whitespace, no unescaped parentheses."""
    found = _unescape_until(text, start, ")")
    if found is None:
        return None
    target, end = found
    if any(c.isspace() or c in "()<>" for c in target):
        return None
    return target, end


def is_safe_url(url: str) -> bool:
    return SAFE_URL.match(url) is not None


def render_inline(text: str) -> str:
    """One paragraph: escaped text and links."""
    out: list[str] = []
    plain: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            plain.append(text[i + 1])
            i += 2
            continue
        if char == "[":
            label = _unescape_until(text, i + 1, "]")
            if label is not None and text[label[1] + 1 : label[1] + 2] == "(":
                target = _link_target(text, label[1] + 2)
                if target is not None and is_safe_url(target[0]) and label[0]:
                    out.append(html.escape("".join(plain)))
                    plain = []
                    href = html.escape(target[0], quote=True)
                    name = html.escape(label[0])
                    out.append(f'<a href="{href}" {_LINK_ATTRIBUTES}>{name}</a>')
                    i = target[1] + 1
                    continue
        if char == "\n":
            out.append(html.escape("".join(plain)))
            plain = []
            out.append("<br>")
            i += 1
            continue
        plain.append(char)
        i += 1
    out.append(html.escape("".join(plain)))
    return "".join(out)


def render(text: str) -> str:
    """Paragraphs (separated by blank lines) of `render_inline`."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
    return "".join(f"<p>{render_inline(p)}</p>" for p in paragraphs)
