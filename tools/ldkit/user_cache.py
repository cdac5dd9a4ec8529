"""Where ldkit keeps what it can rebuild: one folder in the user's cache directory.

Work that depends only on ldkit's own files or a library's (the bundled schema's
inlined tree, the Terraform parser's tables) is done once and kept here, never
inside the installation (site-packages may be read-only or shared). The folder
is `$XDG_CACHE_HOME/ldkit` or `~/.cache/ldkit`; `~/Library/Caches/ldkit` on
macOS; `%LOCALAPPDATA%\\ldkit` on Windows. `LDKIT_CACHE_DIR` overrides it, and
an empty `LDKIT_CACHE_DIR` turns caching off. Whoever reads an entry checks it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
