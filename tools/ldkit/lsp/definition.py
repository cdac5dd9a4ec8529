"""Go to definition: from a path a manifest or replay case names to the file.

A manifest names its icons (`icons.*`) and its audit-log templates
(`capabilities.auditLogEventsHook.templates.*`) by paths relative to the
integration folder; a replay case names its body file, payload template and
problem sample relative to itself. A path that leaves its folder is refused, as
`ldkit validate` refuses to read it.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from ldkit.integration import CASE_SUFFIX, MANIFEST
from ldkit.lsp.cursor import place_at

_MANIFEST_PATHS = re.compile(r"\A/(icons/[^/]+|capabilities/auditLogEventsHook/templates/[^/]+)\Z")
_CASE_PATHS = re.compile(r"\A/request/(bodyFile|dynatrace/template|dynatrace/problem)\Z")


def definition(path: Path, text: str, offset: int) -> types.Location | None:
    """The file the path under the cursor names, or None."""
    from ldkit.fs import FileRefused, confined, is_regular_file
    from ldkit.lsp.knowledge import integration_of

    place = place_at(text, offset)
    if place.role != "value" or not place.token:
        return None
    if path.name == MANIFEST and _MANIFEST_PATHS.match(place.pointer):
        base = path.parent
        root = base
    elif path.name.endswith(CASE_SUFFIX) and _CASE_PATHS.match(place.pointer):
        base = path.parent
        root = integration_of(path) or base
    else:
        return None
    try:
        target = confined(base, place.token.removeprefix("./"))
    except FileRefused:
        return None
    from ldkit.fs import inside

    if not inside(target, root) or not is_regular_file(target):
        return None
    origin = types.Position(line=0, character=0)
    return types.Location(
        uri=target.resolve().as_uri(), range=types.Range(start=origin, end=origin)
    )
