"""What the configured payload does once Dynatrace sends it to the trigger.

The payload is rendered by the one renderer (`ldkit.dynatrace.render`, the
code behind `ldkit render`) for Dynatrace's test notification and for every
problem sample of the integration, and each body goes through the one trigger
parser (`ldkit.trigger.core.parse_event`) with the integration's manifest.
The renderer's own findings (LD6xx) keep their ids; they and the trigger
outcomes are positioned at the payload field of the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ldkit.dynatrace.config import ids
from ldkit.dynatrace.config.checks import content_type
from ldkit.dynatrace.config.model import Webhook, finding
from ldkit.findings import Finding, Severity

SAMPLES = "samples"
SAMPLE_SUFFIX = ".problem.json"
RECOMMENDED_PAYLOAD = Path("payloads") / "recommended.json"
TEST_NOTIFICATION = "the test notification"


class IntegrationError(Exception):
    """An integration folder that cannot be used (exit code 2)."""


@dataclass
class Integration:
    """What the payload checks need from an integration folder: its trigger
    capability, its name and its problem samples (name, parsed value)."""

    directory: Path
    key: str
    manifest: dict
    spec: object
    samples: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def recommended_payload(self) -> Path:
        return self.directory / RECOMMENDED_PAYLOAD


def load_integration(directory: Path) -> Integration:
    from ldkit.jsonpos import load_path
    from ldkit.trigger.loading import ManifestUnreadable, ManifestUnusable, load_trigger_manifest

    try:
        loaded = load_trigger_manifest(directory)
    except ManifestUnreadable as exc:
        raise IntegrationError(str(exc)) from None
    except ManifestUnusable as exc:
        raise IntegrationError(f"{directory}: {exc}") from None
    samples: list[tuple[str, dict]] = []
    for path in sorted((directory / SAMPLES).glob("*" + SAMPLE_SUFFIX)):
        result = load_path(str(path))
        if result.ok and isinstance(result.document.value, dict):
            samples.append((path.name.removesuffix(SAMPLE_SUFFIX), result.document.value))
    return Integration(directory, loaded.key, loaded.manifest, loaded.spec, samples)


#: Renderer findings about the template itself: the same for every problem,
#: so they are reported once.
_TEMPLATE_RULES = frozenset({"LD600", "LD601", "LD603", "LD605", "LD608"})


def check(hook: Webhook, integration: Integration | None) -> list[Finding]:
    from ldkit.dynatrace.render import JSON_CONTENT_TYPE, render_payload
    from ldkit.trigger.core import TriggerRequest, parse_event

    payload = hook.payload
    if not payload.present:
        return []
    if not isinstance(payload.value, str):
        if payload.reference is None:
            return []  # a wrong type, already reported
        return [
            finding(
                hook.path,
                payload.where,
                ids.PAYLOAD_UNCHECKED,
                Severity.WARNING,
                f"{payload.key} is {payload.reference!r}, known only at deploy time, so ldkit "
                "cannot render it; check the payload itself with ldkit render",
            )
        ]
    kind = content_type(hook) or JSON_CONTENT_TYPE
    runs: list[tuple[str, dict | None]] = [(TEST_NOTIFICATION, None)]
    if integration is not None:
        runs.extend((f"problem sample {name}", value) for name, value in integration.samples)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for label, problem in runs:
        test = problem is None
        result = render_payload(
            payload.value, problem, content_type=kind, test_notification=test, path="<payload>"
        )
        for found in result.findings:
            key = (found.rule, found.message)
            if key in seen:
                continue
            seen.add(key)
            where = "" if found.rule in _TEMPLATE_RULES else f" (rendered for {label})"
            findings.append(
                finding(
                    hook.path,
                    payload.where,
                    found.rule,
                    found.severity,
                    f"{payload.key}{where}, line {found.line}, column {found.column}: "
                    f"{found.message}",
                )
            )
        if integration is None:
            continue
        event = parse_event(
            integration.spec,  # type: ignore[arg-type]
            TriggerRequest(result.body.encode("utf-8"), 0, kind, source=label),
        )
        if test and not event.is_test:
            pattern = getattr(integration.spec, "test_regexp", None) or "the schema default"
            findings.append(
                finding(
                    hook.path,
                    payload.where,
                    ids.TEST_NOT_TEST,
                    Severity.ERROR,
                    f'"Send test notification" would really run the trigger: its body gives the '
                    f"event name {event.event_name!r}, which {integration.key}'s "
                    f"testEventNameRegexp {pattern!r} does not match, so LaunchDarkly applies "
                    "the flag change; keep the test title where the manifest's parser reads it "
                    '(the recommended payload: {"title":"{ProblemTitle}","url":"{ProblemURL}"})',
                )
            )
        elif not test and event.event_name_source != "body":
            findings.append(
                finding(
                    hook.path,
                    payload.where,
                    ids.NO_EVENT_NAME,
                    Severity.WARNING,
                    f"for {label} the trigger reads no event name from the body (its parser "
                    f"reads {getattr(integration.spec, 'event_name_pointer', None)!r}), so the "
                    f"flag's change history says {event.event_name!r} instead of the problem; "
                    "put {ProblemTitle} where the parser reads it",
                )
            )
    return findings
