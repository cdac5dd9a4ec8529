"""Plain JSON for files ldkit reads whole without positions: one function that
turns every way such a file can fail into a ValueError.

The standard library's decoder raises RecursionError for deep nesting (a pull
request can nest a case file a hundred thousand levels deep), ValueError for an
integer literal past Python's digit limit, and UnicodeDecodeError for bytes
that are not UTF-8. Callers that read a hostile file catch one exception.
(Manifests go through the position-keeping loader, `ldkit.load.jsonpos`.)
"""

from __future__ import annotations

import json


def parse_json(data: str | bytes) -> object:
    """The JSON value in `data` (bytes are UTF-8), or ValueError saying why not."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
