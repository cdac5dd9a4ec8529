"""Python's `json` errors, worded and placed the same on every supported Python.

Python 3.13 reports a trailing comma as "Illegal trailing comma before end of
object" (or array) at the comma; Python 3.10 to 3.12 report "Expecting property
name enclosed in double quotes" (or "Expecting value") at the closing bracket.
Findings quote the message and position, so ldkit turns the 3.13 form into the
earlier one: the same input gives the same finding on every interpreter.
"""

from __future__ import annotations

import json

_TRAILING_COMMA = {
    "Illegal trailing comma before end of object": (
        "Expecting property name enclosed in double quotes"
    ),
    "Illegal trailing comma before end of array": "Expecting value",
}
_WHITESPACE = " \t\n\r"


def portable(error: json.JSONDecodeError) -> json.JSONDecodeError:
    """`error` as Python 3.10 to 3.12 word and place it."""
    message = _TRAILING_COMMA.get(error.msg)
    if message is None:
        return error
    pos = error.pos + 1
    while pos < len(error.doc) and error.doc[pos] in _WHITESPACE:
        pos += 1
    return json.JSONDecodeError(message, error.doc, pos)
