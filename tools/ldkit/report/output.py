"""Where command output goes: stdout, or the file named by `--output` (written atomically)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

import click


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to the file `output` (`-` means stdout).

    A file is written whole or not at all: into a temporary file beside it, then
    renamed over it, so an interrupted run never leaves half a report behind.
    """
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(output), text.encode("utf-8"))
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step (temporary file, then os.replace).

    A symbolic link is followed (its target is replaced, the link stays), and
    what is not a regular file (`/dev/stdout`, a named pipe) is written directly.
    """
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        with open(target, "wb") as stream:
            stream.write(data)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
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
