"""Where command output goes: stdout, or the file named by `--output`."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click


def emit(text: str, output: str | None) -> None:
    """Print a report, or write it (atomically) to the file the user named."""
    from ldkit.report.encode import echo, to_bytes

    if output is None or output == "-":
        echo(text, nl=False)
        return
    write_file(output, to_bytes(text))


def write_file(output: str, data: bytes) -> None:
    """Write `--output`; a file-system error is a usage error (exit 2)."""
    from ldkit.write import WriteRefused, write_output

    try:
        write_output(output, data)
    except WriteRefused as refused:
        raise click.UsageError(f"cannot write {output}: {refused.reason}") from None


def binary_stream(name: str) -> BinaryIO:
    """The byte stream under stdin or stdout.

    Bodies and rendered payloads must pass byte for byte, so commands read and
    write bytes. `sys.stdout.buffer` is what click's own (deprecated)
    `get_binary_stream` returned, and click's test runner provides it too.
    """
    stream = getattr(sys, name)
    return getattr(stream, "buffer", stream)
