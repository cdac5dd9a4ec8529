"""The one output encoder: whatever a file contained, ldkit can print it.

Text that reaches a report comes from files ldkit does not control: a JSON
string may hold a lone surrogate (`"\\ud800"` is valid JSON, but no UTF-8), a
file name may not be UTF-8 at all (Python hands it over as surrogate escapes),
and a manifest value may hold terminal control sequences or bidirectional
overrides that would recolour a terminal or hide text in it. So:

* `to_bytes` writes any text as UTF-8; a character UTF-8 cannot carry becomes
  its visible escape (`\\ud800`), which inside a JSON string is also the valid
  JSON escape for it: JSON, SARIF and JUnit output stay valid documents;
* `printable` additionally escapes control characters (all of C0 but tab, DEL,
  C1, line and paragraph separators, bidirectional controls) for text meant for
  a terminal or a one-line format;
* `echo` prints through `to_bytes`, never raising on what it prints.
"""

from __future__ import annotations

import re
import sys

_CONTROL = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def utf8_safe(text: str) -> str:
    """`text` with every character UTF-8 cannot encode (lone surrogates) escaped."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def to_bytes(text: str) -> bytes:
    """UTF-8 bytes of any text; see `utf8_safe`."""
    return text.encode("utf-8", "backslashreplace")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` safe to show in a terminal: control characters as visible escapes."""
    text = utf8_safe(text)
    if keep_newlines:
        return "\n".join(_CONTROL.sub(_escape, line) for line in text.split("\n"))
    return _CONTROL.sub(_escape, text)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print `text` to stdout (or stderr) as bytes that can always be written."""
    stream = sys.stderr if err else sys.stdout
    data = to_bytes(text + ("\n" if nl else ""))
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8"))
        stream.flush()
