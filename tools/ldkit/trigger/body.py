"""A webhook body as the trigger reads it: decoded as a JSON object or refused
with a positioned warning (empty, not UTF-8, a byte order mark, not JSON, too
deep, not an object), and values looked up by the parser's pointers. Nothing
here raises on a body."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from ldkit.core.findings import Finding, Severity
from ldkit.javascript import json_type_word
from ldkit.load.json_errors import portable
from ldkit.load.lines import position
from ldkit.load.pointer import MISSING, resolve
from ldkit.load.pointer import is_valid as _is_valid
from ldkit.trigger.model import TriggerRequest
from ldkit.trigger.rules import TriggerBodyNotAnObject, TriggerPointerInvalid


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _finite_float(literal: str) -> float:
    number = float(literal)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {literal[:40]} is out of range")
    return number


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _position_of_byte(data: bytes, index: int) -> tuple[int, int]:
    before = data[:index].decode("utf-8", errors="replace")
    return position(before, len(before))


def _first_value_column(text: str) -> tuple[int, int]:
    return position(text, len(text) - len(text.lstrip(" \t\r\n")))


def decode_body(request: TriggerRequest) -> tuple[dict[str, object] | None, str, list[Finding]]:
    """The body as a JSON object, or None with a warning saying why not."""
    data = request.body

    def warn(line: int, column: int, why: str) -> list[Finding]:
        message = (
            f"{why}; jsonBody is null and no parser pointer resolves, so the event name falls "
            "back to the default (the call still counts and still acts)"
        )
        return [
            Finding(
                request.source,
                line,
                column,
                TriggerBodyNotAnObject.id,
                Severity.WARNING,
                message,
                "",
            )
        ]

    if not data.strip(b" \t\r\n"):
        return None, "", warn(1, 1, "the request body is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of_byte(data, exc.start)
        why = f"the request body is not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        return None, "", warn(line, column, why)
    if text.startswith("\ufeff"):
        return None, text, warn(1, 1, "the request body starts with a byte order mark")
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as raw:
        exc = portable(raw)
        reason = exc.msg.removesuffix(" at").removesuffix(" starting").lower()
        return None, text, warn(exc.lineno, exc.colno, f"the request body is not JSON ({reason})")
    except ValueError as exc:
        line, column = _first_value_column(text)
        # Python's only other refusal is an integer past its digit limit; its
        # own message gives Python advice, which is no use to a sender.
        reason = "an integer with thousands of digits" if "digits" in str(exc) else str(exc)
        return None, text, warn(line, column, f"the request body is not JSON ({reason})")
    except RecursionError:
        line, column = _first_value_column(text)
        return None, text, warn(line, column, "the request body is nested too deeply to parse")
    if not isinstance(value, dict):
        kind = json_type_word(value)
        line, column = _first_value_column(text)
        return None, text, warn(line, column, f"the request body is a JSON {kind}, not an object")
    return value, text, []


#: Bodies up to this size may be re-parsed with positions when a cheaper search
#: cannot place a warning; a bigger body gets line 1, column 1 instead.
_REPARSE_LIMIT = 64 * 1024


def position_in_body(text: str, pointer: str, value: object) -> tuple[int, int]:
    """Line and column of the value at `pointer` in the body; only computed for a warning.

    The value is looked for as JSON text after its member name, which costs one
    search instead of a positional re-parse of the whole body (a 100 MB body
    would need gigabytes for that).
    """
    last = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    for encoded in {json.dumps(value, ensure_ascii=False), json.dumps(value)}:
        for before in (json.dumps(last, ensure_ascii=False) + r"\s*:\s*", r"[\[,]\s*"):
            found = re.search(before + re.escape(encoded), text)
            if found:
                offset = found.end() - len(encoded)
                line_start = text.rfind("\n", 0, offset) + 1
                return text.count("\n", 0, offset) + 1, offset - line_start + 1
    if len(text) > _REPARSE_LIMIT:
        return 1, 1
    from ldkit.load.jsonpos import load_text

    return load_text(text, "<body>").document.position(pointer)


@lru_cache(maxsize=256)
def is_valid(pointer: str) -> bool:
    """Pointer syntax, checked once per distinct pointer: a manifest has three."""
    return _is_valid(pointer)


def lookup(
    body: dict[str, object] | None,
    pointer: str | None,
    name: str,
    request: TriggerRequest,
    warnings: list[Finding],
) -> object:
    if pointer is None or body is None:
        return MISSING
    if not is_valid(pointer):
        warnings.append(
            Finding(
                request.source,
                1,
                1,
                TriggerPointerInvalid.id,
                Severity.WARNING,
                f"the parser's {name} pointer {pointer!r} is not an RFC 6901 JSON pointer "
                "(it must be empty or start with '/', with '~' written as '~0'), so it never "
                "resolves; fix it in the manifest",
                pointer,
            )
        )
        return MISSING
    return resolve(body, pointer)


def scalar_text(value: object) -> str | None:
    """A string as is; a number or boolean as its JSON text; else None."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return None
