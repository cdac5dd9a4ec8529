"""The integrations a trigger can belong to: `<root>/integrations/<key>/`,
loaded with `ldkit trigger`'s own manifest loader and re-read when the file
changes (checked by modification time and size on every use, so editing a
manifest takes effect on the next call without a restart)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ldkit.trigger.loading import (
    MANIFEST,
    ManifestUnreadable,
    ManifestUnusable,
    TriggerManifest,
    load_trigger_manifest,
)

_KEY = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


class IntegrationUnavailable(Exception):
    """No usable trigger capability under that key; the message says why."""


@dataclass
class _Cached:
    stamp: tuple[int, int, int]
    loaded: TriggerManifest


@dataclass
class IntegrationCatalog:
    root: Path
    _cache: dict[str, _Cached] = field(default_factory=dict)

    @property
    def integrations_dir(self) -> Path:
        return self.root / "integrations"

    def get(self, key: str) -> TriggerManifest:
        if not _KEY.fullmatch(key):
            raise IntegrationUnavailable(f"{key!r} is not an integration key")
        path = self.integrations_dir / key / MANIFEST
        try:
            info = os.stat(path)
        except OSError:
            self._cache.pop(key, None)
            raise IntegrationUnavailable(f"no integration {key!r}: {path} does not exist") from None
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        cached = self._cache.get(key)
        if cached is not None and cached.stamp == stamp:
            return cached.loaded
        try:
            loaded = load_trigger_manifest(path)
        except ManifestUnreadable as exc:
            raise IntegrationUnavailable(str(exc)) from None
        except ManifestUnusable as exc:
            first = exc.findings[0]
            raise IntegrationUnavailable(
                f"{first.path}:{first.line}:{first.column}: {first.rule}: {first.message}"
            ) from None
        self._cache[key] = _Cached(stamp, loaded)
        return loaded

    def trigger_keys(self) -> list[str]:
        """Keys of the integrations with a usable trigger capability."""
        keys = []
        if not self.integrations_dir.is_dir():
            return keys
        for entry in sorted(self.integrations_dir.iterdir()):
            if (entry / MANIFEST).is_file():
                try:
                    self.get(entry.name)
                except IntegrationUnavailable:
                    continue
                keys.append(entry.name)
        return keys
