"""An integration's own samples: its replay cases marked `sample: event` or
`sample: test`, run through the reference trigger, so the sample rules
(LD520–LD522) can compare what the trigger makes of them with what the
partner says they are.

A case whose body is rendered from a payload template and a problem sample
consumes both: when either is broken (the render has an error, the sample
breaks its schema), the sample's `broken_input` names that file, and the
sample rules say nothing about the case: the broken file's own finding is the
cause.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ldkit.integration import CASE_SUFFIX, REPLAYS, case_paths
from ldkit.replay.cases import CaseError, ReplayCase, load_case, load_json
from ldkit.trigger.core import ParsedEvent, TriggerRequest, TriggerSpec, parse_event

if TYPE_CHECKING:
    from ldkit.fs import Reads


class SampleEvent(NamedTuple):
    case: str
    """The case file, relative to the integration: `replays/<name>.case.json`."""
    sample: str
    """`event` or `test`."""
    event: ParsedEvent
    source: ReplayCase | None = None
    """The case as read, to ask `broken_input` about."""


def broken_input(run: SampleEvent) -> str | None:
    """The template or problem sample (relative to the integration) whose own
    error makes this case's body meaningless, or None. Asked only about a case a
    sample rule would report: it renders the payload again, and checking the
    sample against its schema needs jsonschema, which `validate` of a clean
    integration never imports."""
    return None if run.source is None else _broken_input(run.source)


def _broken_input(case: ReplayCase) -> str | None:
    """The broken file a case's rendered body comes from, if any."""
    spec = case.request.get("dynatrace")
    if not isinstance(spec, dict):
        return None
    from ldkit.core.findings import Severity
    from ldkit.dynatrace.render import TemplateError, read_template, render_payload
    from ldkit.dynatrace.sample_schema import is_valid

    expected = spec.get("expectFindings")
    expected = set(expected) if isinstance(expected, list) else set()
    test_notification = spec.get("testNotification") is True
    problem = None
    if isinstance(spec.get("problem"), str) and not test_notification:
        path = case.path.parent / str(spec["problem"])
        from ldkit.fs import FileRefused, read_bytes

        try:
            problem = load_json(read_bytes(path, root=case.integration_dir))
        except (FileRefused, ValueError):
            return _relative(path, case)
        if not is_valid(problem):
            return _relative(path, case)
    template_path = case.path.parent / str(spec.get("template"))
    try:
        template = read_template(str(template_path), root=str(case.integration_dir))
    except TemplateError:
        return None  # LD512 reports the case
    result = render_payload(
        template,
        problem if isinstance(problem, dict) else None,
        content_type=spec.get("contentType", case.content_type),
        test_notification=test_notification,
        path="",
    )
    broken = any(f.severity is Severity.ERROR and f.rule not in expected for f in result.findings)
    return _relative(template_path, case) if broken else None


def _relative(path: Path, case: ReplayCase) -> str:
    return path.resolve().relative_to(case.integration_dir.resolve()).as_posix()


class SampleRequest(NamedTuple):
    """A sample case read and its request built: what does not depend on the manifest."""

    case: str
    sample: str
    request: TriggerRequest
    source: ReplayCase


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
        results.append(
            SampleRequest(f"{REPLAYS}/{case.name}{CASE_SUFFIX}", case.sample, request, case)
        )
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
        results.append(SampleEvent(item.case, item.sample, event, item.source))
    return results
