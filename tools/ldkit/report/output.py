"""Where command output goes: stdout, or the file named by `--output` (written
atomically through `ldkit.fs`)."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to the file `output` (`-` means stdout).

    A file is written whole or not at all (see `ldkit.fs.write_bytes`). Whatever the
    text holds, it can be written (see `ldkit.report.encode`).
    """
    from ldkit.report.encode import echo, to_bytes

    if output is None or output == "-":
        echo(text, nl=False)
        return
    write_file(output, to_bytes(text))


def write_file(output: str, data: bytes) -> None:
    """Write a file the user named (`-o FILE`) through the one door
    (`ldkit.fs`): atomically, or directly to a device or pipe; a failure is a
    usage error."""
    from ldkit.fs import USER_NAMED, WriteRefused, write_bytes

    try:
        write_bytes(output, data, root=USER_NAMED)
    except WriteRefused as refused:
        raise click.UsageError(f"cannot write {output}: {refused.detail}") from None


def binary_stream(name: str) -> BinaryIO:
    """The byte stream under stdin or stdout.

    Bodies and rendered payloads must pass byte for byte, so commands read and
    write bytes. `sys.stdout.buffer` is what click's own (deprecated)
    `get_binary_stream` returned, and click's test runner provides it too.
    """
    stream = getattr(sys, name)
    return getattr(stream, "buffer", stream)
