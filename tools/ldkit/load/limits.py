"""Limits every JSON reader of ldkit shares (the loader, the formatter).

A module of its own so that a reader can use them without importing the
positioned loader and the findings model.
"""

from __future__ import annotations

#: Deepest nesting of arrays and objects a JSON file may have.
MAX_DEPTH = 256
#: Longer integer literals are beyond every double (JavaScript reads them as
#: Infinity) and past Python's int() digit limit; the loader reports them (LD005).
MAX_INTEGER_DIGITS = 308
