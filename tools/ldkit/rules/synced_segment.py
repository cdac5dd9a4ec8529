"""How a synced-segment request lists its members (S20–S25).

A partner's cohort request either carries one member array (`memberArrayPath`,
optionally filtered by `arrayInclusion`) or two (`addMemberArrayPath` and
`removeMemberArrayPath`). The schema allows any mix; LaunchDarkly's
`validateSyncedSegmentCapability.js` test rejects the inconsistent ones. The
rules follow that test as coded: "set" is JavaScript-truthy, "present" means
the key exists (null included), "absent" means it does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import ABSENT, dig, js_truthy, member, pointer_of
from ldkit.rules.base import Rule, RuleContext

PARSER = ("capabilities", "syncedSegment", "requestParser")


def _parser(ctx: RuleContext) -> dict | None:
    if not js_truthy(dig(ctx.manifest, "capabilities", "syncedSegment")):
        return None
    parser = dig(ctx.manifest, *PARSER)
    return parser if isinstance(parser, dict) else None


def _at(*keys: str) -> str:
    return pointer_of(*PARSER, *keys)


def _set(parser: dict, key: str) -> bool:
    return js_truthy(parser.get(key, ABSENT))


class _SyncedSegmentRule(Rule):
    severity = Severity.ERROR
    upstream = True

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        parser = _parser(ctx)
        if parser is not None:
            yield from self.check_parser(ctx, parser)

    def check_parser(self, ctx: RuleContext, parser: dict) -> Iterator[Finding]:
        return iter(())


class RemoveNeedsAdd(_SyncedSegmentRule):
    id = "LD230"
    title = "removeMemberArrayPath needs addMemberArrayPath"
    explanation = (
        "A synced-segment request that lists removed members in `removeMemberArrayPath` must "
        "also say where added members are, in `addMemberArrayPath`. LaunchDarkly's tests reject "
        "one without the other."
    )
    bad_example = '"requestParser": {"removeMemberArrayPath": "/removed", ...}'
    good_example = (
        '"requestParser": {"addMemberArrayPath": "/added", "removeMemberArrayPath": "/removed", '
        "...}"
    )

    def check_parser(self, ctx: RuleContext, parser: dict) -> Iterator[Finding]:
        if _set(parser, "removeMemberArrayPath") and "addMemberArrayPath" not in parser:
            yield self.finding(
                ctx,
                _at("removeMemberArrayPath"),
                "removeMemberArrayPath is set but addMemberArrayPath is missing; add the "
                "pointer to the array of added members",
            )


class AddNeedsRemove(_SyncedSegmentRule):
    id = "LD231"
    title = "addMemberArrayPath needs removeMemberArrayPath"
    explanation = (
        "A synced-segment request that lists added members in `addMemberArrayPath` must also "
        "say where removed members are, in `removeMemberArrayPath`. LaunchDarkly's tests reject "
        "one without the other."
    )
    bad_example = '"requestParser": {"addMemberArrayPath": "/added", ...}'
    good_example = (
        '"requestParser": {"addMemberArrayPath": "/added", "removeMemberArrayPath": "/removed", '
        "...}"
    )

    def check_parser(self, ctx: RuleContext, parser: dict) -> Iterator[Finding]:
        if _set(parser, "addMemberArrayPath") and "removeMemberArrayPath" not in parser:
            yield self.finding(
                ctx,
                _at("addMemberArrayPath"),
                "addMemberArrayPath is set but removeMemberArrayPath is missing; add the "
                "pointer to the array of removed members",
            )


def _add_or_remove(parser: dict) -> str | None:
    for key in ("addMemberArrayPath", "removeMemberArrayPath"):
        if _set(parser, key):
            return key
    return None


class MemberArrayWithAddRemove(_SyncedSegmentRule):
    id = "LD232"
    title = "memberArrayPath cannot be combined with add/remove member arrays"
    explanation = (
        "A request gives either one member array (`memberArrayPath`) or separate arrays of "
        "added and removed members (`addMemberArrayPath`, `removeMemberArrayPath`). "
        "LaunchDarkly's tests reject `memberArrayPath` (even null) next to either of the others."
    )
    bad_example = (
        '"requestParser": {"memberArrayPath": "/members", "addMemberArrayPath": "/added", '
        '"removeMemberArrayPath": "/removed", ...}'
    )
    good_example = (
        '"requestParser": {"addMemberArrayPath": "/added", "removeMemberArrayPath": "/removed", '
        "...}"
    )

    def check_parser(self, ctx: RuleContext, parser: dict) -> Iterator[Finding]:
        other = _add_or_remove(parser)
        if other and "memberArrayPath" in parser:
            yield self.finding(
                ctx,
                _at("memberArrayPath"),
                f"memberArrayPath cannot be used together with {other}; remove memberArrayPath "
                "or the add/remove member arrays",
                key=True,
            )


class ArrayInclusionNeedsMemberArray(_SyncedSegmentRule):
    id = "LD233"
    title = "arrayInclusion needs memberArrayPath"
    explanation = (
        "`arrayInclusion` decides, from a value in the request, whether the members in "
        "`memberArrayPath` are added or removed. LaunchDarkly's tests reject it without "
        "`memberArrayPath`."
    )
    bad_example = (
        '"requestParser": {"arrayInclusion": {"path": "/action", "matcher": "^add$"}, ...}'
    )
    good_example = (
        '"requestParser": {"memberArrayPath": "/members", "arrayInclusion": {"path": "/action", '
        '"matcher": "^add$"}, ...}'
    )

    def check_parser(self, ctx: RuleContext, parser: dict) -> Iterator[Finding]:
        if _set(parser, "arrayInclusion") and "memberArrayPath" not in parser:
            yield self.finding(
                ctx,
                _at("arrayInclusion"),
                "arrayInclusion is set but memberArrayPath is missing; add the pointer to the "
                "array of members it applies to",
            )


class ArrayInclusionWithAddRemove(_SyncedSegmentRule):
    id = "LD234"
    title = "arrayInclusion cannot be combined with add/remove member arrays"
    explanation = (
        "With separate `addMemberArrayPath` and `removeMemberArrayPath` arrays the request "
        "already says which members are added and removed, and LaunchDarkly's tests reject an "
        "`arrayInclusion` (even null) next to them."
    )
    bad_example = (
        '"requestParser": {"addMemberArrayPath": "/added", "removeMemberArrayPath": "/removed", '
        '"arrayInclusion": {"path": "/action", "matcher": "^add$"}, ...}'
    )
    good_example = (
        '"requestParser": {"addMemberArrayPath": "/added", "removeMemberArrayPath": "/removed", '
        "...}"
    )

    def check_parser(self, ctx: RuleContext, parser: dict) -> Iterator[Finding]:
        other = _add_or_remove(parser)
        if other and "arrayInclusion" in parser:
            yield self.finding(
                ctx,
                _at("arrayInclusion"),
                f"arrayInclusion cannot be used together with {other}; remove arrayInclusion",
                key=True,
            )


class BooleanMembershipNeedsMemberArray(_SyncedSegmentRule):
    id = "LD235"
    title = "memberArrayParser.booleanMembershipPath needs memberArrayPath"
    explanation = (
        "`booleanMembershipPath` reads, per member of the `memberArrayPath` array, whether the "
        "member is in the segment. LaunchDarkly's tests reject it without `memberArrayPath` "
        "(the test's title states the opposite implication; this is what its code checks)."
    )
    bad_example = (
        '"requestParser": {"memberArrayParser": {"memberIdPath": "/id", '
        '"booleanMembershipPath": "/in"}, ...}'
    )
    good_example = (
        '"requestParser": {"memberArrayPath": "/members", "memberArrayParser": {"memberIdPath": '
        '"/id", "booleanMembershipPath": "/in"}, ...}'
    )

    def check_parser(self, ctx: RuleContext, parser: dict) -> Iterator[Finding]:
        boolean = member(parser.get("memberArrayParser"), "booleanMembershipPath")
        if js_truthy(boolean) and "memberArrayPath" not in parser:
            yield self.finding(
                ctx,
                _at("memberArrayParser", "booleanMembershipPath"),
                "memberArrayParser.booleanMembershipPath is set but memberArrayPath is "
                "missing; add the pointer to the array of members",
            )
