"""Writing inside a repository: atomically, never through a symbolic link,
never outside the tree ldkit was asked to write in.

`replay --update` rewrites expected files, `ldkit new` creates an integration,
`--output` writes a report. A reader running beside any of them must see the
old file or the new one, never half of one; a `*.expected.json` that is a
symbolic link (planted by a pull request) must not redirect the write to a
file outside the repository. The bytes go through `ldkit.report.output.
write_atomic` (a temporary file in the same folder, flushed, then `os.replace`,
which is atomic on POSIX and Windows and replaces a symbolic link itself, not
what it points at); this module adds the checks for files inside a tree.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ldkit.load.files import inside


class WriteRefused(Exception):
    """A file ldkit will not or cannot write; the message is one line for a person."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def write_bytes(
    path: str | os.PathLike[str], data: bytes, *, root: str | os.PathLike[str] | None = None
) -> None:
    """Replace the file at `path` with `data`, atomically.

    With `root`, the folder `path` is written in must lie inside `root` once
    its symbolic links are resolved. A symbolic link at `path` itself is
    replaced by a regular file (its target is never touched); a directory or
    other non-file at `path` is refused.
    """
    target = Path(path)
    folder = target.parent
    if root is not None and not inside(folder, root):
        raise WriteRefused(path, f"it is outside {os.fspath(root)}")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _reason(exc)) from None
    if info is not None and not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise WriteRefused(path, "it exists and is not a regular file; remove it first")
    from ldkit.report.output import write_atomic

    try:
        write_atomic(target, data, follow_links=False)
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _reason(exc)) from None


def write_text(
    path: str | os.PathLike[str], text: str, *, root: str | os.PathLike[str] | None = None
) -> None:
    """`write_bytes` of UTF-8 text (a lone surrogate travels as its UTF-8 bytes)."""
    write_bytes(path, text.encode("utf-8", errors="surrogatepass"), root=root)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"cannot write: {exc.strerror or exc}"
    return f"cannot write: {exc}"
