"""The one translator from JSON Schema errors to messages, for every file kind.

A schema error becomes a `SchemaProblem`: what kind of problem it is, where
(the value, the offending key for an unknown key, the missing key's place for a
missing key) and a message in partner words that names the field, says what is
wrong and what is expected. Manifests (`ldkit.schema.check`), replay cases and
problem samples (`ldkit.checks`) all speak through it, so one problem reads the
same in every file; each file kind maps the problem kinds to its rule ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ldkit.javascript import JS_WHITESPACE
from ldkit.load.pointer import escape, join
from ldkit.schema.formats import FORMAT_MEANING

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

ProblemKind = Literal[
    "type", "enum", "pattern", "length", "format", "items", "required", "unknown-key", "other"
]


@dataclass(frozen=True)
class SchemaProblem:
    kind: ProblemKind
    pointer: str
    message: str
    on_key: bool = False


_SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_ONE_LINE = r"^(.*)$"
_HTTP = r"^[Hh][Tt][Tt][Pp][Ss]?://"
_SVG = r"\.svg$"
_NO_WHITESPACE = r"^[^\s]*$"
_APP_PATH = r"^(/[^/]+)+(?:\?[^\s]*)?$|^[^/]+(/[^/]+)*(?:\?[^\s]*)?$"

#: Form-variable types partners reach for when they mean a secret string.
SECRET_TYPE_WORDS = frozenset({"password", "secret", "token", "apiKey", "secretString"})

#: What each schema pattern means, for messages ("must be ...").
PATTERN_MEANING: dict[str, str] = {
    _SEMVER: "a semantic version such as 1.0.0 (MAJOR.MINOR.PATCH, no leading zeros)",
    _ONE_LINE: "a single line of text: no line breaks",
    _HTTP: "a URL that starts with http:// or https://",
    _SVG: "a path that ends in .svg (lower case)",
    _NO_WHITESPACE: "a name without whitespace",
    _APP_PATH: (
        "a path inside the LaunchDarkly app such as product-analytics/integrations/example "
        "(segments separated by single slashes, no empty segment, no trailing slash)"
    ),
    # schemas/dynatrace/problem.schema.json
    r"^https?://[^\s/]+(/\S*)?$": (
        "an absolute http or https URL such as https://abc12345.live.dynatrace.com"
    ),
    r"^https?://": "an absolute http or https URL",
    r"^[A-Z][A-Z0-9_]*$": "an upper-case name such as SERVICE (letters, digits, underscores)",
    # schemas/dynatrace/davis-problem.schema.json
    r"^P-[0-9]+$": "a problem display id such as P-251117001",
    # schemas/replay/case.schema.json
    r"^LD6[0-9][0-9]$": "a Dynatrace render rule id such as LD600",
}

_LINE_BREAKS = {"\n": "\\n", "\r": "\\r", "\u2028": "U+2028", "\u2029": "U+2029"}
_JS_SPACE = re.compile(f"[{JS_WHITESPACE}]")

_TYPE_WORDS = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "boolean": "true or false",
    "number": "a number",
    "integer": "a whole number",
    "null": "null",
}


_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


def field_name(path: Any, root: str = "the manifest") -> str:
    """`capabilities.trigger.parser` / `formVariables[0].key`: how partners name a
    field; `root` names the whole document."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += ("." if out else "") + part
        else:
            out += f"[{json.dumps(part)}]"
    return out or root


