"""An integration must do something."""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import ABSENT, js_truthy, member
from ldkit.rules.base import Rule, RuleContext

# Upstream's one hard-coded exception to S17.
EXEMPT_FOLDERS = frozenset({"aiconfig-test-run"})


class NoCapabilities(Rule):
    id = "LD204"
    severity = Severity.ERROR
    title = "No capabilities and no otherCapabilities"
    upstream = True
    explanation = (
        "An integration without a `capabilities` object must list at least one entry in "
        "`otherCapabilities` (for example `external` for an integration configured outside "
        'LaunchDarkly); LaunchDarkly\'s tests reject it otherwise. `"capabilities": {}` counts '
        "as present. The folder `aiconfig-test-run` is exempt upstream."
    )
    bad_example = '{"name": "Example", "...": "...", "otherCapabilities": []}'
    good_example = '{"name": "Example", "...": "...", "otherCapabilities": ["external"]}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        if not isinstance(manifest, dict) or ctx.key in EXEMPT_FOLDERS:
            return
        if js_truthy(member(manifest, "capabilities")):
            return
        other = member(manifest, "otherCapabilities")
        if other is ABSENT or other is None:
            what = "otherCapabilities is null" if other is None else "it has no otherCapabilities"
        elif isinstance(other, list) and not other:
            what = "otherCapabilities is empty"
        else:
            return  # a list with items, or a wrong type that the schema reports
        yield self.finding(
            ctx,
            "/otherCapabilities",
            f"the manifest has no capabilities and {what}; add a capability, or list what "
            'the integration does in "otherCapabilities" (for example ["external"])',
        )
