"""JavaScript value semantics for JSON data, as Handlebars.js sees it (the
language's own rules, `undefined`, truthiness and `String(value)`, are
`ldkit.javascript`'s; this module adds Handlebars' emptiness, output,
HTML escaping and equality).

Templates are rendered by Handlebars.js upstream, so truthiness, string
conversion, equality and HTML escaping must follow JavaScript, not Python:
`0` and `""` are falsy, `[]` is truthy, `true` prints as `true`, `1 === true`
is false, and numbers print the way `String(n)` prints them.
"""

from __future__ import annotations

import re

from ldkit.javascript import UNDEFINED, is_number, number_to_string, to_js_string, truthy

__all__ = [
    "UNDEFINED",
    "escape_html",
    "is_empty",
    "is_number",
    "number_to_string",
    "strict_equal",
    "to_js_string",
    "to_output",
    "truthy",
]


_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
    "`": "&#x60;",
    "=": "&#x3D;",
}
_ESCAPE_RE = re.compile("[&<>\"'`=]")


def is_empty(value: object) -> bool:
    """Handlebars' `Utils.isEmpty`: falsy but not 0, or an empty array."""
    if not truthy(value) and not (is_number(value) and value == 0):
        return True
    return isinstance(value, list) and not value


def to_output(value: object) -> str:
    """What `{{{x}}}` appends: nothing for null/undefined, else `String(x)`."""
    if value is None or value is UNDEFINED:
        return ""
    return to_js_string(value)


def escape_html(text: str) -> str:
    """Handlebars' `escapeExpression` for an already converted string."""
    if not _ESCAPE_RE.search(text):
        return text
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def strict_equal(a: object, b: object) -> bool:
    """JavaScript `===` for JSON values: same type and value; objects by identity."""
    if a is UNDEFINED or b is UNDEFINED:
        return a is b
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return a is b
