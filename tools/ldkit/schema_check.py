"""The JSON Schema pass over a manifest: LaunchDarkly's acceptance, in partner words.

The schema under `schemas/manifest/` accepts exactly what LaunchDarkly's own
validator (Ajv 6 over its bundled schema) accepts. Two keywords need help to get
there with Python's `jsonschema`: `pattern`, which Ajv runs as a JavaScript
regular expression (see `ldkit.ecma_regex`), and `format: email`, which Ajv
checks with a strict ASCII regex rather than "contains an @".

Every schema error becomes one `Finding` with a stable rule id per kind of
problem (declared, with explanations, in `ldkit.rules.schema`), a message that
names the field, says what is wrong and what is expected, and a position: the
value, the offending key for unknown keys, the parent object for a missing key.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ldkit.ecma_regex import JS_WHITESPACE
from ldkit.findings import Finding, Severity
from ldkit.jsonpos import Document
from ldkit.pointer import join
from ldkit.schemas_dir import schemas_root

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

#: Base URI the schema files are registered under. Never fetched: the registry
#: holds every file up front and refuses anything else.
BASE_URI = "https://schemas.ldkit.invalid/manifest/"
ROOT_URI = BASE_URI + "base.json"

RULE_SCHEMA = "LD100"
RULE_REQUIRED = "LD101"
RULE_UNKNOWN_KEY = "LD102"
RULE_TYPE = "LD103"
RULE_ENUM = "LD104"
RULE_PATTERN = "LD105"
RULE_LENGTH = "LD106"
RULE_EMAIL = "LD107"
RULE_ITEMS = "LD108"

# Ajv 6 "fast" email format, applied like JavaScript's /.../i without the `u`
# flag: ASCII-only case folding, whole string.
_EMAIL = re.compile(
    r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*",
    re.ASCII | re.IGNORECASE,
)

_SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_ONE_LINE = r"^(.*)$"
_HTTP = r"^[Hh][Tt][Tt][Pp][Ss]?://"
_SVG = r"\.svg$"
_NO_WHITESPACE = r"^[^\s]*$"
_APP_PATH = r"^(/[^/]+)+(?:\?[^\s]*)?$|^[^/]+(/[^/]+)*(?:\?[^\s]*)?$"

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


# --- loading ----------------------------------------------------------------------------


class SchemaLoadError(RuntimeError):
    """ldkit's own schema files are missing, broken or refer outside themselves."""


def _refuse(uri: str) -> Any:
    raise SchemaLoadError(
        f"the manifest schema refers to {uri!r}, which is not one of ldkit's schema files; "
        "ldkit never fetches schemas from the network (reinstall ldkit if files are missing)"
    )


@lru_cache(maxsize=1)
def schema_documents() -> dict[str, Any]:
    """Every manifest schema file by URI, parsed once per process.

    The files declare draft-07 for editors and readers; in memory the
    declaration goes. jsonschema switches to its stock Draft7Validator at any
    subschema that names its dialect, which would drop our ECMAScript `pattern`
    and Ajv `format` below the first `$ref` to a capability file.
    """
    root = schemas_root() / "manifest"
    documents: dict[str, Any] = {}
    for path in sorted(root.rglob("*.json")):
        try:
            contents = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaLoadError(f"cannot load schema file {path}: {exc}") from None
        if isinstance(contents, dict):
            contents.pop("$schema", None)
        documents[BASE_URI + path.relative_to(root).as_posix()] = contents
    if ROOT_URI not in documents:
        raise SchemaLoadError(f"{root / 'base.json'} is missing")
    return documents


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The one `referencing.Registry` of the process: our files, nothing fetched."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    resources = [(uri, DRAFT7.create_resource(c)) for uri, c in schema_documents().items()]
    return Registry(retrieve=_refuse).with_resources(resources).crawl()


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    from ldkit.ecma_regex import compile_ecma

    if not isinstance(instance, str) or _too_long(instance, schema):
        return
    if not compile_ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _too_long(text: str, schema: dict) -> bool:
    """Past its maxLength a string is rejected whatever the pattern says, so the
    pattern is not run: some of LaunchDarkly's patterns backtrack quadratically
    (a 40,000-character internalConfigurationURL would take seconds)."""
    limit = schema.get("maxLength")
    return isinstance(limit, int) and len(text) > limit


