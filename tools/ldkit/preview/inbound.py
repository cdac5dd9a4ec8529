"""The inbound side of a trigger integration (filled in below)."""

from __future__ import annotations

from pathlib import Path


def inbound_preview(manifest: object, folder: Path, timestamp_ms: int, *, curl: bool) -> str | None:
    return None
