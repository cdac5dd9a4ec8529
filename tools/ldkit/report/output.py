"""The byte streams under stdin and stdout (files named by `--output` are
written by `ldkit.write`)."""

from __future__ import annotations

import sys
from typing import BinaryIO


def binary_stream(name: str) -> BinaryIO:
    """The byte stream under stdin or stdout.

    Bodies and rendered payloads must pass byte for byte, so commands read and
    write bytes. `sys.stdout.buffer` is what click's own (deprecated)
    `get_binary_stream` returned, and click's test runner provides it too.
    """
    stream = getattr(sys, name)
    return getattr(stream, "buffer", stream)
