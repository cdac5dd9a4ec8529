"""`package.json`-style printing: what prettier 2.2.1 does for three file names.

Prettier formats `package.json`, `package-lock.json` and `composer.json` with
its `json-stringify` parser, which prints like `JSON.stringify(value, null, 2)`:
every non-empty object and array broken, strings re-escaped from their value,
numbers printed the way JavaScript prints them, duplicate keys kept. Layout
does not depend on how the source was written, so the standard library's C
parser reads the file (numbers kept as written, `NaN` and friends refused).
"""

from __future__ import annotations

import json
import re

from ldkit.format.build import JsonSyntaxError
from ldkit.javascript import number_to_string

FILE_NAMES = frozenset({"package.json", "package-lock.json", "composer.json"})

_SURROGATE = re.compile("[\ud800-\udfff]")
_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\\ud800-\udfff]')


class _Number(str):
    """A number as written in the file."""


class _Members(list):  # type: ignore[type-arg]
    """An object's (key, value) pairs, duplicates and order kept."""


def _refuse(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def js_number(raw: str) -> str:
    """`String(Number(raw))` in JavaScript, for a JSON number without its sign."""
    return number_to_string(float(raw))


def _js_string(value: str) -> str:
    if not _NEEDS_ESCAPE.search(value):
        return '"' + value + '"'
    text = json.dumps(value, ensure_ascii=False)
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _emit(value: object, indent: str, out: list[str]) -> None:
    if isinstance(value, _Members):
        if not value:
            out.append("{}")
            return
        inner = "\n" + indent + "  "
        out.append("{")
        for index, (key, item) in enumerate(value):
            out.append(("," if index else "") + inner + _js_string(key) + ": ")
            _emit(item, indent + "  ", out)
        out.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = "\n" + indent + "  "
        out.append("[")
        for index, item in enumerate(value):
            out.append(("," if index else "") + inner)
            _emit(item, indent + "  ", out)
        out.append("\n" + indent + "]")
    elif isinstance(value, _Number):
        sign = "-" if value.startswith("-") else ""
        text = js_number(value.lstrip("-"))
        # JSON.stringify writes a number that overflows to Infinity as null.
        out.append("null" if text == "Infinity" else sign + text)
    elif isinstance(value, str):
        out.append(_js_string(value))
    elif value is None:
        out.append("null")
    else:
        out.append("true" if value else "false")


def stringify(text: str) -> str:
    """The whole file printed as prettier prints `package.json` (LF, no BOM)."""
    if not text.strip(" \t\n"):
        return ""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_Members,
            parse_float=_Number,
            parse_int=_Number,
            parse_constant=_refuse,
        )
    except json.JSONDecodeError as error:
        raise JsonSyntaxError(error.msg, error.pos) from None
    except (ValueError, RecursionError) as error:
        raise JsonSyntaxError(str(error), 0) from None
    out: list[str] = []
    _emit(value, "", out)
    out.append("\n")
    return "".join(out)
