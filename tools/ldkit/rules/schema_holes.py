"""Warnings for what LaunchDarkly's schema means to forbid but lets through.

LaunchDarkly's schema has constraints that never take effect (a length limit on
an array, `required` on a node without `type: object`) and a few places with no
constraint at all. A manifest relying on them passes upstream today, so these
are warnings, not errors: they tell a partner "wrong, but LaunchDarkly would not
notice" apart from "LaunchDarkly will reject this" (the LD10x errors).

Rules run on the raw manifest, which may not match the schema at all (those
problems are reported by the schema pass), so every lookup is defensive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import APPROVAL_REQUESTS, FORM_VARIABLE_PATHS, pointer_of, value_at
from ldkit.rules.base import Rule, RuleContext
from ldkit.schema.messages import closest_choice, describe_json_type, field_name


def _form_variable_lists(manifest: object) -> Iterator[tuple[tuple[str | int, ...], list]]:
    for path in FORM_VARIABLE_PATHS:
        variables = value_at(manifest, *path)
        if isinstance(variables, list):
            yield path, variables


#: HTTP methods whose requests carry no body, so no Content-Type to declare.
BODILESS_METHODS = frozenset({"GET", "HEAD", "DELETE"})


def _endpoint_paths(manifest: object) -> Iterator[tuple[str | int, ...]]:
    """Where an endpoint object may sit in a manifest."""
    yield ("capabilities", "auditLogEventsHook", "endpoint")
    yield ("capabilities", "eventsHook", "endpoint")
    for request in APPROVAL_REQUESTS:
        yield ("capabilities", "approval", request, "endpoint")
    yield ("capabilities", "buttonAction", "actionRequest", "endpoint")
    yield ("capabilities", "featureStore", "validationRequest", "endpoint")
    yield ("capabilities", "featureStore", "featureStoreRequest", "endpoint")
    yield ("capabilities", "jiraIssueCreate", "creationRequest", "endpoint")
    for path, variables in _form_variable_lists(manifest):
        for index in range(len(variables)):
            yield (*path, index, "dynamicOptions", "endpoint")


def _untyped_object_paths(manifest: object) -> Iterator[tuple[str | int, ...]]:
    """The schema nodes that list keys but forgot `type: object`."""
    for request in APPROVAL_REQUESTS:
        yield ("capabilities", "approval", request)
    yield ("capabilities", "approval", "memberListRequest", "parser", "memberItems")
    yield ("capabilities", "buttonAction", "actionRequest")
    yield ("capabilities", "jiraIssueCreate", "creationRequest")
    for path, variables in _form_variable_lists(manifest):
        for index in range(len(variables)):
            yield (*path, index, "dynamicOptions", "parser", "optionsItems")


class _HoleRule(Rule):
    severity = Severity.WARNING
    upstream = False


class NotAnObject(_HoleRule):
    id = "LD150"
    title = "Request or field map is not an object"
    explanation = (
        "Nine places of LaunchDarkly's schema list the keys of an object but never say the "
        "value must be an object, so a string, number, array, boolean or null passes "
        "validation there: the five approval requests, buttonAction.actionRequest, "
        "jiraIssueCreate.creationRequest, memberListRequest.parser.memberItems and a form "
        "variable's "
        "dynamicOptions.parser.optionsItems. Such a manifest is accepted but the capability "
        "cannot work. Write the object the field describes."
    )
    bad_example = '"creationRequest": null'
    good_example = '"creationRequest": {"endpoint": {"url": "{{url}}/changes", "method": "POST"}}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        for path in _untyped_object_paths(manifest):
            parent = value_at(manifest, *path[:-1])
            if not isinstance(parent, dict) or path[-1] not in parent:
                continue
            value = parent[path[-1]]
            if isinstance(value, dict):
                continue
            yield self.finding(
                ctx,
                pointer_of(*path),
                f"{field_name(path)} is {describe_json_type(value)}; LaunchDarkly's validator "
                "does not check the type here, but the capability needs an object with the keys "
                "the schema lists",
            )


class ReservedCustomPropertiesCount(_HoleRule):
    id = "LD151"
    title = "reservedCustomProperties should have 1 to 3 items"
    explanation = (
        "LaunchDarkly's schema gives reservedCustomProperties a length of 1 to 3, but as "
        "string-length keywords on an array, so the limit never applies. An empty list "
        "reserves nothing; more than three goes beyond what LaunchDarkly intends to allow."
    )
    bad_example = '"reservedCustomProperties": []'
    good_example = '"reservedCustomProperties": [{"name": "Dynatrace tags", "key": "dynatrace"}]'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        items = value_at(ctx.manifest, "capabilities", "reservedCustomProperties")
        if not isinstance(items, list) or 1 <= len(items) <= 3:
            return
        what = "is empty" if not items else f"has {len(items)} items"
        yield self.finding(
            ctx,
            "/capabilities/reservedCustomProperties",
            f"capabilities.reservedCustomProperties {what}; LaunchDarkly's schema means to allow "
            "1 to 3 (it does not enforce it). "
            + ("Remove the capability or reserve a property." if not items else "Keep at most 3."),
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
        for block in ("title", "context"):
            path = ("capabilities", "flagLink", "uiBlocks", block, "elements")
            if value_at(ctx.manifest, *path) == []:
                yield self.finding(
                    ctx,
                    pointer_of(*path),
                    f"{field_name(path)} is empty; add at least one element (LaunchDarkly's "
                    "schema means to require one but does not enforce it)",
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
        for path in _endpoint_paths(ctx.manifest):
            method = value_at(ctx.manifest, *path, "method")
            if isinstance(method, str) and method.upper() in BODILESS_METHODS:
                continue
            if value_at(ctx.manifest, *path, "headers") == []:
                full = (*path, "headers")
                yield self.finding(
                    ctx,
                    pointer_of(*full),
                    f"{field_name(full)} is empty; add the headers the request needs (at least "
                    "Content-Type) or remove the key",
                )


class RequestBodyTemplateExtraKey(_HoleRule):
    id = "LD154"
    title = "Unknown key in a buttonAction request body template"
    explanation = (
        "Items of buttonAction.requestBodyTemplates have no key list in LaunchDarkly's "
        "schema, so a misspelt key passes and is ignored. Only key, jsonBody and "
        "requiredContext mean something."
    )
    bad_example = '{"key": "start", "jsonBody": "{}", "requiredContext": [], "jsonbody": "{}"}'
    good_example = '{"key": "start", "jsonBody": "{}", "requiredContext": []}'

    _KNOWN = ("key", "jsonBody", "requiredContext")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        templates = value_at(ctx.manifest, "capabilities", "buttonAction", "requestBodyTemplates")
        if not isinstance(templates, list):
            return
        for index, item in enumerate(templates):
            if not isinstance(item, dict):
                continue
            for key in item:
                if key in self._KNOWN:
                    continue
                path = ("capabilities", "buttonAction", "requestBodyTemplates", index, key)
                suggestion = closest_choice(key, list(self._KNOWN))
                hint = f"did you mean {json.dumps(suggestion)}? " if suggestion else ""
                yield self.finding(
                    ctx,
                    pointer_of(*path),
                    f"unknown key {json.dumps(key)} in {field_name(path[:-1])} is ignored by "
                    f"LaunchDarkly; {hint}The keys it reads are key, jsonBody and requiredContext",
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

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        policy = value_at(ctx.manifest, "capabilities", "auditLogEventsHook", "defaultPolicy")
        if not isinstance(policy, list):
            return
        for index, statement in enumerate(policy):
            if statement == {}:
                path = ("capabilities", "auditLogEventsHook", "defaultPolicy", index)
                yield self.finding(
                    ctx,
                    pointer_of(*path),
                    f"{field_name(path)} is an empty statement; say which effect, resources "
                    'and actions it covers, for example {"effect": "allow", "resources": '
                    '["proj/*:env/*:flag/*"], "actions": ["*"]}',
                )


class UncheckedEventsHookTriggers(_HoleRule):
    id = "LD156"
    title = "eventsHook.triggers is not checked by LaunchDarkly's schema"
    explanation = (
        "LaunchDarkly's schema allows a triggers key in eventsHook but gives it no schema, so "
        "any value passes validation, a wrong shape or a typo inside included. Make sure the "
        "value is what LaunchDarkly expects for your events hook; no validator will tell you."
    )
    bad_example = '"triggers": "sometimes"'
    good_example = "(leave triggers out unless LaunchDarkly asked you to set it)"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        hook = value_at(ctx.manifest, "capabilities", "eventsHook")
        if isinstance(hook, dict) and "triggers" in hook:
            yield self.finding(
                ctx,
                "/capabilities/eventsHook/triggers",
                "capabilities.eventsHook.triggers is not checked by LaunchDarkly's schema "
                f"(any value passes; this one is {describe_json_type(hook['triggers'])}); make "
                "sure it has the shape LaunchDarkly expects",
            )


#: Every hole rule's id: a warning about a mistake LaunchDarkly's schema lets through.
HOLE_RULE_IDS = frozenset(rule.id for rule in _HoleRule.__subclasses__())
