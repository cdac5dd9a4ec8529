"""The helpers LaunchDarkly registers, and Handlebars' built-in ones.

Each helper is `helper(this, params, options) -> value`, mirroring the
JavaScript signature `helper(...params, options)` with `this` passed first.
Argument-count checks reproduce what the JavaScript versions do with too few
or too many arguments (throw, or misbehave in a way that throws later),
because a template that throws upstream is rejected there.
"""

from __future__ import annotations

import base64
import math
import time
from urllib.parse import quote

from ldkit.handlebars.renderer import Helper, HelperOptions
from ldkit.handlebars.values import (
    UNDEFINED,
    is_empty,
    is_number,
    strict_equal,
    to_js_string,
    truthy,
)


def _one(params: list[object], options: HelperOptions, name: str) -> object:
    if len(params) != 1:
        raise options.error(f"#{name} requires exactly one argument (got {len(params)})")
    return params[0]


def if_helper(this: object, params: list[object], options: HelperOptions) -> object:
    value = _one(params, options, "if")
    include_zero = truthy(options.hash.get("includeZero", False))
    if (not include_zero and not truthy(value)) or is_empty(value):
        return options.inverse(this)
    return options.fn(this)


def unless_helper(this: object, params: list[object], options: HelperOptions) -> object:
    value = _one(params, options, "unless")
    include_zero = truthy(options.hash.get("includeZero", False))
    if (not include_zero and not truthy(value)) or is_empty(value):
        return options.fn(this)
    return options.inverse(this)


def with_helper(this: object, params: list[object], options: HelperOptions) -> object:
    value = _one(params, options, "with")
    if is_empty(value):
        return options.inverse(this)
    return options.fn(value, None, [value])


def _js_keys(obj: dict[str, object]) -> list[str]:
    """`Object.keys` order: array-index keys ascending first, then insertion order."""
    index_keys = [
        k for k in obj if k.isdigit() and (k == "0" or k[0] != "0") and int(k) < 2**32 - 1
    ]
    if not index_keys:
        return list(obj)
    index_set = set(index_keys)
    return sorted(index_keys, key=int) + [k for k in obj if k not in index_set]


def each(this: object, params: list[object], options: HelperOptions) -> object:
    if not params:
        raise options.error("#each needs the list or object to iterate over")
    if len(params) > 1:
        raise options.error(f"#each takes exactly one argument (got {len(params)})")
    value = params[0]
    out: list[str] = []
    parent = options.data
    if isinstance(value, list):
        items: list[tuple[object, object]] = list(enumerate(value))
    elif isinstance(value, dict):
        items = [(k, value[k]) for k in _js_keys(value)]
    else:
        items = []
    last = len(items) - 1
    for index, (key, item) in enumerate(items):
        data = dict(parent)
        data["_parent"] = parent
        data.update(key=key, index=index, first=index == 0, last=index == last)
        out.append(options.fn(item, data, [item, key]))
    if not items:
        return options.inverse(this)
    return "".join(out)


def lookup(this: object, params: list[object], options: HelperOptions) -> object:
    obj = params[0] if params else UNDEFINED
    if not truthy(obj):
        return obj
    name = params[1] if len(params) > 1 else UNDEFINED
    key = to_js_string(name)
    if isinstance(obj, dict):
        return obj.get(key, UNDEFINED)
    if isinstance(obj, (list, str)):
        if key == "length":
            return len(obj)
        if key.isdigit() and int(key) < len(obj):
            return obj[int(key)]
    return UNDEFINED


def log(this: object, params: list[object], options: HelperOptions) -> object:
    # Handlebars writes to the console; rendering for validation stays silent.
    return UNDEFINED


def equal(this: object, params: list[object], options: HelperOptions) -> object:
    if len(params) != 2:
        raise options.error(
            f"#{options.name} compares exactly two values (got {len(params)}): "
            f"{{{{#{options.name} a b}}}}...{{{{else}}}}...{{{{/{options.name}}}}}"
        )
    if strict_equal(params[0], params[1]):
        return options.fn(this)
    return options.inverse(this)


