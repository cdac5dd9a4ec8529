"""The fast path of the schema pass: the bundled schema compiled into plain predicates.

Importing jsonschema and referencing is about a third of a cold run, and most
manifests a partner validates are fine. The predicates can only say "certainly
accepted"; every other manifest goes to `ldkit.schema.validator`, which finds
and words its problems.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ldkit.schema.formats import format_check
from ldkit.schema.load import ANNOTATIONS, bundled_schema
from ldkit.schema.validator import too_long_for_pattern

Check = Callable[[Any], bool]

#: Draft-07 keywords that can reject a value. Any other keyword is an
#: annotation to Ajv 6 and to jsonschema alike (a checkout's schema carries a
#: few, such as a misspelt "#id"), so the fast check skips it too; one of these
#: without a compiler below sends every document to jsonschema.
ASSERTIONS = frozenset(
    {
        "$ref", "additionalItems", "additionalProperties", "allOf", "anyOf", "const",
        "contains", "dependencies", "else", "enum", "exclusiveMaximum", "exclusiveMinimum",
        "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum",
        "minItems", "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf",
        "pattern", "patternProperties", "properties", "propertyNames", "required", "then",
        "type", "uniqueItems",
    }
)  # fmt: skip

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
        if keyword in ANNOTATIONS or keyword not in ASSERTIONS:
            continue
        compile_keyword = _KEYWORDS.get(keyword)
        if compile_keyword is None:
            raise _Unsupported(keyword)
        check = compile_keyword(arg, schema)
        if check is not None:
            checks.append(check)
    if len(checks) == 1:
        return checks[0]
    return lambda value, checks=tuple(checks): all(check(value) for check in checks)


# One compiler per keyword: (the keyword's argument, the whole schema) -> a
# check, or None when the keyword constrains nothing here.


def _type(arg: Any, schema: dict) -> Check:
    names = arg if isinstance(arg, list) else [arg]
    if not all(isinstance(name, str) and name in _TYPE_TESTS for name in names):
        raise _Unsupported(f"type {arg!r}")
    tests = [_TYPE_TESTS[name] for name in names]
    return lambda v: any(test(v) for test in tests)


def _enum(arg: Any, schema: dict) -> Check:
    if not all(isinstance(item, str) for item in arg):
        raise _Unsupported("enum of non-strings")
    allowed = frozenset(arg)
    return lambda v: isinstance(v, str) and v in allowed


def _required(arg: Any, schema: dict) -> Check:
    keys = tuple(arg)
    return lambda v: not isinstance(v, dict) or all(k in v for k in keys)


def _properties(arg: Any, schema: dict) -> Check:
    compiled = {name: _compile(sub) for name, sub in arg.items()}
    return lambda v: (
        not isinstance(v, dict)
        or all(check(v[name]) for name, check in compiled.items() if name in v)
    )


def _additional_properties(arg: Any, schema: dict) -> Check:
    if "patternProperties" in schema:
        raise _Unsupported("patternProperties")
    known = frozenset(schema.get("properties", {}))
    if arg is False:
        return lambda v: not isinstance(v, dict) or all(k in known for k in v)
    extra = _compile(arg)
    return lambda v: (
        not isinstance(v, dict) or all(extra(item) for key, item in v.items() if key not in known)
    )


def _items(arg: Any, schema: dict) -> Check:
    if isinstance(arg, list):
        raise _Unsupported("tuple items")
    item_check = _compile(arg)
    return lambda v: not isinstance(v, list) or all(item_check(item) for item in v)


def _min_items(arg: Any, schema: dict) -> Check:
    return lambda v: not isinstance(v, list) or len(v) >= arg


def _max_items(arg: Any, schema: dict) -> Check:
    return lambda v: not isinstance(v, list) or len(v) <= arg


def _unique_items(arg: Any, schema: dict) -> Check | None:
    if not arg:
        return None
    # Only lists of strings are judged here; anything else goes to jsonschema.
    return lambda v: (
        not isinstance(v, list) or (all(isinstance(i, str) for i in v) and len(set(v)) == len(v))
    )


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _bound(holds: Callable[[Any, Any], bool]) -> Callable[[Any, dict], Check]:
    """A compiler for one numeric bound (`minimum`, `exclusiveMaximum`, ...)."""

    def compile_bound(arg: Any, schema: dict) -> Check:
        if not _is_number(arg):
            raise _Unsupported(f"bound {arg!r}")
        return lambda v: not _is_number(v) or holds(v, arg)

    return compile_bound


def _property_names(arg: Any, schema: dict) -> Check:
    names = _compile(arg)
    return lambda v: not isinstance(v, dict) or all(names(key) for key in v)


def _min_properties(arg: Any, schema: dict) -> Check:
    return lambda v: not isinstance(v, dict) or len(v) >= arg


def _max_properties(arg: Any, schema: dict) -> Check:
    return lambda v: not isinstance(v, dict) or len(v) <= arg


def _min_length(arg: Any, schema: dict) -> Check:
    return lambda v: not isinstance(v, str) or len(v) >= arg


def _max_length(arg: Any, schema: dict) -> Check:
    return lambda v: not isinstance(v, str) or len(v) <= arg


def _pattern(arg: Any, schema: dict) -> Check:
    from ldkit.schema.ecma_regex import compile_ecma

    search = compile_ecma(arg).search
    return lambda v: (
        not isinstance(v, str) or (not too_long_for_pattern(v, schema) and bool(search(v)))
    )


def _format(arg: Any, schema: dict) -> Check | None:
    matches = format_check(arg) if isinstance(arg, str) else None
    if matches is None:
        return None  # a format ldkit does not check (the validator skips it too)
    return lambda v: not isinstance(v, str) or matches(v)


_KEYWORDS: dict[str, Callable[[Any, dict], Check | None]] = {
    "type": _type,
    "enum": _enum,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "items": _items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "propertyNames": _property_names,
    "minProperties": _min_properties,
    "maxProperties": _max_properties,
    "minimum": _bound(lambda v, n: v >= n),
    "maximum": _bound(lambda v, n: v <= n),
    "exclusiveMinimum": _bound(lambda v, n: v > n),
    "exclusiveMaximum": _bound(lambda v, n: v < n),
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "format": _format,
}


@lru_cache(maxsize=1)
def fast_acceptance_check() -> Check | None:
    """A quick "LaunchDarkly accepts this" test, or None if the schema is too unusual.

    Most manifests a partner validates are fine; for them this answers in a few
    microseconds without importing jsonschema. Errors are always found and
    worded by the jsonschema validator.
    """
    return compile_acceptance(bundled_schema())


def compile_acceptance(schema: dict) -> Check | None:
    """The fast "certainly valid" predicate of a schema (the manifest schema, a
    checkout's manifest schema, the replay case schema), or None when it uses a
    keyword this fast path does not know: then every document goes to
    jsonschema, so the fast path never skips a check the schema makes."""
    try:
        return _compile({key: value for key, value in schema.items() if key != "$schema"})
    except _Unsupported:
        return None
