"""What LaunchDarkly's reviewers ask partners to change, before a reviewer has to.

Some of what a pull request to LaunchDarkly's integrations repository must get
right is in no schema and no test: it lives in review comments, written again
for each partner who gets it wrong. Each rule here is one such comment, with
the pull request it was written in, so a partner sees it when they run
ldkit instead of a day later in review. All are warnings: LaunchDarkly's
validator accepts these manifests, and a reviewer may still agree to an
exception.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import pointer_of, value_at
from ldkit.rules.base import Rule, RuleContext

#: The `legacy.kind` that marks one of LaunchDarkly's own Data Export destinations.
DATA_EXPORT_KIND = "dataExport"
#: otherCapabilities entries that make a listing part of LaunchDarkly's data
#: products (Data Export destinations and warehouse features).
DATA_PRODUCTS = frozenset({"dataExport", "warehouseExport", "warehouseExperimentation"})
#: Capabilities only LaunchDarkly's own data features use: a persistent store
#: for big segments, a configuration page inside LaunchDarkly's app.
DATA_PRODUCT_CAPABILITIES = frozenset({"bigSegmentStore", "internalConfigurationURL"})
#: The category reserved for those listings.
DATA_CATEGORY = "data"
#: The capability that must have a listing of its own.
SYNCED_SEGMENT = "syncedSegment"
#: What a synced-segment listing may still declare in otherCapabilities: that
#: it is set up on the partner's side.
SYNCED_SEGMENT_COMPANIONS = frozenset({"external"})


class _ReviewRule(Rule):
    severity = Severity.WARNING
    upstream = False


def _legacy_kind(manifest: object) -> object:
    return value_at(manifest, "legacy", "kind")


def _other_capabilities(manifest: object) -> list[object]:
    found = value_at(manifest, "otherCapabilities")
    return found if isinstance(found, list) else []


class ReservedDataCategory(_ReviewRule):
    id = "LD800"
    title = "The data category is reserved for LaunchDarkly's Data Export integrations"
    explanation = (
        "LaunchDarkly lists its Data Export destinations and warehouse integrations under the "
        "`data` category, and its reviewers ask partners to take the category out of other "
        "listings: in pull request #23 of launchdarkly/integration-framework (CloudQuery) the "
        "reviewer wrote that `data` is used specifically for the Data Export integrations, "
        "which that integration did not fall under, and the pull request went ahead once it "
        "was removed. LaunchDarkly's schema accepts the category anywhere, so nothing else "
        "tells you. ldkit stays quiet for a Data Export destination (`legacy.kind` "
        '`"dataExport"`), for a listing whose otherCapabilities name dataExport, '
        "warehouseExport or warehouseExperimentation, and for LaunchDarkly's own data "
        "features (a bigSegmentStore, or an internalConfigurationURL into LaunchDarkly's "
        "app). Pick the category that says what your "
        "integration does: analytics, automation, developer-tools, and so on."
    )
    bad_example = '"categories": ["analytics", "data"], "otherCapabilities": ["external"]'
    good_example = (
        '"categories": ["analytics", "developer-tools"], "otherCapabilities": ["external"]'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        categories = value_at(manifest, "categories")
        if not isinstance(categories, list) or DATA_CATEGORY not in categories:
            return
        if _legacy_kind(manifest) == DATA_EXPORT_KIND:
            return
        if any(item in DATA_PRODUCTS for item in _other_capabilities(manifest)):
            return
        capabilities = value_at(manifest, "capabilities")
        if isinstance(capabilities, dict) and DATA_PRODUCT_CAPABILITIES & set(capabilities):
            return
        index = categories.index(DATA_CATEGORY)
        yield self.finding(
            ctx,
            pointer_of("categories", index),
            'the "data" category is reserved for LaunchDarkly\'s Data Export and warehouse '
            "integrations (launchdarkly/integration-framework pull request #23); list the "
            "integration under the categories that describe what it does",
        )


class ReservedDataExportCapability(_ReviewRule):
    id = "LD801"
    title = "dataExport in otherCapabilities is for LaunchDarkly's Data Export destinations"
    explanation = (
        '`otherCapabilities: ["dataExport"]` tells LaunchDarkly the listing is one of its '
        'Data Export destinations, which also carry `legacy.kind: "dataExport"`. In pull '
        "request #23 of launchdarkly/integration-framework (CloudQuery) the reviewer asked for "
        "`data` to come out of the categories and then suggested deleting `dataExport` from "
        "otherCapabilities as well: an integration that reads LaunchDarkly's data through the "
        "API is not a Data Export destination. LaunchDarkly's schema accepts the value "
        "anywhere. Use `external` for an integration that is set up on your side."
    )
    bad_example = '"otherCapabilities": ["dataExport", "external"]'
    good_example = '"otherCapabilities": ["external"]'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        if _legacy_kind(manifest) == DATA_EXPORT_KIND:
            return
        for index, item in enumerate(_other_capabilities(manifest)):
            if item == "dataExport":
                yield self.finding(
                    ctx,
                    pointer_of("otherCapabilities", index),
                    '"dataExport" in otherCapabilities marks one of LaunchDarkly\'s Data Export '
                    'destinations (those also have legacy.kind "dataExport"; '
                    "launchdarkly/integration-framework pull request #23); remove it, or use "
                    '"external" for an integration set up on your side',
                )


class SyncedSegmentsOwnListing(_ReviewRule):
    id = "LD802"
    title = "Synced segments get an integration folder of their own"
    explanation = (
        "LaunchDarkly shows a synced-segment integration as its own card, separate from "
        "anything else the partner offers. In pull request #55 of "
        "launchdarkly/integration-framework (Census) the reviewer asked for a second "
        "directory holding only the synced segments, so that the two show up as two "
        "integrations with the right information for each, the way Segment has two; the "
        "public repository follows that (census and census-synced-segments, "
        "tealium-inbound and tealium-synced-segments). LaunchDarkly's schema accepts "
        "syncedSegment next to any capability. Move syncedSegment to a folder of its own, "
        "usually named `<partner>-synced-segments`, with its own manifest and icons; "
        '`otherCapabilities: ["external"]` may stay.'
    )
    bad_example = (
        '"capabilities": {"syncedSegment": {"...": "..."}, "auditLogEventsHook": {"...": "..."}}'
    )
    good_example = '"capabilities": {"syncedSegment": {"...": "..."}}   // in acme-synced-segments/'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        capabilities = value_at(manifest, "capabilities")
        if not isinstance(capabilities, dict) or SYNCED_SEGMENT not in capabilities:
            return
        others = [name for name in capabilities if name != SYNCED_SEGMENT]
        others += [
            item
            for item in _other_capabilities(manifest)
            if isinstance(item, str) and item not in SYNCED_SEGMENT_COMPANIONS
        ]
        if not others:
            return
        named = ", ".join(json.dumps(name) for name in others[:3])
        if len(others) > 3:
            named += f" and {len(others) - 3} more"
        yield self.finding(
            ctx,
            pointer_of("capabilities", SYNCED_SEGMENT),
            f"syncedSegment shares this listing with {named}; LaunchDarkly lists synced "
            "segments as an integration of their own (launchdarkly/integration-framework pull "
            f"request #55): move it to a folder such as {ctx.key}-synced-segments",
            key=True,
        )
