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

from ldkit.core.findings import Finding
from ldkit.dynatrace import rules as render_rules
from ldkit.dynatrace.config import rules
from ldkit.dynatrace.config.checks import content_type
from ldkit.dynatrace.config.model import Webhook, finding, relocated
from ldkit.load.pointer import names_a_field
from ldkit.trigger.core import SCHEMA_DEFAULT_TEST_REGEXP, TriggerSpec

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
    spec: TriggerSpec
    samples: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def recommended_payload(self) -> Path:
        return self.directory / RECOMMENDED_PAYLOAD


def load_integration(directory: Path) -> Integration:
    from ldkit.fs import FileRefused
    from ldkit.integration import PROBLEM_SUFFIX, problem_paths
    from ldkit.load.jsonpos import load_path
    from ldkit.trigger.loading import ManifestUnreadable, ManifestUnusable, load_trigger_manifest

    try:
        loaded = load_trigger_manifest(directory)
    except ManifestUnreadable as exc:
        raise IntegrationError(str(exc)) from None
    except ManifestUnusable as exc:
        raise IntegrationError(f"{directory}: {exc}") from None
    samples: list[tuple[str, dict]] = []
    for path in problem_paths(directory):
        try:
            # Found by walking the integration: confined to it (a FIFO or a
            # link out of the tree is `validate`'s finding, not a crash here).
            result = load_path(str(path), root=directory)
        except FileRefused:
            continue
        if result.ok and isinstance(result.document.value, dict):
            samples.append((path.name.removesuffix(PROBLEM_SUFFIX), result.document.value))
    return Integration(directory, loaded.key, loaded.manifest, loaded.spec, samples)


#: Renderer findings about the template itself: the same for every problem,
#: so they are reported once.
_TEMPLATE_RULES = frozenset(
    rule.id
    for rule in (
        render_rules.TextPlaceholderUnquoted,
        render_rules.JsonPlaceholderQuoted,
        render_rules.UnknownPlaceholder,
        render_rules.TemplateLength,
        render_rules.DoubleBraces,
    )
)


def check(hook: Webhook, integration: Integration | None) -> list[Finding]:
    from ldkit.dynatrace.render import JSON_CONTENT_TYPE, render_payload
    from ldkit.trigger.core import TriggerRequest, parse_event

    payload = hook.payload
    if not payload.present:
        return []
    if payload.reference is not None or not isinstance(payload.value, str):
        if payload.reference is None:
            return []  # a wrong type, already reported
        return [
            finding(
                hook.path,
                payload.where,
                rules.PayloadUnchecked,
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
    #: rule -> [first run's label, its message, its finding, other runs with that rule]
    per_run: dict[str, list] = {}
    silent: list[str] = []
    for label, problem in runs:
        test = problem is None
        result = render_payload(
            payload.value, problem, content_type=kind, test_notification=test, path="<payload>"
        )
        for found in result.findings:
            if found.rule in _TEMPLATE_RULES:
                if (found.rule, found.message) not in seen:
                    seen.add((found.rule, found.message))
                    findings.append(
                        relocated(
                            found,
                            hook.path,
                            payload.where,
                            f"{payload.key}, line {found.line}, column {found.column}: "
                            f"{found.message}",
                        )
                    )
                continue
            message = f"line {found.line}, column {found.column}: {found.message}"
            entry = per_run.setdefault(found.rule, [label, message, found, []])
            if entry[0] != label and label not in entry[3]:
                entry[3].append(label)
        if integration is None:
            continue
        event = parse_event(
            integration.spec,
            TriggerRequest(result.body.encode("utf-8"), 0, kind, source=label),
        )
        if test and not event.is_test:
            pattern = integration.spec.test_regexp
            if pattern is None:
                pattern = SCHEMA_DEFAULT_TEST_REGEXP  # the manifest leaves the default
            findings.append(
                finding(
                    hook.path,
                    payload.where,
                    rules.TestNotificationFlipsFlag,
                    f'"Send test notification" would really run the trigger: its body gives the '
                    f"event name {event.event_name!r}, which the {integration.key} integration's "
                    f"testEventNameRegexp {pattern!r} does not match, so LaunchDarkly applies "
                    "the flag change; keep the test title where the manifest's parser reads it "
                    '(the recommended payload: {"title":"{ProblemTitle}","url":"{ProblemURL}"})',
                )
            )
        elif not test and event.event_name_source != "body":
            silent.append(label.removeprefix("problem sample "))
    for label, message, first, others in per_run.values():
        also = f" (also for {len(others)} more: {', '.join(others)})" if others else ""
        findings.append(
            relocated(
                first,
                hook.path,
                payload.where,
                f"{payload.key} rendered for {label}{also}, {message}",
            )
        )
    if silent and integration is not None and names_a_field(integration.spec.event_name_pointer):
        pointer = integration.spec.event_name_pointer
        findings.append(
            finding(
                hook.path,
                payload.where,
                rules.NoEventName,
                f"for the problem sample{'s' if len(silent) > 1 else ''} {', '.join(silent)} "
                f"the trigger reads no event name from the body (the {integration.key} "
                f"integration's parser reads {pointer!r}), so the flag's change history shows "
                "the default event name instead of the problem; put {ProblemTitle} where the "
                "parser reads it",
            )
        )
    return findings