def _argument(params: list[object], index: int) -> object:
    """A missing JavaScript argument is `undefined`; the first missing one is the
    options object itself, whose string form is `[object Object]`."""
    if index < len(params):
        return params[index]
    return {} if index == len(params) else UNDEFINED


def _encode(options: HelperOptions, value: object, safe: str, name: str) -> str:
    try:
        return quote(to_js_string(value), safe=safe, encoding="utf-8", errors="strict")
    except UnicodeEncodeError:
        message = f"{name}: URI malformed (the text contains a lone surrogate)"
        raise options.error(message) from None


def path_encode(this: object, params: list[object], options: HelperOptions) -> object:
    """JavaScript `encodeURI`."""
    return _encode(options, _argument(params, 0), ";,/?:@&=+$!*'()#~", "pathEncode")


def query_encode(this: object, params: list[object], options: HelperOptions) -> object:
    """JavaScript `encodeURIComponent`."""
    return _encode(options, _argument(params, 0), "!*'()~", "queryEncode")


def basic_auth_header_value(this: object, params: list[object], options: HelperOptions) -> object:
    user = to_js_string(_argument(params, 0))
    password = to_js_string(_argument(params, 1))
    token = base64.b64encode(f"{user}:{password}".encode("utf-8", "surrogatepass")).decode()
    return f"Basic {token}"


def _to_number(value: object) -> float:
    if is_number(value):
        return float(value)  # type: ignore[arg-type]
    if value is None or value is False:
        return 0.0
    if value is True:
        return 1.0
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        try:
            return float(int(text, 0)) if text[:2].lower() in ("0x", "0o", "0b") else float(text)
        except ValueError:
            return math.nan
    return math.nan


def format_with_offset(this: object, params: list[object], options: HelperOptions) -> object:
    """`formatWithOffset ms offsetSeconds format` (one of LaunchDarkly's helpers)."""
    total = _to_number(_argument(params, 0)) + 1000 * _to_number(_argument(params, 1))
    fmt = _argument(params, 2)
    valid = not math.isnan(total) and abs(total) <= 8.64e15
    millis = float(math.trunc(total)) if valid else math.nan
    if fmt == "seconds":
        return math.floor(millis / 1000 + 0.5) if valid else math.nan
    if fmt == "rfc3339":
        if not valid:
            raise options.error("formatWithOffset: invalid time value (RangeError upstream)")
        seconds, ms = divmod(int(millis), 1000)
        stamp = time.gmtime(seconds)
        return time.strftime("%Y-%m-%dT%H:%M:%S", stamp) + f".{ms:03d}Z"
    if fmt == "simple":
        if not valid:
            raise options.error("formatWithOffset: invalid date")
        stamp = time.localtime(int(millis) // 1000)
        hour = stamp.tm_hour % 12 or 12
        return time.strftime("%Y-%m-%d ", stamp) + f"{hour}:" + time.strftime("%M:%S", stamp)
    return int(millis) if valid else math.nan


BUILTIN_HELPERS: dict[str, Helper] = {
    "if": if_helper,
    "unless": unless_helper,
    "each": each,
    "with": with_helper,
    "lookup": lookup,
    "log": log,
}

LAUNCHDARKLY_HELPERS: dict[str, Helper] = {
    "equal": equal,
    "equalWithElse": equal,
    "pathEncode": path_encode,
    "queryEncode": query_encode,
    "basicAuthHeaderValue": basic_auth_header_value,
    "formatWithOffset": format_with_offset,
}

HELPERS: dict[str, Helper] = {**BUILTIN_HELPERS, **LAUNCHDARKLY_HELPERS}

#: Helpers LaunchDarkly's servers provide but the public validator does not
#: register: never rendered, but never "unknown" either.
SERVER_SIDE_HELPERS = frozenset({"edgeGridAuth"})
