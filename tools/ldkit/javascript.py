"""JavaScript's semantics, defined once for every layer that imitates a
JavaScript tool (the Handlebars engine, the prettier-compatible formatter, the
Ajv-compatible schema layer, the reference trigger): `undefined`, truthiness,
`String(value)` and `Number::toString`, which characters are whitespace, and
the words for JSON types.

JSON data is held as Python values (`dict`, `list`, `str`, `int`/`float`,
`bool`, `None` for `null`); `UNDEFINED` stands for a missing property.
"""

from __future__ import annotations

import math

#: The characters JavaScript's `\s` and `String.prototype.trim` treat as
#: whitespace (WhiteSpace and LineTerminator of ECMA-262), written as the
#: inside of a Python character class.
JS_WHITESPACE = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)


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


def json_type_word(value: object) -> str:
    """The JSON type of a value in words: `object`, `array`, `string`,
    `boolean`, `null` or `number`."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"
