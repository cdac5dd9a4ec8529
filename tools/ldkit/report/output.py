"""Where command output goes: stdout, or the file named by `--output` (written atomically)."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

import click


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to the file `output` (`-` means stdout).

    A file is written whole or not at all (see `write_atomic`). Whatever the
    text holds, it can be written (see `ldkit.report.encode`).
    """
    from ldkit.report.encode import echo, to_bytes

    if output is None or output == "-":
        echo(text, nl=False)
        return
    write_file(output, to_bytes(text))


def write_file(output: str, data: bytes) -> None:
    """`write_atomic` for a file the user named, with an error as a usage error."""
    try:
        write_atomic(Path(output), data)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise click.UsageError(f"cannot write {output}: {reason}") from None


def write_atomic(path: Path, data: bytes, *, follow_links: bool = True) -> None:
    """Replace `path` with `data` in one step: a temporary file beside it, flushed
    to disk, then `os.replace`. The one way ldkit writes a file.

    For a file the user named (`follow_links=True`), a symbolic link is followed
    (its target is replaced, the link stays), and what is not a regular file
    (`/dev/stdout`, a named pipe) is written directly. For files inside a
    repository (`follow_links=False`, see `ldkit.write`), a symbolic link is
    itself replaced by the new file and its target never touched.
    """
    target = Path(os.path.realpath(path)) if follow_links else Path(path)
    if follow_links and target.exists() and not target.is_file():
        with open(target, "wb") as stream:
            stream.write(data)
        return
    try:
        mode = os.stat(target, follow_symlinks=False).st_mode
    except FileNotFoundError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None and stat.S_ISREG(mode):
            os.chmod(temporary, stat.S_IMODE(mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def binary_stream(name: str) -> BinaryIO:
    """The byte stream under stdin or stdout.

    Bodies and rendered payloads must pass byte for byte, so commands read and
    write bytes. `sys.stdout.buffer` is what click's own (deprecated)
    `get_binary_stream` returned, and click's test runner provides it too.
    """
    stream = getattr(sys, name)
    return getattr(stream, "buffer", stream)
