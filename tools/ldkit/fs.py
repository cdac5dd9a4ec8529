"""The one door to the file system: every file ldkit reads or writes goes
through this module, and an architecture test fails on direct file I/O
anywhere else (`tests/unit/architecture/test_file_door.py`).

A pull request from a fork can put anything into a repository: a symbolic
link to a CI runner's secrets, a FIFO that blocks every reader, a directory
named like a case file, a 5 GB body, an `*.expected.json` that is a link to a
file outside the checkout. So:

Where a path may lead: `root`
-----------------------------
Every reading and writing function takes `root`, keyword-only and required:

* a folder (`str` or `os.PathLike`): the path must lie inside it once every
  symbolic link is resolved; `..`, an absolute path or a link out of the tree
  is refused before anything is opened. Use it for every path that a file
  names (a manifest's template, a replay case's body, a Terraform `file()`,
  a `.prettierignore` found while walking) and for files found by walking a
  folder;
* `USER_NAMED`: the user named this path on the command line (`ldkit validate
  PATH`, `-o FILE`, `--body FILE`, `--write-baseline FILE`), so it may be
  anywhere. A symbolic link the user named is followed.

Reading: `read_bytes`, `read_text`
----------------------------------
Only a regular file is read: it is opened with O_NONBLOCK (opening a FIFO
never waits for a writer) and checked with `fstat` on the open descriptor
before a byte is read; a FIFO, device, socket or directory is refused. At
most `limit` bytes are read (`MAX_FILE_BYTES` by default), also when the file
grows while it is read. Every failure (no such file, permission, a NUL byte
or an over-long name, a symbolic-link loop, outside `root`) raises
`FileRefused` with a one-line `reason`; no OSError or ValueError escapes.

Writing: `write_bytes`, `write_text`, `make_folders`, `remove_file`
-------------------------------------------------------------------
A file is replaced atomically: a temporary file in the same folder is
written, flushed and fsync'd, then `os.replace`d over the target, so a reader
sees the old file or the new one, never half of one; if anything fails the
temporary file is removed. The new file keeps the permissions of the file it
replaces (or gets `mode`, or 0666 minus the umask). Inside a `root`, the
folder written in must lie inside it after resolving links, and a symbolic
link at the path itself is replaced by a regular file: its target is never
touched (never written through a link). A directory or other non-file at the
path is refused. For a `USER_NAMED` path, a link is followed (its target is
replaced) and a target that is not a regular file (`/dev/stdout`, a named
pipe) is written directly. Every failure raises `WriteRefused` with a
one-line `reason`.

`FileRefused` and `WriteRefused` are both `Refused` (`path`, `reason`, and
`str()` is `"PATH: REASON"`). The probes `exists`, `is_regular_file` and
`inside` never raise.

Unsaved editor text: `unsaved_texts`
------------------------------------
`ldkit lsp`'s one seam: while `unsaved_texts` is active, a file an editor holds
with unsaved changes is read from the editor's text instead of the disk, by
`read_bytes` and `read_text`, and exists for `exists` and `is_regular_file`, so
the language server runs the very pipeline `ldkit validate` runs;
`is_unsaved` tells a cache keyed on the disk's stamps not to answer for such a
file. Only the bytes are replaced: `root` and the size limit apply to the path as they do on
disk. The scope is the current thread or task (a context variable), never the
process.

This module imports nothing of ldkit: it sits at the bottom of the house,
beside `ldkit.core`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO, Final

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


class UserNamed:
    """The type of `USER_NAMED`: a path the user named on the command line."""

    def __repr__(self) -> str:
        return "USER_NAMED"


#: `root=USER_NAMED`: the path was named by the user, it may be anywhere.
USER_NAMED: Final = UserNamed()

Root = str | os.PathLike[str] | UserNamed


class Refused(Exception):
    """A file ldkit will not or cannot read or write; `reason` is one line for a person."""

    def __init__(
        self, path: str | os.PathLike[str], reason: str, detail: str | None = None
    ) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        #: The operating system's own words when it refused (`No such file or
        #: directory`), else the reason.
        self.detail = reason if detail is None else detail
        super().__init__(f"{self.path}: {reason}")


class FileRefused(Refused):
    """A file ldkit will not or cannot read."""


class WriteRefused(Refused):
    """A file ldkit will not or cannot write."""


# --- where a path leads -------------------------------------------------------


def inside(
    path: str | os.PathLike[str], root: str | os.PathLike[str], *, real_root: str | None = None
) -> bool:
    """True when `path`, with every symbolic link resolved, lies within `root`.
    `real_root` is `root` already resolved (by a caller that checks many files
    against one folder)."""
    try:
        real = os.path.realpath(path)
        base = os.path.realpath(root) if real_root is None else real_root
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


# --- unsaved editor text ----------------------------------------------------------

#: The editor's unsaved documents while `unsaved_texts` is active: real path -> bytes.
_UNSAVED: ContextVar[Mapping[str, bytes] | None] = ContextVar("ldkit_unsaved_texts", default=None)


@contextlib.contextmanager
def unsaved_texts(documents: Mapping[str, bytes]) -> Iterator[None]:
    """Within this block, reading any path in `documents` (keys are paths,
    resolved here) gives those bytes instead of the file's."""
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


