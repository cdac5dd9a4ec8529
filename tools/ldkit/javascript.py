"""JavaScript's semantics, defined once for every layer that imitates a
JavaScript tool (the Handlebars engine, the prettier-compatible formatter, the
Ajv-compatible schema layer): here, which characters JavaScript counts as
whitespace."""

from __future__ import annotations

#: The characters JavaScript's `\s` and `String.prototype.trim` treat as
#: whitespace (WhiteSpace and LineTerminator of ECMA-262), written as the
#: inside of a Python character class.
JS_WHITESPACE = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
