"""Rules whose findings come from the JSON Schema pass (`ldkit.schema.check`).

One schema run reports all of them at once, so they are declarations, not
manifest rules: each id a partner sees has a title, an explanation and examples
(`ldkit rules LD104`). All are errors: each one is
something LaunchDarkly's own validator rejects.
"""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class _SchemaRule(RuleDeclaration):
    severity = Severity.ERROR
    upstream = True


class SchemaViolation(_SchemaRule):
    id = "LD100"
    title = "Manifest does not match the schema"
    explanation = (
        "A schema constraint not covered by a more specific rule failed. The message quotes "
        "the constraint; the schema files under schemas/manifest/ describe every field."
    )
    bad_example = "(any other schema constraint)"
    good_example = "(a manifest that follows schemas/manifest/base.json)"


class MissingRequiredKey(_SchemaRule):
    id = "LD101"
    title = "Required key is missing"
    explanation = (
        "The object lacks a key LaunchDarkly requires. The finding points at the object that "
        "needs it; add the key there. At the top level name, version, overview, description, "
        "author, supportEmail, links, categories and icons are required; each capability "
        "has its own required keys (for example trigger needs documentation)."
    )
    bad_example = '"links": {"site": "https://example.com"}'
    good_example = (
        '"links": {"site": "https://example.com", "privacyPolicy": "https://example.com/privacy"}'
    )


class UnknownKey(_SchemaRule):
    id = "LD102"
    title = "Key is not allowed here"
    explanation = (
        "Every object of a manifest has a fixed list of keys and LaunchDarkly rejects any "
        'other, including a "$schema" key an editor may add. Usually a typo: the message '
        "suggests the closest allowed key and lists all of them. The only open objects are "
        "flagLink.metadata (any field name), buttonAction.requestBodyTemplates items and "
        "jiraIssueCreate.creationRequest. Inside a checkout of LaunchDarkly's repository the "
        "checkout's own schema decides which keys exist."
    )
    bad_example = '"overveiw": "Turn flags off when problems open."'
    good_example = '"overview": "Turn flags off when problems open."'


class WrongType(_SchemaRule):
    id = "LD103"
    title = "Value has the wrong JSON type"
    explanation = (
        "The value is not of the JSON type the field takes: a string where an object is "
        'expected, a quoted "true" where a boolean is expected, a number for a form '
        "variable's defaultValue (only a string or a boolean is allowed)."
    )
    bad_example = '"isSecret": "true"'
    good_example = '"isSecret": true'


class NotAllowedValue(_SchemaRule):
    id = "LD104"
    title = "Value is not one of the allowed values"
    explanation = (
        "The field takes one of a fixed list of values, compared exactly (case matters: "
        '"post" is not "POST"). The message lists the allowed values and the closest one.'
    )
    bad_example = '"categories": ["monitor"]'
    good_example = '"categories": ["monitoring"]'


class PatternMismatch(_SchemaRule):
    id = "LD105"
    title = "Text does not have the required form"
    explanation = (
        "LaunchDarkly checks some strings against a JavaScript regular expression: version "
        "must be a semantic version (1.0.0; a line break at the end fails), overview, "
        "description, details and author must be one line (no \\n, \\r, U+2028 or U+2029), "
        "links and documentation URLs must start with http:// or https://, icon paths must "
        "end in .svg, form variable keys and header names must not contain whitespace, "
        "internalConfigurationURL must be a path without empty segments."
    )
    bad_example = '"version": "1.0"'
    good_example = '"version": "1.0.0"'


class LengthOutOfRange(_SchemaRule):
    id = "LD106"
    title = "Text is too short or too long"
    explanation = (
        "The string has fewer or more characters (Unicode code points) than the field "
        "allows: name 3-100, overview 10-100, description and details 50-2048, author "
        "3-100, form variable key at most 20, name at most 50, description at most 250."
    )
    bad_example = '"overview": "Flags."'
    good_example = '"overview": "Turn flags off when problems open."'


class InvalidEmail(_SchemaRule):
    id = "LD107"
    title = "Support email is not accepted"
    explanation = (
        "LaunchDarkly checks supportEmail with a strict ASCII pattern: letters, digits and "
        "!#$%&'*+/=?^_`{|}~.- before the @, then domain labels of letters, digits and "
        "inner hyphens separated by dots. No spaces, no quotes, no non-ASCII letters, no "
        "underscores in the domain."
    )
    bad_example = '"supportEmail": "Support Team <support@example.com>"'
    good_example = '"supportEmail": "support@example.com"'


class ArrayItems(_SchemaRule):
    id = "LD108"
    title = "Array has too few, too many or repeated items"
    explanation = (
        "categories takes 1 to 3 different values; otherCapabilities and "
        "auditLogEventsHook.defaultPolicy need at least one item."
    )
    bad_example = '"categories": ["data", "data"]'
    good_example = '"categories": ["data"]'
