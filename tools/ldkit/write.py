"""The one way ldkit writes a file: atomically, never through a symbolic link,
never outside the tree it was asked to write in.

`replay --update` rewrites expected files, `ldkit new` creates an integration,
`--output` writes a report. A reader running beside any of them must see the
old file or the new one, never half of one; a `*.expected.json` that is a
symbolic link (planted by a pull request) must not redirect the write to a
file outside the repository. So the text goes to a temporary file in the same
folder, is flushed, and replaces the target with `os.replace`, which is atomic
on POSIX and Windows and replaces a symbolic link itself, not what it points at.
"""

from __future__ import annotations

import os
import stat
import tempfile
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
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except (OSError, ValueError) as exc:
        raise WriteRefused(path, _reason(exc)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if info is not None and stat.S_ISREG(info.st_mode):
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        _discard(temporary)
        raise WriteRefused(path, _reason(exc)) from None
    except BaseException:
        _discard(temporary)
        raise


def write_text(
    path: str | os.PathLike[str], text: str, *, root: str | os.PathLike[str] | None = None
) -> None:
    """`write_bytes` of UTF-8 text (a lone surrogate travels as its UTF-8 bytes)."""
    write_bytes(path, text.encode("utf-8", errors="surrogatepass"), root=root)


def write_output(path: str, data: bytes) -> None:
    """Write a file the user named (`--output`): atomically when it is, or will
    be, a regular file; straight into it when it is a FIFO or device such as
    /dev/stdout, which must not be replaced."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        try:
            with open(path, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise WriteRefused(path, _reason(exc)) from None
        return
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(path, "it is a directory")
    write_bytes(path, data)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _discard(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"cannot write: {exc.strerror or exc}"
    return f"cannot write: {exc}"


def write_report(text: str, output: str | None) -> None:
    """A command's report: printed (stdout), or written atomically to `--output`.
    A file-system error is a usage error (exit 2), in one line."""
    from ldkit.report.encode import echo, to_bytes

    if output is None or output == "-":
        echo(text, nl=False)
        return
    write_user_file(output, to_bytes(text))


def write_user_file(output: str, data: bytes) -> None:
    """`write_output`, with a refusal as a usage error (exit 2)."""
    import click

    try:
        write_output(output, data)
    except WriteRefused as refused:
        raise click.UsageError(f"cannot write {output}: {refused.reason}") from None
