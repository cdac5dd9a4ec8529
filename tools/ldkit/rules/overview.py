"""The overview sentence."""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules.base import Rule, RuleContext


class OverviewPeriod(Rule):
    id = "LD203"
    severity = Severity.ERROR
    title = "overview must end with a period"
    upstream = True
    explanation = (
        "The overview is shown as one sentence on the integrations page, and LaunchDarkly's "
        "tests reject an `overview` that does not end with `.` (a trailing space after the "
        "period fails too)."
    )
    bad_example = '"overview": "Send flag changes to Dynatrace"'
    good_example = '"overview": "Send flag changes to Dynatrace."'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        overview = manifest.get("overview") if isinstance(manifest, dict) else None
        if isinstance(overview, str) and not overview.endswith("."):
            hint = " (remove the trailing whitespace)" if overview.rstrip().endswith(".") else ""
            yield self.finding(
                ctx,
                "/overview",
                f"overview must end with a period '.'{hint}; LaunchDarkly's tests reject it "
                "otherwise",
            )
