"""An integration's own samples: its replay cases marked `sample: event` or
`sample: test`, run through the reference trigger, so the sample rules
(LD520–LD522) can compare what the trigger makes of them with what the
partner says they are."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ldkit.integration import CASE_SUFFIX, REPLAYS, case_paths
from ldkit.replay.cases import CaseError, load_case
from ldkit.trigger.core import ParsedEvent, TriggerSpec, parse_event

if TYPE_CHECKING:
    from ldkit.fs import Reads


class SampleEvent(NamedTuple):
    case: str
    """The case file, relative to the integration: `replays/<name>.case.json`."""
    sample: str
    """`event` or `test`."""
    event: ParsedEvent


def sample_events(manifest: object, folder: Path, reads: Reads | None = None) -> list[SampleEvent]:
    """Every sample case that can run; broken cases are reported by
    LD510–LD514 instead, and a manifest without trigger has no samples.
    `reads`: the run's reads (the payload renders read the same files)."""
    spec = TriggerSpec.from_manifest(manifest)
    if spec is None:
        return []
    results: list[SampleEvent] = []
    for path in case_paths(folder):
        try:
            case = load_case(path, folder, reads)
            if case.sample is None:
                continue
            event = parse_event(spec, case.trigger_request())
        except CaseError:
            continue
        results.append(SampleEvent(f"{REPLAYS}/{case.name}{CASE_SUFFIX}", case.sample, event))
    return results
