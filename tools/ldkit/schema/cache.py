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

from collections.abc import Callable, Iterable

from ldkit import user_cache
from ldkit.user_cache import CACHE_VARIABLE, cache_dir

__all__ = ["CACHE_VARIABLE", "cache_dir", "cached_tree", "content_key"]

#: Bumped whenever what is stored changes meaning (the inlining rules, say).
FORMAT = 1


def content_key(files: Iterable[tuple[str, bytes]]) -> str:
    """The SHA-256 of the schema files' names and contents, in the order given."""
    return user_cache.content_key(f"schema tree {FORMAT}", files)


def cached_tree(key: str, build: Callable[[], dict]) -> dict:
    """The tree stored under `key`, or `build()`'s, which is then stored."""
    return user_cache.cached(
        "schema", key, build, version=FORMAT, accept=lambda tree: isinstance(tree, dict)
    )