def _show(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= limit else text[: limit - 4] + '..."'


def describe_json_type(value: object) -> str:
    """The JSON type of a value as messages say it: "a string", "null", "an array"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def closest_choice(value: str, choices: list[str]) -> str | None:
    """The allowed value a typo most likely meant (case-insensitive), if any is close."""
    lowered = {c.lower(): c for c in choices}
    if value.lower() in lowered:
        return lowered[value.lower()]
    import difflib

    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def _title(schema: Any, key: str) -> str | None:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    target = properties.get(key) if isinstance(properties, dict) else None
    return target.get("title") if isinstance(target, dict) else None


def _pattern_detail(pattern: str, value: str) -> str:
    """Why this particular value fails, when we can tell."""
    from ldkit.schema.ecma_regex import search

    if pattern in (_ONE_LINE,):
        for index, char in enumerate(value):
            if char in _LINE_BREAKS:
                return (
                    f"; it has a line break ({_LINE_BREAKS[char]}) at character {index + 1}, "
                    "keep it on one line"
                )
    if pattern in (_NO_WHITESPACE,):
        found = _JS_SPACE.search(value)
        if found:
            return (
                f"; it has whitespace (U+{ord(found.group()):04X}) at character {found.start() + 1}"
            )
    if value.rstrip("\n\r") != value and search(pattern, value.rstrip("\n\r")):
        return "; it ends with a line break, remove it"
    if pattern == _SVG and value.lower().endswith(".svg"):
        return "; the extension must be lower case"
    if pattern == _HTTP and value[:1].isspace():
        return "; it starts with whitespace"
    return ""


def _message(error: ValidationError, root: str) -> SchemaProblem:
    """The problem one schema error (other than required, additionalProperties,
    anyOf and oneOf) stands for."""
    field = field_name(list(error.absolute_path), root)
    words = _WORDING.get(error.validator)
    if words is None:
        return SchemaProblem("other", join(error.absolute_path), f"{field}: {error.message}")
    return words(error, field)


# One wording per keyword: (the error, the field's name) -> the problem.


def _type_problem(error: ValidationError, field: str) -> SchemaProblem:
    value, instance = error.validator_value, error.instance
    expected = value if isinstance(value, list) else [value]
    words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
    shown = "" if isinstance(instance, (dict, list)) else f" ({_show(instance)})"
    message = f"{field} must be {words}, not {describe_json_type(instance)}{shown}"
    return SchemaProblem("type", join(error.absolute_path), message)


def _enum_problem(error: ValidationError, field: str) -> SchemaProblem:
    value, instance = error.validator_value, error.instance
    allowed = [v for v in value if isinstance(v, str)]
    message = f"{field} is {_show(instance)}, which is not allowed"
    suggestion = closest_choice(instance, allowed) if isinstance(instance, str) else None
    message += f"; did you mean {json.dumps(suggestion)}?" if suggestion is not None else "."
    message += " Allowed values: " + ", ".join(json.dumps(v) for v in value)
    secret_like = isinstance(instance, str) and instance in SECRET_TYPE_WORDS
    if secret_like and "string" in allowed and list(error.absolute_path)[-1:] == ["type"]:
        message += '. For a secret, use "type": "string" with "isSecret": true'
    return SchemaProblem("enum", join(error.absolute_path), message)


def _pattern_problem(error: ValidationError, field: str) -> SchemaProblem:
    value, instance = error.validator_value, error.instance
    meaning = PATTERN_MEANING.get(value, f"text matching the regular expression /{value}/")
    detail = _pattern_detail(value, instance)
    message = f"{field} must be {meaning}, not {_show(instance)}{detail}"
    return SchemaProblem("pattern", join(error.absolute_path), message)


def _size_problem(error: ValidationError, field: str) -> SchemaProblem:
    """minLength, maxLength, minItems, maxItems: the size against the bound."""
    keyword = error.validator
    bound = "at least" if keyword.startswith("min") else "at most"
    size = len(error.instance)
    plural = "s" if size != 1 else ""
    if keyword.endswith("Length"):
        kind: ProblemKind = "length"
        what = f"is {size} character{plural} long"
    else:
        kind, what = "items", f"has {size} item{plural}"
    message = f"{field} {what}; it must have {bound} {error.validator_value}"
    return SchemaProblem(kind, join(error.absolute_path), message)


def _format_problem(error: ValidationError, field: str) -> SchemaProblem:
    instance = error.instance
    if error.validator_value != "email":
        # Only a checkout's schema uses other formats (ldkit's uses email alone).
        meaning = FORMAT_MEANING.get(error.validator_value, f"a valid {error.validator_value}")
        message = f"{field} must be {meaning}, not {_show(instance)}"
        return SchemaProblem("other", join(error.absolute_path), message)
    hint = ""
    if isinstance(instance, str) and not instance.isascii():
        hint = " (only ASCII characters are accepted)"
    message = (
        f"{field} is {_show(instance)}, which LaunchDarkly does not accept as an email "
        f"address{hint}; use a plain address such as support@example.com"
    )
    return SchemaProblem("format", join(error.absolute_path), message)


_NUMBER_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}


def _number_problem(error: ValidationError, field: str) -> SchemaProblem:
    """minimum, maximum and their exclusive forms: the value against the bound."""
    bound = _NUMBER_BOUNDS[error.validator]
    message = f"{field} is {_show(error.instance)}; it must be {bound} {error.validator_value}"
    return SchemaProblem("other", join(error.absolute_path), message)


def _unique_problem(error: ValidationError, field: str) -> SchemaProblem:
    path = list(error.absolute_path)
    seen: list[Any] = []
    for index, item in enumerate(error.instance):
        if item in seen:
            message = f"{field} lists {_show(item)} more than once; list each value once"
            return SchemaProblem("items", join([*path, index]), message)
        seen.append(item)
    return SchemaProblem("items", join(path), f"{field} must not list the same value twice")


_WORDING: dict[str, Callable[[ValidationError, str], SchemaProblem]] = {
    "type": _type_problem,
    "enum": _enum_problem,
    "pattern": _pattern_problem,
    "minLength": _size_problem,
    "maxLength": _size_problem,
    "format": _format_problem,
    "minItems": _size_problem,
    "maxItems": _size_problem,
    "uniqueItems": _unique_problem,
    **{keyword: _number_problem for keyword in _NUMBER_BOUNDS},
}


#: How many unknown keys of one object get a "did you mean", and how long a key may be.
_SUGGESTED_KEYS = 50
_SUGGESTED_KEY_LENGTH = 100


def _unknown_key(
    path: list[Any],
    key: str,
    allowed: list[str],
    root: str,
    suggest: bool = True,
    present: frozenset[str] = frozenset(),
) -> SchemaProblem:
    """An unknown key, positioned on the key, with the closest allowed key that
    the object does not have already (`present`): proposing a key the user
    already has is advice the input contradicts.

    Fuzzy matching costs far more than the rest of a finding: only the first
    few unknown keys of an object (`suggest`), and only short ones, get a
    suggestion, so 100,000 unknown keys stay cheap."""
    message = f"unknown key {json.dumps(key)} in {field_name(path, root)}"
    short = len(key) <= _SUGGESTED_KEY_LENGTH
    suggestion = None
    if suggest and short:
        suggestion = closest_choice(key, [name for name in allowed if name not in present])
    if key == "$schema":
        message += "; LaunchDarkly rejects every key it does not list, this one too, remove it."
    elif suggestion is not None:
        message += f"; did you mean {json.dumps(suggestion)}?"
    else:
        message += "; remove it or fix its name."
    message += (" Allowed keys: " + ", ".join(allowed)) if allowed else ""
    return SchemaProblem("unknown-key", join([*path, key]), message, on_key=True)


def _expand(error: ValidationError, root: str) -> Iterator[SchemaProblem]:
    """The problems one jsonschema error stands for (a `required` error may
    miss several keys, an `additionalProperties` error name several)."""
    keyword = error.validator
    path = list(error.absolute_path)
    if keyword == "required":
        parent = field_name(path, root)
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                title = _title(error.schema, key)
                what = f" ({title})" if title else ""
                yield SchemaProblem(
                    "required",
                    join([*path, key]),
                    f"{parent} is missing the required key {json.dumps(key)}{what}",
                )
        return
    if keyword == "additionalProperties" and error.validator_value is False:
        allowed = list(error.schema.get("properties", {}))
        present = frozenset(error.instance)
        unknown = 0
        for key in error.instance:
            if key not in error.schema.get("properties", {}):
                unknown += 1
                yield _unknown_key(path, key, allowed, root, unknown <= _SUGGESTED_KEYS, present)
        return
    if list(error.relative_schema_path)[-2:-1] == ["propertyNames"] and isinstance(
        error.instance, str
    ):
        # LaunchDarkly's own files list each object's keys as `propertyNames: {enum}`;
        # the error is about the key itself, and carries the object's path.
        key = error.instance
        if keyword == "enum":
            yield _unknown_key(path, key, [str(k) for k in error.validator_value], root)
        else:
            yield SchemaProblem(
                "unknown-key",
                join([*path, key]),
                f"key {json.dumps(key)} in {field_name(path, root)} is not allowed: "
                f"{error.message}",
                on_key=True,
            )
        return
    if keyword in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        # Report the alternative that came closest, not every alternative.
        # best_match descends into the alternatives itself, preferring the one
        # whose type matches the value.
        best = best_match([error])
        if best is error:
            # best_match kept the anyOf itself (no alternative stands out):
            # choose among the alternatives, so the expansion always descends.
            best = best_match(error.context)
        yield from _expand(best, root)
        return
    yield _message(error, root)


def translate(errors: Iterable[ValidationError], root: str) -> list[SchemaProblem]:
    """Every problem behind `errors`, each once, in order. A value of the wrong
    type also fails its enum or pattern; saying so twice helps nobody, so only
    the type problem is kept at that place. `root` names the whole document
    ("the manifest", "the case")."""
    raw = [problem for error in errors for problem in _expand(error, root)]
    # One problem per value: the first of these kinds that applies (a "1.0"
    # version breaks the semver pattern; that it is short says nothing more).
    best: dict[str, int] = {}
    for problem in raw:
        if problem.kind in _PLACE_ORDER and not problem.on_key:
            rank = _PLACE_ORDER.index(problem.kind)
            best[problem.pointer] = min(rank, best.get(problem.pointer, rank))
    misspelt = {
        f"{problem.pointer.rsplit('/', 1)[0]}/{escape(suggested)}"
        for problem in raw
        if problem.kind == "unknown-key"
        for suggested in [suggestion_in(problem.message)]
        if suggested is not None
    }
    mistyped = {problem.pointer for problem in raw if problem.kind == "type"}
    seen: set[tuple[str, str, str]] = set()
    problems: list[SchemaProblem] = []
    for problem in raw:
        key = (problem.kind, problem.pointer, problem.message)
        if key in seen or (problem.kind != "type" and problem.pointer in mistyped):
            continue
        if problem.kind in _PLACE_ORDER and not problem.on_key:
            if _PLACE_ORDER.index(problem.kind) != best[problem.pointer]:
                continue
        if problem.kind == "required" and problem.pointer in misspelt:
            continue  # the unknown key's "did you mean" names it, at the text to edit
        seen.add(key)
        problems.append(problem)
    return problems


#: The kinds of problem one value can have, most telling first; only the first is reported.
_PLACE_ORDER: tuple[ProblemKind, ...] = ("type", "enum", "pattern", "format", "length")

_SUGGESTION = re.compile(r'did you mean ("(?:[^"\\]|\\.)*")\?')


def suggestion_in(message: str) -> str | None:
    """The key an unknown-key message proposes, if it proposes one."""
    found = _SUGGESTION.search(message)
    return json.loads(found.group(1)) if found else None
