"""The sample flag change LaunchDarkly's preview renders, with "now" fixed.

`preview.js` renders every audit-log integration against one stored flag
event, a targeting-rule update of a flag called "Demo flag", after setting its
`timestamp.milliseconds` to the current time and `timestamp.seconds` to that
divided by 1000 (the `rfc3339` and `simple` fields keep their stored values).
`flag_event.json` holds the same values, so previews match upstream's byte for
byte; `--timestamp` replaces the clock so they can be reproduced.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

#: The name preview.js prints for its sample (`BODY:` line, curl banner).
SAMPLE_FILE_NAME = "targeting-rule-update.json"

_EVENT = Path(__file__).resolve().parent / "flag_event.json"


def now_millis() -> int:
    """The current time in milliseconds, as JavaScript's `Date.now()`."""
    return time.time_ns() // 1_000_000


def flag_event(timestamp_ms: int) -> dict[str, object]:
    """A fresh copy of the sample flag event, happening at `timestamp_ms`."""
    from ldkit.fs import read_text

    event = json.loads(read_text(_EVENT, root=_EVENT.parent))
    stamp = event["timestamp"]
    stamp["milliseconds"] = timestamp_ms
    stamp["seconds"] = timestamp_ms // 1000
    return event
