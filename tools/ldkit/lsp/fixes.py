"""Edits the server offers: formatting as `ldkit format` does it, and code actions
whose fix is unambiguous."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ldkit.lsp import positions


def formatted_edits(path: Path, text: str, encoding: str) -> list[types.TextEdit] | None:
    """The edit that turns `text` into the bytes `ldkit format` writes for
    `path`: none when it is already formatted, None when `ldkit format` would
    leave it alone (a file `.prettierignore` names, or text that is not JSON)."""
    import os

    from ldkit.format import JsonSyntaxError, format_json
    from ldkit.format.files import IgnoreRules

    cwd = Path.cwd()
    relative = os.path.relpath(os.path.abspath(path), cwd)
    if not relative.startswith("..") and IgnoreRules.for_directory(cwd).ignores(
        Path(relative).as_posix()
    ):
        return None
    try:
        formatted = format_json(text, path.name)
    except JsonSyntaxError:
        return None
    if formatted == text:
        return []
    return [types.TextEdit(range=positions.whole(text, encoding), new_text=formatted)]
