"""Locate the shipped schemas: inside the installed package (wheel), or at the
repository root when running from a source checkout or an editable install."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def schemas_root() -> Path:
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "schemas", package.parent.parent / "schemas"):
        if (candidate / "manifest").is_dir():
            return candidate
    raise FileNotFoundError("ldkit's schemas are missing from this installation")
