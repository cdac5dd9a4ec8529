"""Warnings for what the judging schema means to forbid but lets through.

LaunchDarkly's schema has constraints that never take effect (a length limit on
an array, `required` on a node without `type: object`) and a few places with no
constraint at all. A manifest relying on them passes upstream today, so these
are warnings, not errors: they tell a partner "wrong, but LaunchDarkly would not
notice" apart from "LaunchDarkly will reject this" (the LD10x errors).

Where the holes are is read from the schema that judges the manifest
(`RuleContext.schema`, `ldkit.schema.holes`): the bundled schema keeps
LaunchDarkly's no-op keywords for that purpose, and a checkout that closes a
hole (or opens one) is judged by what its own schema says.

Rules run on the raw manifest, which may not match the schema at all (those
problems are reported by the schema pass), so every lookup is defensive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import pointer_of, value_at
from ldkit.rules.base import Rule, RuleContext
from ldkit.schema.holes import CountIntent, instances
from ldkit.schema.messages import closest_choice, describe_json_type, field_name

#: HTTP methods whose requests carry no body, so no Content-Type to declare.
BODILESS_METHODS = frozenset({"GET", "HEAD", "DELETE"})
#: The last step of the fields LD152 and LD153 own among the count intentions;
#: every other intended count is LD151's.
_UI_ELEMENTS = "elements"
_HEADERS = "headers"


def _last_key(field: str) -> str:
    return field.rsplit(".", 1)[-1].removesuffix("[]")


def _listed(names: tuple[str, ...]) -> str:
    """`a, b and c`."""
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _count_holes(ctx: RuleContext, owner: str | None) -> Iterator[tuple[tuple, list, CountIntent]]:
    """(path, array, intent) for every array in the manifest whose item count is
    outside what the judging schema intends, among the fields `owner` names
    (None: the fields no other rule owns)."""
    for field, intent in ctx.schema.holes.count_intents.items():
        last = _last_key(field)
        mine = last == owner if owner is not None else last not in (_UI_ELEMENTS, _HEADERS)
        if not mine:
            continue
        for path, value in instances(ctx.manifest, field):
            if isinstance(value, list) and not intent.allows(len(value)):
                yield path, value, intent


class _HoleRule(Rule):
    severity = Severity.WARNING
    upstream = False


class NotAnObject(_HoleRule):
    id = "LD150"
    title = "Request or field map is not an object"
    explanation = (
        "Some places of LaunchDarkly's schema list the keys of an object but never say the "
        "value must be an object, so a string, number, array, boolean or null passes "
        "validation there. At 35c6f74 they are the five approval requests, "
        "buttonAction.actionRequest, memberListRequest.parser.memberItems and a form "
        "variable's dynamicOptions.parser.optionsItems; pull request #133 added "
        "jiraIssueCreate.creationRequest. ldkit finds them in the schema that judges, so a "
        "checkout that adds a type loses the warning. Such a manifest is accepted but the "
        "capability cannot work. Write the object the field describes."
    )
    bad_example = '"creationRequest": null'
    good_example = '"creationRequest": {"endpoint": {"url": "{{url}}/changes", "method": "POST"}}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field in ctx.schema.holes.untyped_objects:
            for path, value in instances(ctx.manifest, field):
                if isinstance(value, dict):
                    continue
                yield self.finding(
                    ctx,
                    pointer_of(*path),
                    f"{field_name(path)} is {describe_json_type(value)}; LaunchDarkly's "
                    "validator does not check the type here, but the capability needs an object "
                    "with the keys the schema lists",
                )


class ReservedCustomPropertiesCount(_HoleRule):
    id = "LD151"
    title = "Array outside the item count LaunchDarkly's schema intends"
    explanation = (
        "LaunchDarkly's schema sometimes gives an array a length limit with string-length "
        "keywords (minLength, maxLength), which never apply to arrays: at 35c6f74, "
        "reservedCustomProperties is meant to hold 1 to 3 items. An empty list reserves "
        "nothing; more items go beyond what LaunchDarkly intends to allow. ldkit reads the "
        "intended counts from the schema that judges (flagLink elements and endpoint headers "
        "have rules of their own, LD152 and LD153)."
    )
    bad_example = '"reservedCustomProperties": []'
    good_example = '"reservedCustomProperties": [{"name": "Dynatrace tags", "key": "dynatrace"}]'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, items, intent in _count_holes(ctx, None):
            what = "is empty" if not items else f"has {len(items)} items"
            if not items:
                advice = "Remove it or add an item."
            elif intent.maximum is not None and len(items) > intent.maximum:
                advice = f"Keep at most {intent.maximum}."
            else:
                advice = f"Add items: at least {intent.minimum}."
            yield self.finding(
                ctx,
                pointer_of(*path),
                f"{field_name(path)} {what}; LaunchDarkly's schema means to allow "
                f"{intent.describe()} (it does not enforce it). {advice}",
            )


class EmptyUiBlockElements(_HoleRule):
    id = "LD152"
    title = "flagLink UI block has no elements"
    explanation = (
        "flagLink.uiBlocks.title.elements and .context.elements are meant to hold at least "
        "one element, but the limit in LaunchDarkly's schema is a string keyword on an array "
        "and never applies. An empty list renders an empty line in the flag's links section."
    )
    bad_example = '"title": {"elements": []}'
    good_example = '"title": {"elements": [{"text": "{{metadata.title}}"}]}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, elements, intent in _count_holes(ctx, _UI_ELEMENTS):
            what = "is empty" if not elements else f"has {len(elements)} elements"
            yield self.finding(
                ctx,
                pointer_of(*path),
                f"{field_name(path)} {what}; LaunchDarkly's schema means it to hold "
                f"{intent.describe()} (it does not enforce it); add an element",
            )


class EmptyHeaders(_HoleRule):
    id = "LD153"
    title = "Endpoint has an empty headers list"
    explanation = (
        "LaunchDarkly's schema means endpoint.headers to hold at least one header, but uses "
        "an object keyword on the array, so [] passes. A request without Content-Type is "
        "rarely what the receiving service expects; list the headers, or leave the key out. "
        "Requests that send no body (GET, HEAD, DELETE) need no Content-Type and are not "
        "reported."
    )
    bad_example = '"method": "POST", "headers": []'
    good_example = '"headers": [{"name": "Content-Type", "value": "application/json"}]'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for path, _, _ in _count_holes(ctx, _HEADERS):
            method = value_at(ctx.manifest, *path[:-1], "method")
            if isinstance(method, str) and method.upper() in BODILESS_METHODS:
                continue
            yield self.finding(
                ctx,
                pointer_of(*path),
                f"{field_name(path)} is empty; add the headers the request needs (at least "
                "Content-Type) or remove the key",
            )


class RequestBodyTemplateExtraKey(_HoleRule):
    id = "LD154"
    title = "Unknown key where LaunchDarkly's schema lists no keys"
    explanation = (
        "A few objects in LaunchDarkly's schema describe their keys but do not limit them: "
        "the items of buttonAction.requestBodyTemplates (key, jsonBody, requiredContext) at "
        "35c6f74, and jiraIssueCreate.creationRequest since pull request #133. A misspelt key "
        "there passes and is ignored. ldkit reads these objects from the schema that judges."
    )
    bad_example = '{"key": "start", "jsonBody": "{}", "requiredContext": [], "jsonbody": "{}"}'
    good_example = '{"key": "start", "jsonBody": "{}", "requiredContext": []}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field, known in ctx.schema.holes.open_objects.items():
            for path, value in instances(ctx.manifest, field):
                if not isinstance(value, dict):
                    continue
                for key in value:
                    if key in known:
                        continue
                    suggestion = closest_choice(key, list(known))
                    hint = f"did you mean {json.dumps(suggestion)}? " if suggestion else ""
                    yield self.finding(
                        ctx,
                        pointer_of(*path, key),
                        f"unknown key {json.dumps(key)} in {field_name(path)} is ignored by "
                        f"LaunchDarkly; {hint}The keys it reads are {_listed(known)}",
                        key=True,
                    )


class EmptyPolicyStatement(_HoleRule):
    id = "LD155"
    title = "Empty statement in auditLogEventsHook.defaultPolicy"
    explanation = (
        "A defaultPolicy statement has no required keys, so {} passes. Its meaning then rests "
        "on documented defaults (allow every action on every resource), which sends far "
        "more events than a partner usually wants. Spell out effect, resources and actions."
    )
    bad_example = '"defaultPolicy": [{}]'
    good_example = (
        '"defaultPolicy": [{"effect": "allow", "resources": ["proj/*:env/production:flag/*"], '
        '"actions": ["*"]}]'
    )

    _POLICY = "capabilities.auditLogEventsHook.defaultPolicy"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if self._POLICY not in ctx.schema.holes.nothing_required:
            return  # the judging schema requires something of a statement
        for path, policy in instances(ctx.manifest, self._POLICY):
            if not isinstance(policy, list):
                continue
            for index, statement in enumerate(policy):
                if statement == {}:
                    yield self.finding(
                        ctx,
                        pointer_of(*path, index),
                        f"{field_name((*path, index))} is an empty statement; say which effect, "
                        'resources and actions it covers, for example {"effect": "allow", '
                        '"resources": ["proj/*:env/*:flag/*"], "actions": ["*"]}',
                    )


class UncheckedEventsHookTriggers(_HoleRule):
    id = "LD156"
    title = "A key LaunchDarkly's schema allows but does not check"
    explanation = (
        "LaunchDarkly's schema allows some keys without giving them a schema, so any value "
        "passes validation, a wrong shape or a typo inside included: eventsHook.triggers at "
        "35c6f74. ldkit reads these keys from the schema that judges. Make sure the value is "
        "what LaunchDarkly expects; no validator will tell you."
    )
    bad_example = '"triggers": "sometimes"'
    good_example = "(leave triggers out unless LaunchDarkly asked you to set it)"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field in ctx.schema.holes.unchecked_keys:
            for path, value in instances(ctx.manifest, field):
                yield self.finding(
                    ctx,
                    pointer_of(*path),
                    f"{field_name(path)} is not checked by LaunchDarkly's schema (any value "
                    f"passes; this one is {describe_json_type(value)}); make sure it has the "
                    "shape LaunchDarkly expects",
                )


#: Every hole rule's id: a warning about a mistake LaunchDarkly's schema lets through.
HOLE_RULE_IDS = frozenset(rule.id for rule in _HoleRule.__subclasses__())