def is_ajv_email(value: str) -> bool:
    """Ajv 6's `format: email` in its default ("fast") mode."""
    return _EMAIL.fullmatch(value) is not None


def _ajv_format(validator: Any, fmt: str, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if fmt == "email" and isinstance(instance, str) and not is_ajv_email(instance):
        yield ValidationError(f"{instance!r} is not an email address")


@lru_cache(maxsize=1)
def validator() -> Any:
    """The manifest validator (jsonschema, with our two keywords), built once per process."""
    from jsonschema import Draft7Validator
    from jsonschema.validators import extend

    cls = extend(Draft7Validator, {"pattern": _ecma_pattern, "format": _ajv_format})
    return cls(bundled_schema(), registry=registry())


# --- the bundled schema and the fast acceptance check ------------------------------------

# Keywords that only annotate: they may sit next to a `$ref` (draft-07 ignores
# them there) and the fast check may skip them.
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment", "$id"})
_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_ONE = ("additionalProperties", "items", "additionalItems", "contains", "propertyNames")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def _inline(node: Any, resolver: Any) -> Any:
    """`node` with every `$ref` replaced by its target (our schema has no cycles)."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if set(siblings) - _ANNOTATIONS:
            raise SchemaLoadError(f"only annotations may sit next to $ref: {sorted(siblings)}")
        resolved = resolver.lookup(node["$ref"])
        target = _inline(resolved.contents, resolved.resolver)
        # The referring node's title names the field better than the shared target's.
        return {**target, **siblings} if isinstance(target, dict) else target
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "definitions":
            continue  # everything in use is inlined where it is used
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _inline(sub, resolver) for name, sub in value.items()}
        elif key in _SCHEMA_ONE or key == "not":
            out[key] = (
                [_inline(sub, resolver) for sub in value]
                if isinstance(value, list)
                else _inline(value, resolver)
            )
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_inline(sub, resolver) for sub in value]
        else:
            out[key] = value
    return out


class _Resolved:
    def __init__(self, contents: Any, resolver: _FileResolver) -> None:
        self.contents = contents
        self.resolver = resolver


class _FileResolver:
    """Resolves our relative `$ref`s among `schema_documents()`, like the registry
    does, without importing `referencing` (a third of a cold run's schema cost).
    A test holds the bundle it builds equal to the one built through the registry."""

    def __init__(self, documents: dict[str, Any], base_uri: str) -> None:
        self.documents = documents
        self.base_uri = base_uri

    def lookup(self, ref: str) -> _Resolved:
        from urllib.parse import unquote, urldefrag, urljoin

        uri, fragment = urldefrag(urljoin(self.base_uri, ref))
        if uri not in self.documents:
            _refuse(uri)
        node = self.documents[uri]
        for token in unquote(fragment).split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return _Resolved(node, _FileResolver(self.documents, uri))


@lru_cache(maxsize=1)
def bundled_schema() -> dict:
    """base.json with every reference resolved, as one tree.

    Validating against it skips a URI lookup at every `$ref` (a fifth of the
    schema pass) and accepts exactly what the split files accept.
    """
    documents = schema_documents()
    return _inline(documents[ROOT_URI], _FileResolver(documents, ROOT_URI))


Check = Callable[[Any], bool]

_TYPE_TESTS: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class _Unsupported(Exception):
    """The schema uses a keyword the fast check does not know: use jsonschema only."""


def _compile(schema: Any) -> Check:
    """A predicate that is True only for values the schema certainly accepts.

    It may say False for a valid value (anything unusual); then jsonschema
    decides. It must never say True for an invalid one: a test holds it to
    jsonschema's verdict on every case of the constraint table.
    """
    if schema is True or schema == {}:
        return lambda value: True
    if not isinstance(schema, dict):
        raise _Unsupported(repr(schema))
    checks: list[Check] = []
    for keyword, arg in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if keyword == "type":
            names = arg if isinstance(arg, list) else [arg]
            tests = [_TYPE_TESTS[name] for name in names]
            checks.append(lambda v, tests=tests: any(test(v) for test in tests))
        elif keyword == "enum":
            if not all(isinstance(item, str) for item in arg):
                raise _Unsupported("enum of non-strings")
            allowed = frozenset(arg)
            checks.append(lambda v, allowed=allowed: isinstance(v, str) and v in allowed)
        elif keyword == "required":
            keys = tuple(arg)
            checks.append(lambda v, keys=keys: not isinstance(v, dict) or all(k in v for k in keys))
        elif keyword == "properties":
            compiled = {name: _compile(sub) for name, sub in arg.items()}
            checks.append(
                lambda v, compiled=compiled: (
                    not isinstance(v, dict)
                    or all(check(v[name]) for name, check in compiled.items() if name in v)
                )
            )
        elif keyword == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported("patternProperties")
            known = frozenset(schema.get("properties", {}))
            if arg is False:
                checks.append(
                    lambda v, known=known: not isinstance(v, dict) or all(k in known for k in v)
                )
            else:
                extra = _compile(arg)
                checks.append(
                    lambda v, known=known, extra=extra: (
                        not isinstance(v, dict)
                        or all(extra(item) for key, item in v.items() if key not in known)
                    )
                )
        elif keyword == "items":
            if isinstance(arg, list):
                raise _Unsupported("tuple items")
            item_check = _compile(arg)
            checks.append(
                lambda v, item_check=item_check: (
                    not isinstance(v, list) or all(item_check(item) for item in v)
                )
            )
        elif keyword in ("minItems", "maxItems"):
            bound = arg
            if keyword == "minItems":
                checks.append(lambda v, n=bound: not isinstance(v, list) or len(v) >= n)
            else:
                checks.append(lambda v, n=bound: not isinstance(v, list) or len(v) <= n)
        elif keyword == "uniqueItems":
            if arg:
                # Only lists of strings are judged here; anything else goes to jsonschema.
                checks.append(
                    lambda v: (
                        not isinstance(v, list)
                        or (all(isinstance(i, str) for i in v) and len(set(v)) == len(v))
                    )
                )
        elif keyword in ("minLength", "maxLength"):
            if keyword == "minLength":
                checks.append(lambda v, n=arg: not isinstance(v, str) or len(v) >= n)
            else:
                checks.append(lambda v, n=arg: not isinstance(v, str) or len(v) <= n)
        elif keyword == "pattern":
            from ldkit.ecma_regex import compile_ecma

            search = compile_ecma(arg).search
            checks.append(
                lambda v, search=search: (
                    not isinstance(v, str) or (not _too_long(v, schema) and bool(search(v)))
                )
            )
        elif keyword == "format":
            if arg == "email":
                checks.append(lambda v: not isinstance(v, str) or is_ajv_email(v))
        else:
            raise _Unsupported(keyword)
    if len(checks) == 1:
        return checks[0]
    return lambda value, checks=tuple(checks): all(check(value) for check in checks)


@lru_cache(maxsize=1)
def fast_acceptance_check() -> Check | None:
    """A quick "LaunchDarkly accepts this" test, or None if the schema is too unusual.

    Most manifests a partner validates are fine; for them this answers in a few
    microseconds without importing jsonschema. Errors are always found and
    worded by the jsonschema validator.
    """
    try:
        return _compile(bundled_schema())
    except _Unsupported:
        return None


# --- messages ---------------------------------------------------------------------------


_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


def field_name(path: Any) -> str:
    """`capabilities.trigger.parser` / `formVariables[0].key`: how partners name a field."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += ("." if out else "") + part
        else:
            out += f"[{json.dumps(part)}]"
    return out or "the manifest"


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
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def _title(schema: Any, key: str) -> str | None:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    target = properties.get(key) if isinstance(properties, dict) else None
    return target.get("title") if isinstance(target, dict) else None


def _pattern_detail(pattern: str, value: str) -> str:
    """Why this particular value fails, when we can tell."""
    from ldkit.ecma_regex import search

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


def _message(error: ValidationError) -> tuple[str, str, str, bool]:
    """(rule, pointer, message, position-on-key) for one schema error."""
    path = list(error.absolute_path)
    pointer = join(path)
    field = field_name(path)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance

    if keyword == "type":
        expected = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        shown = "" if isinstance(instance, (dict, list)) else f" ({_show(instance)})"
        return (
            RULE_TYPE,
            pointer,
            f"{field} must be {words}, not {describe_json_type(instance)}{shown}",
            False,
        )

    if keyword == "enum":
        allowed = [v for v in value if isinstance(v, str)]
        message = f"{field} is {_show(instance)}, which is not allowed"
        suggestion = closest_choice(instance, allowed) if isinstance(instance, str) else None
        message += f"; did you mean {json.dumps(suggestion)}?" if suggestion is not None else "."
        message += " Allowed values: " + ", ".join(json.dumps(v) for v in value)
        return RULE_ENUM, pointer, message, False

    if keyword == "pattern":
        meaning = PATTERN_MEANING.get(value, f"text matching the regular expression /{value}/")
        detail = _pattern_detail(value, instance)
        return (
            RULE_PATTERN,
            pointer,
            f"{field} must be {meaning}, not {_show(instance)}{detail}",
            False,
        )

    if keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        length = len(instance)
        return (
            RULE_LENGTH,
            pointer,
            f"{field} is {length} character{'s' if length != 1 else ''} long; "
            f"it must have {bound} {value}",
            False,
        )

    if keyword == "format":
        hint = ""
        if isinstance(instance, str) and not instance.isascii():
            hint = " (only ASCII characters are accepted)"
        return (
            RULE_EMAIL,
            pointer,
            f"{field} is {_show(instance)}, which LaunchDarkly does not accept as an email "
            f"address{hint}; use a plain address such as support@example.com",
            False,
        )

    if keyword in ("minItems", "maxItems"):
        bound = "at least" if keyword == "minItems" else "at most"
        count = len(instance)
        return (
            RULE_ITEMS,
            pointer,
            f"{field} has {count} item{'s' if count != 1 else ''}; it must have {bound} {value}",
            False,
        )

    if keyword == "uniqueItems":
        seen: list[Any] = []
        for index, item in enumerate(instance):
            if item in seen:
                return (
                    RULE_ITEMS,
                    join([*path, index]),
                    f"{field} lists {_show(item)} more than once; list each value once",
                    False,
                )
            seen.append(item)
        return RULE_ITEMS, pointer, f"{field} must not list the same value twice", False

    return RULE_SCHEMA, pointer, f"{field}: {error.message}", False


def _expand(error: ValidationError) -> Iterator[tuple[str, str, str, bool]]:
    """One or more findings' worth of data for one jsonschema error."""
    keyword = error.validator
    path = list(error.absolute_path)
    if keyword == "required":
        parent = field_name(path)
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                title = _title(error.schema, key)
                what = f" ({title})" if title else ""
                yield (
                    RULE_REQUIRED,
                    join([*path, key]),
                    f"{parent} is missing the required key {json.dumps(key)}{what}",
                    False,
                )
        return
    if keyword == "additionalProperties" and error.validator_value is False:
        allowed = list(error.schema.get("properties", {}))
        where = "the manifest" if not path else field_name(path)
        for key in error.instance:
            if key in error.schema.get("properties", {}):
                continue
            message = f"unknown key {json.dumps(key)} in {where}"
            suggestion = closest_choice(key, allowed)
            if key == "$schema":
                message += (
                    "; LaunchDarkly rejects every key it does not list, this one too, remove it."
                )
            elif suggestion is not None:
                message += f"; did you mean {json.dumps(suggestion)}?"
            else:
                message += "; remove it or fix its name."
            message += (" Allowed keys: " + ", ".join(allowed)) if allowed else ""
            yield RULE_UNKNOWN_KEY, join([*path, key]), message, True
        return
    if keyword in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        # Report the alternative that came closest, not every alternative.
        # best_match descends into the alternatives itself, preferring the one
        # whose type matches the value.
        yield from _expand(best_match([error]))
        return
    yield _message(error)


def schema_findings(document: Document) -> list[Finding]:
    """Every schema problem of the manifest, one finding each, deduplicated."""
    accepts = fast_acceptance_check()
    if accepts is not None and accepts(document.value):
        return []
    raw = [item for error in validator().iter_errors(document.value) for item in _expand(error)]
    # A value of the wrong type also fails its enum; saying so twice helps nobody.
    mistyped = {pointer for rule, pointer, _, _ in raw if rule == RULE_TYPE}
    seen: set[tuple[str, str, str]] = set()
    findings: list[Finding] = []
    for rule, pointer, message, on_key in raw:
        if (rule, pointer, message) in seen or (rule != RULE_TYPE and pointer in mistyped):
            continue
        seen.add((rule, pointer, message))
        findings.append(document.finding(rule, Severity.ERROR, message, pointer, key=on_key))
    return findings
