"""Text and links in a change-history entry, which LaunchDarkly renders as
Markdown: escaping that makes any event name render as itself, link targets
that cannot break out of the link, and which URLs may become links at all
(`SAFE_URL`, shared with `ldkit serve`'s renderer)."""

from __future__ import annotations

import re

from ldkit.trigger.body import scalar_text

#: The start of a URL that may become a link: an absolute http(s) URL with a
#: host right after `//`. Deliberately stricter than browsers.
SAFE_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s\\]")


# Every ASCII character that means something to CommonMark or GFM inline syntax
# (emphasis, code, links, images, autolinks, HTML, tables, strikethrough,
# entities), plus '.' and ':' so that text never forms a bare `www.` or
# `https:` autolink. Backslash escapes are defined for all of them.
_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|~<>&:@\"'=^$%"
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f()<>\[\]\\`\"'{}|^]")


# Metacharacters gain a backslash. Bidirectional overrides and isolates
# reorder what a reader sees (a name that displays as "...fine" while saying
# something else); they carry no meaning in an event name, so they are
# dropped. Joiners (U+200D) stay: emoji need them.
_ESCAPES: dict[int, str | None] = {ord(c): "\\" + c for c in _MARKDOWN_SPECIAL}
_ESCAPES.update(dict.fromkeys(range(0x202A, 0x202F)))
_ESCAPES.update(dict.fromkeys(range(0x2066, 0x206A)))
_ESCAPES.update({0x200E: None, 0x200F: None})
# GFM turns `name@example.com` into a mailto link whatever is escaped (cmark-gfm
# joins the text back before looking for addresses); an invisible word joiner
# after the `@` ends the address there, so no link is formed.
_ESCAPES[ord("@")] = "\\@\u2060"


def escape_markdown(text: str) -> str:
    """Plain text that renders as itself: every line break or control
    character becomes one space, bidirectional controls are dropped,
    metacharacters are backslash-escaped, an e-mail address cannot become a
    link, and leading spaces (four would start a code block; fewer are not
    shown anyway) are dropped."""
    if _LINE_BREAKS.search(text):
        text = _LINE_BREAKS.sub(" ", text)
    return text.lstrip(" ").translate(_ESCAPES)


def link_target(url: str) -> str:
    """A URL that cannot end the Markdown link early or add a title:
    characters with a meaning there are percent-encoded, `%` is kept."""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


def markdown_text(value: object) -> str:
    """Template filter: strings escaped; numbers and booleans as their JSON
    text, which holds no character Markdown could act on."""
    if isinstance(value, str):
        return escape_markdown(value)
    return scalar_text(value) or ""
