"""Limits every JSON reader of ldkit shares (the loader, the formatter).

A module of its own so that a reader can use them without importing the
positioned loader and the findings model.
"""

from __future__ import annotations

#: Deepest nesting of arrays and objects a JSON file may have.
MAX_DEPTH = 256
