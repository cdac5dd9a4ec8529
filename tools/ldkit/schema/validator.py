"""The jsonschema validator that judges a manifest the way LaunchDarkly's does.

LaunchDarkly validates with Ajv 6. Two keywords need help for Python's
`jsonschema` to agree with it: `pattern`, which Ajv runs as a JavaScript regular
expression (see `ldkit.schema.ecma_regex`), and `format`, which Ajv checks with its own
regular expressions (see `ldkit.schema.formats`: `email` is a strict ASCII
pattern, not "contains an @"). The fast acceptance check
(`ldkit.schema.fast`) uses the same two functions, so the quick answer and the
full one cannot drift apart.

jsonschema is imported only when the validator is first built: a valid manifest
is accepted by the fast check and never needs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ldkit.schema.formats import format_check, is_ajv_email
from ldkit.schema.load import bundled_schema, registry

__all__ = ["is_ajv_email", "make_validator", "too_long_for_pattern", "validator"]


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    from ldkit.schema.ecma_regex import compile_ecma

    if not isinstance(instance, str) or too_long_for_pattern(instance, schema):
        return
    if not compile_ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def too_long_for_pattern(text: str, schema: dict) -> bool:
    """Past its maxLength a string is rejected whatever the pattern says, so the
    pattern is not run: some of LaunchDarkly's patterns backtrack quadratically
    (a 40,000-character internalConfigurationURL would take seconds)."""
    limit = schema.get("maxLength")
    return isinstance(limit, int) and len(text) > limit


def _ajv_format(validator: Any, fmt: str, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    check = format_check(fmt)
    if check is not None and isinstance(instance, str) and not check(instance):
        yield ValidationError(f"{instance!r} is not a valid {fmt}")


def _json_key(value: Any) -> object:
    """A hashable stand-in for a JSON value, equal exactly when JSON Schema
    calls two values equal: `1` and `1.0` are one number, `true` is not `1`,
    key order does not matter. Iterative, so deep nesting cannot recurse."""
    out: list[object] = []
    pending: list[tuple[str, Any]] = [("value", value)]
    while pending:
        kind, item = pending.pop()
        if kind == "mark":
            out.append(item)
        elif isinstance(item, bool) or item is None:
            out.append(("lit", item))
        elif isinstance(item, (int, float)):
            out.append(("num", item))
        elif isinstance(item, str):
            out.append(("str", item))
        elif isinstance(item, list):
            out.append(("[", len(item)))
            pending.extend(("value", v) for v in reversed(item))
        elif isinstance(item, dict):
            out.append(("{", len(item)))
            for key in sorted(item, reverse=True):
                pending.append(("value", item[key]))
                pending.append(("mark", ("key", key)))
        else:
            out.append(("other", repr(item)))
    return tuple(out)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: dict) -> Iterator[Any]:
    """`uniqueItems` in linear time: jsonschema compares unhashable items
    pairwise, and 10,000 objects in a pull request took minutes."""
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[object] = set()
    for item in instance:
        key = _json_key(item)
        if key in seen:
            yield ValidationError(f"{instance!r} has non-unique elements")
            return
        seen.add(key)


def make_validator(schema: dict, registry: Any = None) -> Any:
    """A validator (jsonschema, with our two keywords) for one manifest schema tree.

    `schema` is a tree with every `$ref` inlined (see `ldkit.schema.load`), so
    no registry is needed; the bundled validator passes ours anyway, which
    refuses any lookup outside ldkit's files.
    """
    from jsonschema import Draft7Validator
    from jsonschema.validators import extend

    cls = extend(
        Draft7Validator,
        {"pattern": _ecma_pattern, "format": _ajv_format, "uniqueItems": _unique_items},
    )
    return cls(schema) if registry is None else cls(schema, registry=registry)


@lru_cache(maxsize=1)
def validator() -> Any:
    """The bundled manifest validator, built once per process."""
    return make_validator(bundled_schema(), registry())
