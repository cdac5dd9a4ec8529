"""Reading model fields out of a positioned JSON document.

The Settings 2.0 and classic readers (and Monaco, whose templates are
Settings JSON) share this: a field is looked up by key under an object's
pointer, positioned by `ldkit.load.jsonpos`, typed (a wrong type is an LD702 finding
and the field then counts as having no usable value), and recognised as a
deploy-time reference when it is a `${VAR}` or Go-template `{{ .param }}`
placeholder.
"""

from __future__ import annotations

import re

from ldkit.core.findings import Finding
from ldkit.dynatrace.config import rules
from ldkit.dynatrace.config.model import Field, Where, finding
from ldkit.load.jsonpos import Document
from ldkit.load.pointer import MISSING, child, resolve

#: `${NAME}` (shell, CI and envsubst style) or a Go template action on a
#: parameter (`{{ .name }}`, Monaco). Handlebars-style `{{ProblemTitle}}` has no
#: dot and is not a reference: in a payload it is a mistake the renderer reports.
REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_.]*\}|\{\{-?\s*\.[A-Za-z_][\w.]*\s*-?\}\}")

_TYPE_NAMES = {str: "a string", bool: "a boolean", list: "an array", dict: "an object"}


def describe(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    return _TYPE_NAMES.get(type(value), "a value")


class JsonObject:
    """One JSON object of the document, read field by field."""

    def __init__(self, document: Document, pointer: str, findings: list[Finding]) -> None:
        self.document = document
        self.pointer = pointer
        value = _resolve(document.value, pointer)
        self.value: dict = value if isinstance(value, dict) else {}
        self.findings = findings

    def empty(self) -> JsonObject:
        """An object with no fields, positioned here: every field it is asked
        for is absent and belongs in this object."""
        empty = JsonObject(self.document, self.pointer, self.findings)
        empty.value = {}
        return empty

    def where(self, pointer: str | None = None, *, key: bool = False) -> Where:
        pointer = self.pointer if pointer is None else pointer
        line, column = self.document.position(pointer, key=key)
        return Where(line, column, pointer)

    def get(self, key: str, kind: type, *, nullable: bool = False, whole: bool = False) -> Field:
        """The field `key`. With `whole`, only a value that is nothing but a
        placeholder is a reference (a payload may contain `${...}` text)."""
        pointer = child(self.pointer, key)
        if key not in self.value:
            return Field(key, self.where())
        value = self.value[key]
        where = self.where(pointer)
        if value is None and nullable:
            return Field(key, where)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.findings.append(
                finding(
                    self.document.path,
                    where,
                    rules.WrongType,
                    f"{key} must be {_TYPE_NAMES[kind]}, not {describe(value)}",
                )
            )
            return Field(key, where, present=True, value=None)
        match = REFERENCE.fullmatch if whole else REFERENCE.search
        if isinstance(value, str) and match(value):
            return Field(key, where, present=True, value=value, reference=value)
        return Field(key, where, present=True, value=value)

    def object(self, key: str) -> JsonObject | None:
        """The nested object under `key`, or None (a non-object is LD702)."""
        if key not in self.value or self.value[key] is None:
            return None
        field = self.get(key, dict)
        if not field.present or field.value is None:
            return None
        return JsonObject(self.document, child(self.pointer, key), self.findings)

    def array(self, key: str) -> list[JsonObject]:
        """The objects of the array under `key` (non-objects are LD702)."""
        if key not in self.value or self.value[key] is None:
            return []
        field = self.get(key, list)
        if not field.present or field.value is None:
            return []
        items: list[JsonObject] = []
        base = child(self.pointer, key)
        for index, item in enumerate(field.value):
            pointer = child(base, index)
            if not isinstance(item, dict):
                self.findings.append(
                    finding(
                        self.document.path,
                        self.where(pointer),
                        rules.WrongType,
                        f"{key}[{index}] must be an object, not {describe(item)}",
                    )
                )
                continue
            items.append(JsonObject(self.document, pointer, self.findings))
        return items


def _resolve(value: object, pointer: str) -> object:
    found = resolve(value, pointer)
    return None if found is MISSING else found
