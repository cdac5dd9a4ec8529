"""The one way ldkit reads a file: regular files only, inside the tree, bounded.

A pull request from a fork can put anything into an integration folder: a
symbolic link to a CI runner's secrets, a FIFO that blocks every reader, a
directory named like a case file, a 5 GB body. Every file ldkit opens (a
manifest, a replay case and the body, template and problem sample it names,
an audit-log template, an icon, a sibling manifest) is read here, so that

* only a regular file is read: a FIFO, device, socket or directory is refused.
  The file is opened with O_NONBLOCK (opening a FIFO never waits for a writer)
  and checked with fstat on the open descriptor before a byte is read;
* a file a manifest or case names must be inside `root` (the integration
  folder) after every symbolic link is resolved: `..`, an absolute path or a
  link out of the tree is refused before the file is opened;
* at most `limit` bytes are read (`MAX_FILE_BYTES` by default);
* every failure (no such file, permission, a NUL byte or an over-long name, a
  symbolic-link loop) is one `FileRefused` with a one-line reason, never an
  OSError or ValueError escaping into a traceback.

A file the user names on the command line may live anywhere (`root=None`).

`unsaved_texts` is the one seam for `ldkit lsp`: while it is active, a file an
editor holds with unsaved changes is read from the editor's text instead of
the disk, by every reader here, so the language server runs the very pipeline
`ldkit validate` runs. Only the bytes are replaced: the containment test, the
size limit and the refusals apply to the path as they do on disk.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

#: The largest file ldkit reads: hundreds of times the largest public manifest
#: (about 40 KB), small enough that validating it stays within a few hundred MB.
MAX_FILE_BYTES = 4 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class FileRefused(Exception):
    """A file ldkit will not or cannot read; `reason` is one line for a person."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


#: The editor's unsaved documents while `unsaved_texts` is active: real path -> bytes.
_UNSAVED: ContextVar[Mapping[str, bytes] | None] = ContextVar("ldkit_unsaved_texts", default=None)


@contextmanager
def unsaved_texts(documents: Mapping[str, bytes]) -> Iterator[None]:
    """Within this block, reading any path in `documents` (keys are paths,
    resolved here) gives those bytes instead of the file's. Scoped to the
    current thread or task (a context variable), never global."""
    resolved = {os.path.realpath(path): data for path, data in documents.items()}
    token = _UNSAVED.set(resolved)
    try:
        yield
    finally:
        _UNSAVED.reset(token)


def _unsaved(path: str | os.PathLike[str]) -> bytes | None:
    """The unsaved text of `path` under `unsaved_texts`, else None."""
    documents = _UNSAVED.get()
    if not documents:
        return None
    try:
        return documents.get(os.path.realpath(path))
    except (OSError, ValueError):
        return None


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _os_reason(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}"


def inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """True when `path`, with every symbolic link resolved, lies within `root`.

    The one containment test: the safe writer (`ldkit.write`) uses it too.
    """
    try:
        real = os.path.realpath(path)
        base = os.path.realpath(root)
    except (OSError, ValueError):
        return False
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def confined(root: Path, value: str) -> Path:
    """`root / value` for a path a file names, or FileRefused when it leaves `root`.

    Absolute paths and paths that leave the folder (through `..` or a symbolic
    link) are refused without being opened.
    """
    if "\x00" in value:
        raise FileRefused(value, "the path contains a NUL character")
    if os.path.isabs(value) or value.startswith(("/", "\\")):
        raise FileRefused(value, f"an absolute path; give a path inside {root}")
    target = root / value
    if not inside(target, root):
        raise FileRefused(value, f"it leads outside {root}")
    return target


def read_bytes(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    limit: int = MAX_FILE_BYTES,
) -> bytes:
    """The bytes of the regular file at `path` (inside `root` when given)."""
    if root is not None and not inside(path, root):
        raise FileRefused(path, f"it is outside {os.fspath(root)} (a '..' or a symbolic link)")
    unsaved = _unsaved(path)
    if unsaved is not None:
        if len(unsaved) > limit:
            raise FileRefused(path, _too_big(len(unsaved), limit))
        return unsaved
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except ValueError:
        raise FileRefused(path, "the path contains a NUL character") from None
    except OSError as exc:
        raise FileRefused(path, _os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(path, f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileRefused(path, _too_big(info.st_size, limit))
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew while we read it
                raise FileRefused(path, _too_big(size, limit))
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(path, _os_reason(exc)) from None
    finally:
        os.close(fd)


def _too_big(size: int, limit: int) -> str:
    return f"it is {size:,} bytes; ldkit reads files of at most {limit:,} bytes"


def read_text(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    limit: int = MAX_FILE_BYTES,
) -> str:
    """A file as UTF-8 text; invalid bytes become U+FFFD, as in Node's readFileSync."""
    return read_bytes(path, root=root, limit=limit).decode("utf-8", errors="replace")


def is_regular_file(path: str | os.PathLike[str]) -> bool:
    """`Path.is_file` that never raises (NUL bytes, over-long names, loops)."""
    if _unsaved(path) is not None:
        return True
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def exists(path: str | os.PathLike[str]) -> bool:
    """`Path.exists` that never raises."""
    if _unsaved(path) is not None:
        return True
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True
