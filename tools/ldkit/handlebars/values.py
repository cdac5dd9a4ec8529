"""JavaScript value semantics for JSON data, as Handlebars.js sees it.

Templates are rendered by Handlebars.js upstream, so truthiness, string
conversion, equality and HTML escaping must follow JavaScript, not Python:
`0` and `""` are falsy, `[]` is truthy, `true` prints as `true`, `1 === true`
is false, and numbers print the way `String(n)` prints them.
"""

from __future__ import annotations

import math
import re


class _Undefined:
    """JavaScript `undefined`: what a missing property evaluates to.

    Kept distinct from `None` (JSON `null`) because Handlebars treats them
    differently in places (`String(undefined)` is `"undefined"`, and
    `undefined === null` is false).
    """

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED = _Undefined()

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


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def truthy(value: object) -> bool:
    """JavaScript truthiness: objects and arrays (even empty) are truthy."""
    if value is None or value is UNDEFINED or value is False:
        return False
    if is_number(value):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def is_empty(value: object) -> bool:
    """Handlebars' `Utils.isEmpty`: falsy but not 0, or an empty array."""
    if not truthy(value) and not (is_number(value) and value == 0):
        return True
    return isinstance(value, list) and not value


def number_to_string(value: float | int) -> str:
    """`String(n)` in JavaScript (ECMAScript Number::toString) for JSON numbers."""
    if isinstance(value, int) and abs(value) < 10**21:
        return str(value)
    try:
        value = float(value)
    except OverflowError:  # an integer beyond any double is Infinity in JavaScript
        value = math.inf if value > 0 else -math.inf
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # Python's repr gives the same shortest round-trip digits as JavaScript;
    # only the choice between fixed and exponent notation differs.
    mantissa, _, exp_text = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + (int(exp_text) if exp_text else 0)
    point -= len(whole + fraction) - len((whole + fraction).lstrip("0"))
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= point <= 21:
        return sign + digits + "0" * (point - k)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * (-point) + digits
    e = point - 1
    exp = f"e{'+' if e >= 0 else '-'}{abs(e)}"
    if k == 1:
        return sign + digits + exp
    return sign + digits[0] + "." + digits[1:] + exp


def to_js_string(value: object) -> str:
    """`String(value)` in JavaScript (used by helpers such as `encodeURI`)."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if is_number(value):
        return number_to_string(value)  # type: ignore[arg-type]
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if v is None or v is UNDEFINED else to_js_string(v) for v in value)
    return "[object Object]"


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
