"""`package.json`-style printing: what prettier 2.2.1 does for three file names.

Prettier formats `package.json`, `package-lock.json` and `composer.json` with
its `json-stringify` parser, which prints like `JSON.stringify(value, null, 2)`:
every non-empty object and array broken, strings re-escaped from their value,
numbers printed the way JavaScript prints them. An integration folder rarely
holds one of these, but a folder passed to `ldkit format` may.
"""

from __future__ import annotations

import json
import re

from ldkit.format.build import _TOKEN, MAX_DEPTH, JsonSyntaxError, _Builder

FILE_NAMES = frozenset({"package.json", "package-lock.json", "composer.json"})

_SURROGATE = re.compile("[\ud800-\udfff]")


def js_number(raw: str) -> str:
    """`String(Number(raw))` in JavaScript, for a JSON number without its sign."""
    value = float(raw)
    if value == 0:
        return "0"
    if value == float("inf"):
        return "Infinity"
    digits, _, exponent = f"{value!r}".partition("e")
    mantissa = digits.replace(".", "")
    point = digits.index(".") if "." in digits else len(digits)
    # value = 0.<mantissa> * 10 ** n
    stripped = mantissa.lstrip("0")
    n = point + int(exponent or 0) - (len(mantissa) - len(stripped))
    mantissa = stripped.rstrip("0")
    k = len(mantissa)
    if k <= n <= 21:
        return mantissa + "0" * (n - k)
    if 0 < n <= 21:
        return mantissa[:n] + "." + mantissa[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + mantissa
    sign = "+" if n - 1 >= 0 else "-"
    head = mantissa[0] + ("." + mantissa[1:] if k > 1 else "")
    return f"{head}e{sign}{abs(n - 1)}"


def _js_string(raw: str) -> str:
    value = json.loads(raw)
    text = json.dumps(value, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Stringifier(_Builder):
    """The same strict reading as the `.json` printer, printing every container broken."""

    def emit(self, offset: int, depth: int, indent: str, out: list[str]) -> int:
        match = _TOKEN.match(self.text, offset)
        if match is None:
            raise self.fail(offset, "a JSON value")
        punctuation = match.group(1)
        if punctuation in ("{", "["):
            if depth >= MAX_DEPTH:
                raise JsonSyntaxError(f"nested deeper than {MAX_DEPTH} levels", match.start(1))
            closing = "}" if punctuation == "{" else "]"
            inner = indent + "  "
            offset = match.end()
            after = _TOKEN.match(self.text, offset)
            if after is not None and after.group(1) == closing:
                out.append(punctuation + closing)
                return after.end()
            out.append(punctuation)
            while True:
                out.append("\n" + inner)
                if punctuation == "{":
                    key = _TOKEN.match(self.text, offset)
                    if key is None or key.group(2) is None:
                        raise self.fail(offset, "a quoted key")
                    out.append(_js_string(key.group(2)) + ": ")
                    _, offset = self.punctuation(key.end(), ":", "':' after the key")
                offset = self.emit(offset, depth + 1, inner, out)
                mark, offset = self.punctuation(offset, "," + closing, f"',' or '{closing}'")
                if mark == closing:
                    break
                out.append(",")
            out.append("\n" + indent + closing)
            return offset
        if punctuation is not None:
            raise self.fail(offset, "a JSON value")
        if match.group(2) is not None:
            out.append(_js_string(match.group(2)))
        elif match.group(4) is not None:
            out.append(match.group(3) + js_number(match.group(4)))
        else:
            out.append(match.group(5))
        return match.end()


def stringify(text: str) -> str:
    """The whole file printed as prettier prints `package.json` (LF, no BOM)."""
    builder = _Stringifier(text)
    start = _TOKEN.match(text, 0)
    if start is None and not text.strip(" \t\n"):
        return ""
    out: list[str] = []
    end = builder.emit(0, 0, "", out)
    rest = text[end:]
    if rest.strip(" \t\n"):
        offset = end + len(rest) - len(rest.lstrip(" \t\n"))
        raise JsonSyntaxError(
            f"expected the end of the file after the value, found {text[offset]!r}", offset
        )
    out.append("\n")
    return "".join(out)
