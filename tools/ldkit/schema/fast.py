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

from ldkit.schema.load import ANNOTATIONS, bundled_schema
from ldkit.schema.validator import is_ajv_email, too_long_for_pattern

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
        if keyword in ANNOTATIONS:
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
            from ldkit.schema.ecma_regex import compile_ecma

            search = compile_ecma(arg).search
            checks.append(
                lambda v, search=search: (
                    not isinstance(v, str)
                    or (not too_long_for_pattern(v, schema) and bool(search(v)))
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