def is_unsaved(path: str | os.PathLike[str]) -> bool:
    """True when `path` is read from an editor's unsaved text, not the disk."""
    return _unsaved(path) is not None


def relative_posix(path: str | os.PathLike[str], base: str | os.PathLike[str]) -> str | None:
    """`path` relative to `base`, both with every symbolic link resolved, in
    POSIX form (`replays/a.case.json`); None when `path` is not inside `base`.
    The one way a path is shown relative to a folder; each caller decides what
    to show for a path outside."""
    try:
        return Path(path).resolve().relative_to(Path(base).resolve()).as_posix()
    except (ValueError, OSError):
        return None


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


# --- reading --------------------------------------------------------------------


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _too_big(size: int, limit: int) -> str:
    return f"it is {size:,} bytes; ldkit reads files of at most {limit:,} bytes"


def _open_regular(
    path: str | os.PathLike[str], root: Root, real_root: str | None = None
) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at `path` (inside `root` unless
    `USER_NAMED`), opened without blocking and checked with fstat before a
    byte is read, and its stat; FileRefused otherwise. The caller closes it."""
    if not isinstance(root, UserNamed) and not inside(path, root, real_root=real_root):
        raise FileRefused(path, f"it is outside {os.fspath(root)} (a '..' or a symbolic link)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except ValueError:
        raise FileRefused(path, "the path contains a NUL character") from None
    except OSError as exc:
        raise FileRefused(path, f"cannot read: {exc.strerror or exc}", _os_words(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(path, f"it is {_kind(info.st_mode)}, not a regular file")
    except OSError as exc:
        os.close(fd)
        raise FileRefused(path, f"cannot read: {exc.strerror or exc}", _os_words(exc)) from None
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_bytes(
    path: str | os.PathLike[str],
    *,
    root: Root,
    limit: int = MAX_FILE_BYTES,
    reads: Reads | None = None,
) -> bytes:
    """The bytes of the regular file at `path` (inside `root` unless `USER_NAMED`).
    With `reads` (a run's `Reads`), a file that run has read already is not
    read again."""
    if reads is not None:
        return reads._read(path, root, limit)
    return _read_bytes(path, root, limit, None)


def _read_bytes(
    path: str | os.PathLike[str], root: Root, limit: int, real_root: str | None
) -> bytes:
    unsaved = _unsaved(path)
    if unsaved is not None:
        if not isinstance(root, UserNamed) and not inside(path, root, real_root=real_root):
            raise FileRefused(path, f"it is outside {os.fspath(root)} (a '..' or a symbolic link)")
        if len(unsaved) > limit:
            raise FileRefused(path, _too_big(len(unsaved), limit))
        return unsaved
    fd, info = _open_regular(path, root, real_root)
    try:
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
        raise FileRefused(path, f"cannot read: {exc.strerror or exc}", _os_words(exc)) from None
    finally:
        os.close(fd)


def open_for_reading(path: str | os.PathLike[str], *, root: Root) -> BinaryIO:
    """The regular file at `path`, open for reading bytes as a stream (a body
    file read line by line); the same checks as `read_bytes`, no size bound,
    since the caller reads it piecewise. Close it (use `with`)."""
    fd, _ = _open_regular(path, root)
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_text(
    path: str | os.PathLike[str],
    *,
    root: Root,
    limit: int = MAX_FILE_BYTES,
    errors: str = "replace",
    reads: Reads | None = None,
) -> str:
    """A file as UTF-8 text. By default invalid bytes become U+FFFD, as in
    Node's readFileSync; `errors="strict"` makes them a FileRefused. `reads`:
    as for `read_bytes`."""
    return _decoded(path, read_bytes(path, root=root, limit=limit, reads=reads), errors)


def _decoded(path: str | os.PathLike[str], data: bytes, errors: str) -> str:
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise FileRefused(path, f"it is not UTF-8 text (byte {exc.start})") from None


class Reads:
    """The files of one run, each read once (pass it as `reads=` to
    `read_bytes` or `read_text`): several checks of one validate
    run (the replay cases' own rules, the trigger samples, the payload renders)
    read the same case, sample and template files. The same checks as
    `read_bytes` (the confinement to `root`, regular files only, the size
    bound), made once per file (by its path with every symbolic link resolved:
    `replays/../samples/a.json` is `samples/a.json`) and root; each root folder
    is resolved once. Only what was read is kept: a refused file is tried again
    (and refused again, in the words of the name it was given). Made per run
    (the run's `Workspace` holds one), never shared between runs."""

    def __init__(self) -> None:
        self._files: dict[tuple[str, str | None, int], bytes] = {}
        self._roots: dict[str, str | None] = {}

    def _real_root(self, root: Root) -> str | None:
        if isinstance(root, UserNamed):
            return None
        name = os.fspath(root)
        if name not in self._roots:
            try:
                self._roots[name] = os.path.realpath(name)
            except (OSError, ValueError):
                self._roots[name] = None
        return self._roots[name]

    def _read(self, path: str | os.PathLike[str], root: Root, limit: int) -> bytes:
        real_root = self._real_root(root)
        if real_root is None and not isinstance(root, UserNamed):
            return _read_bytes(path, root, limit, None)  # refused there, in its words
        try:
            key = (os.path.realpath(path), real_root, limit)
        except (OSError, ValueError):
            return _read_bytes(path, root, limit, real_root)  # refused there, in its words
        found = self._files.get(key)
        if found is None:
            found = self._files[key] = _read_bytes(path, root, limit, real_root)
        return found


# --- writing --------------------------------------------------------------------


def _os_words(exc: BaseException) -> str:
    return str(exc.strerror or exc) if isinstance(exc, OSError) else str(exc)


def _write_reason(exc: BaseException) -> str:
    return f"cannot write: {_os_words(exc)}"


def _checked_target(path: str | os.PathLike[str], root: Root) -> tuple[Path, bool]:
    """The file to replace, and whether to write it directly (a user-named
    target that is not a regular file)."""
    if isinstance(root, UserNamed):
        try:
            target = Path(os.path.realpath(path))
            direct = target.exists() and not target.is_file()
        except (OSError, ValueError) as exc:
            raise WriteRefused(path, _write_reason(exc), _os_words(exc)) from None
        return target, direct
    target = Path(path)
    if not inside(target.parent, root):
        raise WriteRefused(path, f"it is outside {os.fspath(root)}")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target, False
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _write_reason(exc), _os_words(exc)) from None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise WriteRefused(path, "it exists and is not a regular file; remove it first")
    return target, False


def write_bytes(
    path: str | os.PathLike[str], data: bytes, *, root: Root, mode: int | None = None
) -> None:
    """Replace the file at `path` with `data`, atomically (see the module docstring)."""
    target, direct = _checked_target(path, root)
    try:
        if direct:
            with open(target, "wb") as stream:
                stream.write(data)
            return
        _replace(target, data, mode)
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _write_reason(exc), _os_words(exc)) from None


def _replace(target: Path, data: bytes, mode: int | None) -> None:
    try:
        old = os.stat(target, follow_symlinks=False).st_mode
    except FileNotFoundError:
        old = None
    import tempfile  # only when writing: not on the validate path

    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        elif old is not None and stat.S_ISREG(old):
            os.chmod(temporary, stat.S_IMODE(old))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_text(
    path: str | os.PathLike[str], text: str, *, root: Root, mode: int | None = None
) -> None:
    """`write_bytes` of UTF-8 text (a lone surrogate travels as its UTF-8 bytes)."""
    write_bytes(path, text.encode("utf-8", errors="surrogatepass"), root=root, mode=mode)


def make_folders(path: str | os.PathLike[str], *, root: Root) -> None:
    """`mkdir -p path`, inside `root` unless `USER_NAMED`."""
    if not isinstance(root, UserNamed) and not inside(path, root):
        raise WriteRefused(path, f"it is outside {os.fspath(root)}")
    try:
        os.makedirs(path, exist_ok=True)
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _write_reason(exc), _os_words(exc)) from None


