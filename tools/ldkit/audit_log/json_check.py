"""Would `JSON.parse` accept a rendered template? If not, why, in plain words,
and where in the rendered text."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ldkit.load.json_errors import portable
from ldkit.load.lines import position


@dataclass(frozen=True)
class JsonProblem:
    """Why `JSON.parse(text)` would throw: in plain words, and where in the text."""

    message: str
    offset: int
    line: int
    column: int
    near: str

    def describe(self) -> str:
        near = f" near {self.near!r}" if self.near else ""
        return (
            f"{self.message} (line {self.line}, column {self.column} of the rendered output{near})"
        )


def json_problem(text: str) -> JsonProblem | None:
    """Why `JSON.parse(text)` would throw, with the place in the text; None if it
    parses. The standard parser decides (it accepts what JSON.parse accepts); the
    positioned loader words the reason."""
    from ldkit.load.jsonpos import load_text
    from ldkit.load.rules import JsonSyntax

    def reject(constant: str) -> object:
        raise ValueError(f"{constant} is not valid JSON")

    try:
        json.loads(text, parse_constant=reject)
    except ValueError as error:
        if isinstance(error, json.JSONDecodeError):
            error = portable(error)
        offset = error.pos if isinstance(error, json.JSONDecodeError) else 0
        message = str(error.msg) if isinstance(error, json.JSONDecodeError) else str(error)
        loaded = load_text(text, "rendered")
        for finding in loaded.findings:
            if finding.rule == JsonSyntax.id:
                message = finding.message
                offset = loaded.document.offset_of(finding.line, finding.column)
                break
        line, column = position(text, offset)
        line_text = text.split("\n")[line - 1] if text else ""
        start = max(0, column - 31)
        snippet = line_text[start : column + 30].strip()
        return JsonProblem(message, offset, line, column, snippet)
    return None
