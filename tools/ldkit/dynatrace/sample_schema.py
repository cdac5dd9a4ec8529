"""The JSON Schema of a Dynatrace problem sample (`*.problem.json`), in one place.

`ldkit validate` reports a sample's schema errors (LD620) in the sample; the
sample rules (LD520–LD522) consume the sample through the replay cases that
render it, and stay silent about a case whose sample is broken: the sample's
own finding is the cause.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def schema() -> dict:
    from ldkit.fs import read_text
    from ldkit.schema.files import schemas_root

    root = schemas_root()
    return json.loads(read_text(root / "dynatrace" / "problem.schema.json", root=root))


@lru_cache(maxsize=1)
def validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def is_valid(sample: object) -> bool:
    """The sample satisfies the problem-sample schema."""
    return bool(validator().is_valid(sample))
