"""The jsonschema validator that judges a manifest the way LaunchDarkly's does.

LaunchDarkly validates with Ajv 6. Two keywords need help for Python's
`jsonschema` to agree with it: `pattern`, which Ajv runs as a JavaScript regular
expression (see `ldkit.schema.ecma_regex`), and `format: email`, which Ajv checks with a
strict ASCII regex rather than "contains an @". The fast acceptance check
(`ldkit.schema.fast`) uses the same two functions, so the quick answer and the
full one cannot drift apart.

jsonschema is imported only when the validator is first built: a valid manifest
is accepted by the fast check and never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ldkit.schema.load import bundled_schema, registry

# Ajv 6 "fast" email format, applied like JavaScript's /.../i without the `u`
# flag: ASCII-only case folding, whole string.
_EMAIL = re.compile(
    r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*",
    re.ASCII | re.IGNORECASE,
)


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
