"""An integration's own samples: its replay cases marked `sample: event` or
`sample: test`, run through the reference trigger, so the sample rules
(LD520–LD522) can compare what the trigger makes of them with what the
partner says they are."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ldkit.integration import CASE_SUFFIX, REPLAYS, case_paths
from ldkit.replay.cases import CaseError, load_case
from ldkit.trigger.core import ParsedEvent, TriggerRequest, TriggerSpec, parse_event

if TYPE_CHECKING:
    from ldkit.fs import Reads


class SampleEvent(NamedTuple):
    case: str
    """The case file, relative to the integration: `replays/<name>.case.json`."""
    sample: str
    """`event` or `test`."""
    event: ParsedEvent


class SampleRequest(NamedTuple):
    """A sample case read and its request built: what does not depend on the manifest."""

    case: str
    sample: str
    request: TriggerRequest


def sample_requests(folder: Path, reads: Reads | None = None) -> list[SampleRequest]:
    """The requests of every sample case that can be read; broken cases are
    reported by LD510–LD514 instead. `reads`: the run's reads (the payload
    renders read the same files)."""
    results: list[SampleRequest] = []
    for path in case_paths(folder):
        try:
            case = load_case(path, folder, reads)
            if case.sample is None:
                continue
            request = case.trigger_request()
        except CaseError:
            continue
        results.append(SampleRequest(f"{REPLAYS}/{case.name}{CASE_SUFFIX}", case.sample, request))
    return results


def sample_events(
    manifest: object, folder: Path, requests: list[SampleRequest] | None = None
) -> list[SampleEvent]:
    """Every sample case that can run, through the manifest's trigger (a manifest
    without trigger has no samples). `requests`: `sample_requests(folder)`,
    when the caller already has them."""
    spec = TriggerSpec.from_manifest(manifest)
    if spec is None:
        return []
    if requests is None:
        requests = sample_requests(folder)
    results: list[SampleEvent] = []
    for item in requests:
        try:
            event = parse_event(spec, item.request)
        except CaseError:
            continue
        results.append(SampleEvent(item.case, item.sample, event))
    return results
