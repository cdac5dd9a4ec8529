"""Rules whose findings the JSON loader produces (see `ldkit.load.jsonpos`)."""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class JsonSyntax(RuleDeclaration):
    id = "LD001"
    severity = Severity.ERROR
    title = "File is not valid JSON"
    upstream = True
    explanation = (
        "The manifest must be strict JSON (RFC 8259): double-quoted strings, no comments, "
        "no trailing commas, no NaN or Infinity. LaunchDarkly's test-suite fails every "
        "manifest when one of them does not parse, without naming the file."
    )
    bad_example = '{"name": "Example",}'
    good_example = '{"name": "Example"}'


class DuplicateKey(RuleDeclaration):
    id = "LD002"
    severity = Severity.ERROR
    title = "Duplicate key in an object"
    explanation = (
        "Two members of one object have the same name. JSON parsers disagree on which one "
        "wins (Node keeps the last, others the first or reject the file), so one of the "
        "values is silently ignored. Keep exactly one."
    )
    bad_example = '{"name": "Old", "name": "New"}'
    good_example = '{"name": "New"}'


class ByteOrderMark(RuleDeclaration):
    id = "LD003"
    severity = Severity.ERROR
    title = "File starts with a byte order mark"
    upstream = True
    explanation = (
        "LaunchDarkly's CI runs check-json, which rejects a UTF-8 byte order mark. Save the "
        "file as UTF-8 without BOM."
    )
    bad_example = "\\ufeff{...}"
    good_example = "{...}"


class Encoding(RuleDeclaration):
    id = "LD004"
    severity = Severity.ERROR
    title = "File is not valid UTF-8"
    upstream = True
    explanation = (
        "Manifests must be UTF-8. Invalid bytes are rejected by LaunchDarkly's CI (and "
        "silently replaced by U+FFFD at load time, which corrupts text)."
    )
    bad_example = 'A Latin-1 encoded file: "Caf\\xe9"'
    good_example = 'The same text saved as UTF-8: "Café"'


class IntegerTooLong(RuleDeclaration):
    id = "LD005"
    severity = Severity.ERROR
    title = "Integer literal longer than any number"
    explanation = (
        "JavaScript, and so LaunchDarkly, reads every JSON number as a double; an integer "
        "literal of more than 308 digits is Infinity there, which no manifest field means. "
        "ldkit reads it as Infinity too, and reports it instead of failing on it."
    )
    bad_example = '{"defaultValue": 1000000...(400 digits)...0}'
    good_example = '{"defaultValue": "1000000"}'
