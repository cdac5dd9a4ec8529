"""Where ldkit keeps what it can rebuild: one folder in the user's cache directory.

Work that depends only on ldkit's own files or a library's (the bundled schema's
inlined tree, the Terraform parser's tables) is done once and kept here, never
inside the installation (site-packages may be read-only or shared). The folder
is `$XDG_CACHE_HOME/ldkit` or `~/.cache/ldkit`; `~/Library/Caches/ldkit` on
macOS; `%LOCALAPPDATA%\\ldkit` on Windows. `LDKIT_CACHE_DIR` overrides it, and
an empty `LDKIT_CACHE_DIR` turns caching off. Whoever reads an entry checks it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_VARIABLE = "LDKIT_CACHE_DIR"


def cache_dir() -> Path | None:
    """ldkit's folder in the user's cache directory, or None when turned off."""
    override = os.environ.get(CACHE_VARIABLE)
    if override is not None:
        return Path(override) if override else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "ldkit"


def writable_cache_dir() -> Path | None:
    """`cache_dir()`, created if need be, or None when off or it cannot be made."""
    from ldkit.fs import USER_NAMED, WriteRefused, make_folders

    folder = cache_dir()
    if folder is None:
        return None
    try:
        make_folders(folder, root=USER_NAMED)  # wherever the user's cache lives
    except WriteRefused:
        return None
    return folder if os.access(folder, os.W_OK) else None


@lru_cache(maxsize=1)
def code_stamp() -> tuple[tuple[str, bytes], ...]:
    """ldkit's version and the size and modification time of every module of
    the running package: part of the key of anything computed by ldkit's code
    (not only from its data), so an upgrade or an edit never meets an entry an
    older ldkit made. Costs a walk of the package's folders, no file reads."""
    import ldkit

    package = Path(ldkit.__file__).parent
    stamp = [("ldkit", ldkit.__version__.encode())]
    for directory, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(n for n in names if n.endswith(".py")):
            path = os.path.join(directory, name)
            info = os.stat(path)
            relative = os.path.relpath(path, package)
            stamp.append((relative, f"{info.st_size} {info.st_mtime_ns}".encode()))
    return tuple(stamp)


def file_stamps(paths: Iterable[Path]) -> list[tuple[str, bytes]] | None:
    """Each file's path, size and modification time (as ruff keys its cache:
    no file is read to compute the key), or None when one cannot be looked at."""
    stamps: list[tuple[str, bytes]] = []
    for path in paths:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        stamps.append((os.path.abspath(path), f"{info.st_size} {info.st_mtime_ns}".encode()))
    return stamps


#: Far above anything ldkit stores (the bundled schema tree is about 100 KB);
#: a bigger entry is not ours.
MAX_ENTRY_BYTES = 4 * 1024 * 1024


def content_key(kind: str, files: Iterable[tuple[str, bytes]]) -> str:
    """The SHA-256 of named file contents, in the order given (names and lengths
    included, so that no two different sets of files share a key)."""
    digest = hashlib.sha256(f"ldkit {kind}\n".encode())
    for name, data in files:
        digest.update(f"{name}\n{len(data)}\n".encode("utf-8", errors="surrogatepass"))
        digest.update(data)
    return digest.hexdigest()


def cached(
    kind: str,
    key: str,
    build: Callable[[], Any],
    *,
    version: int = 1,
    accept: Callable[[Any], bool] = lambda value: True,
) -> Any:
    """The JSON value stored as `kind` (in its format `version`) under `key`,
    or `build()`'s, then stored. A stored value `accept` refuses is rebuilt.

    Nothing in the cache is trusted blindly: an entry is used only when it is a
    regular file of bounded size whose header names this kind and key and whose
    body has the SHA-256 the header records and parses as JSON; anything else
    is ignored and rebuilt. A cache that cannot be written costs the rebuild,
    never an error."""
    folder = cache_dir()
    if folder is None:
        return build()
    entry = folder / f"{kind}-{key}.json"
    found = _read_entry(entry, (kind, version, key))
    if found is not None and accept(found[0]):
        return found[0]
    value = build()
    _write_entry(folder, entry, (kind, version, key), value)
    return value


def _header(name: tuple[str, int, str], body: bytes) -> dict[str, object]:
    kind, version, key = name
    return {"kind": kind, "format": version, "key": key, "sha256": hashlib.sha256(body).hexdigest()}


def _read_entry(entry: Path, name: tuple[str, int, str]) -> tuple[Any] | None:
    from ldkit.fs import FileRefused, read_bytes

    try:
        data = read_bytes(entry, root=entry.parent, limit=MAX_ENTRY_BYTES)
    except FileRefused:
        return None
    header_line, newline, body = data.partition(b"\n")
    try:
        header = json.loads(header_line)
        if not newline or header != _header(name, body):
            return None
        return (json.loads(body),)
    except (ValueError, RecursionError):
        return None


def _write_entry(folder: Path, entry: Path, name: tuple[str, int, str], value: Any) -> None:
    from ldkit.fs import USER_NAMED, WriteRefused, make_folders, write_bytes

    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", errors="surrogatepass"
    )
    header = json.dumps(_header(name, body))
    try:
        make_folders(folder, root=USER_NAMED)  # wherever the user's cache lives
        write_bytes(entry, header.encode() + b"\n" + body, root=folder)
    except WriteRefused:
        return  # an unwritable cache costs the rebuild next time, nothing more
