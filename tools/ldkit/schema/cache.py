"""The bundled manifest schema, precompiled: its inlined tree kept in the user's cache.

Building the one tree validation wants from the split schema files (parse
twenty files, resolve every `$ref`) is a fixed cost of every `ldkit validate`
process, the pre-commit hook's included. The tree only changes when the files
do, so it is stored once as one JSON file in ldkit's folder of the user's
cache directory (`ldkit.user_cache`), named by the SHA-256 of the files it
was built from. The files are still read on every run, to compute that name:
an edited schema can never meet a stale tree.

Nothing in the cache is trusted blindly: an entry is used only when it is a
regular file of bounded size whose header names this format and this key and
whose body has the SHA-256 the header records and parses to a JSON object;
anything else is ignored and rebuilt. A cache directory that cannot be created
or written costs the rebuild, never an error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ldkit.user_cache import CACHE_VARIABLE, cache_dir

__all__ = ["CACHE_VARIABLE", "cache_dir", "cached_tree", "content_key"]

#: Bumped whenever what is stored changes meaning (the inlining rules, say).
FORMAT = 1
#: Far above the bundled tree (about 100 KB); a bigger entry is not ours.
MAX_ENTRY_BYTES = 4 * 1024 * 1024


def content_key(files: Iterable[tuple[str, bytes]]) -> str:
    """The SHA-256 of named file contents, in the order given (names and lengths
    included, so that no two different sets of files share a key)."""
    digest = hashlib.sha256(f"ldkit schema tree {FORMAT}\n".encode())
    for name, data in files:
        digest.update(f"{name}\n{len(data)}\n".encode("utf-8", errors="surrogatepass"))
        digest.update(data)
    return digest.hexdigest()


def cached_tree(key: str, build: Callable[[], dict]) -> dict:
    """The tree stored under `key`, or `build()`'s, which is then stored."""
    folder = cache_dir()
    if folder is None:
        return build()
    entry = folder / f"schema-{key}.json"
    found = _read_entry(entry, key)
    if found is not None:
        return found
    tree = build()
    _write_entry(folder, entry, key, tree)
    return tree


def _read_entry(entry: Path, key: str) -> dict | None:
    from ldkit.fs import FileRefused, read_bytes

    try:
        data = read_bytes(entry, root=entry.parent, limit=MAX_ENTRY_BYTES)
    except FileRefused:
        return None
    header_line, newline, body = data.partition(b"\n")
    try:
        header = json.loads(header_line)
        if not newline or not isinstance(header, dict):
            return None
        if header.get("format") != FORMAT or header.get("key") != key:
            return None
        if header.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        tree: Any = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return tree if isinstance(tree, dict) else None


def _write_entry(folder: Path, entry: Path, key: str, tree: dict) -> None:
    body = json.dumps(tree, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"format": FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest()})
    from ldkit.fs import USER_NAMED, WriteRefused, make_folders, write_bytes

    try:
        make_folders(folder, root=USER_NAMED)  # wherever the user's cache lives
        write_bytes(entry, header.encode() + b"\n" + body, root=folder)
    except WriteRefused:
        return  # an unwritable cache costs the rebuild next time, nothing more