def remove_file(path: str | os.PathLike[str], *, root: Root) -> None:
    """Remove the file (or symbolic link) at `path`; a missing file is no error."""
    if not isinstance(root, UserNamed) and not inside(Path(path).parent, root):
        raise WriteRefused(path, f"it is outside {os.fspath(root)}")
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _write_reason(exc), _os_words(exc)) from None


def new_folder_beside(
    path: str | os.PathLike[str], *, root: Root, prefix: str | None = None
) -> Path:
    """A fresh private, hidden folder next to `path` (same file system, so
    that a finished tree can be moved into place with `move_into_place`)."""
    import tempfile

    parent = Path(path).parent
    make_folders(parent, root=root)
    try:
        hidden = prefix if prefix is not None else f".{Path(path).name}."
        return Path(tempfile.mkdtemp(prefix=hidden, dir=parent))
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _write_reason(exc), _os_words(exc)) from None


def move_into_place(source: Path, target: Path, *, root: Root) -> None:
    """Rename `source` (made by `new_folder_beside`) to `target`, which must not exist."""
    if not isinstance(root, UserNamed) and not inside(target.parent, root):
        raise WriteRefused(target, f"it is outside {os.fspath(root)}")
    try:
        source.rename(target)
    except (OSError, ValueError) as exc:
        raise WriteRefused(target, _write_reason(exc), _os_words(exc)) from None


def remove_tree(path: Path, *, root: Root) -> None:
    """Remove a folder ldkit made (`new_folder_beside`), ignoring errors."""
    import shutil

    if not isinstance(root, UserNamed) and not inside(path, root):
        raise WriteRefused(path, f"it is outside {os.fspath(root)}")
    shutil.rmtree(path, ignore_errors=True)
