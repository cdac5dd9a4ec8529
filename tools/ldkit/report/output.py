"""Where command output goes: stdout, or the file named by `--output`."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click


def emit(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def binary_stream(name: str) -> BinaryIO:
    """The byte stream under stdin or stdout.

    Bodies and rendered payloads must pass byte for byte, so commands read and
    write bytes. `sys.stdout.buffer` is what click's own (deprecated)
    `get_binary_stream` returned, and click's test runner provides it too.
    """
    stream = getattr(sys, name)
    return getattr(stream, "buffer", stream)
