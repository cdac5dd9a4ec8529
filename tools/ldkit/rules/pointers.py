"""JSON pointer checks for every parser field of the manifest.

The schema types all of these as plain strings, so `"title"`, `"data.title"`
or `"~2"` pass LaunchDarkly's validator and then silently resolve to nothing
at run time. A pointer that is not RFC 6901 can never work, hence an error; a
valid pointer that was probably meant differently (`""`, `/items[0]/x`) is a
warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ldkit.core.findings import Finding, Severity
from ldkit.load import pointer as jsonpointer
from ldkit.rules._support import APPROVAL_STATUS_REQUESTS, FORM_VARIABLE_PATHS, value_at
from ldkit.rules.base import Rule, RuleContext

TRIGGER_PARSER = "/capabilities/trigger/parser"
_TRIGGER_WHAT = {"eventName": "the event name", "value": "the value", "url": "the link"}
_SYNCED_SEGMENT_PATHS = (
    "environmentIdPath",
    "contextKindPath",
    "cohortIdPath",
    "cohortNamePath",
    "cohortUrlPath",
    "memberArrayPath",
    "addMemberArrayPath",
    "removeMemberArrayPath",
)
_MEMBER_PATHS = ("memberIdPath", "booleanMembershipPath", "cohortNamePath", "cohortIdPath")

_BRACKET_INDEX = re.compile(r"\[(\d+)\]")
_QUOTED_BRACKET = re.compile(r"\[['\"]([^'\"]*)['\"]\]")
_LONE_TILDE = re.compile(r"~(?![01])")
_WILDCARD = re.compile(r"\[\*\]|\.\*")


@dataclass(frozen=True)
class PointerField:
    pointer: str  # where the value sits in the manifest
    value: object
    trigger: bool  # one of trigger.parser.{eventName,value,url}


def _strings(base: str, node: object, keys: tuple[str, ...]) -> Iterator[PointerField]:
    if not isinstance(node, dict):
        return
    for key in keys:
        if key in node:
            yield PointerField(jsonpointer.child(base, key), node[key], False)


def pointer_fields(manifest: object) -> Iterator[PointerField]:
    """Every value the manifest format defines as a JSON pointer."""
    if not isinstance(manifest, dict):
        return
    parser = value_at(manifest, "capabilities", "trigger", "parser")
    if isinstance(parser, dict):
        for key in _TRIGGER_WHAT:
            if key in parser:
                yield PointerField(f"{TRIGGER_PARSER}/{key}", parser[key], True)

    for request in APPROVAL_STATUS_REQUESTS:
        base = f"/capabilities/approval/{request}/parser"
        node = value_at(manifest, "capabilities", "approval", request, "parser")
        yield from _strings(base, node, ("approvalId", "statusValue", "statusDisplay"))
    base = "/capabilities/approval/memberListRequest/parser"
    node = value_at(manifest, "capabilities", "approval", "memberListRequest", "parser")
    yield from _strings(base, node, ("memberArrayPath",))
    yield from _strings(f"{base}/memberItems", value_at(node, "memberItems"), ("email", "memberId"))

    base = "/capabilities/syncedSegment/requestParser"
    node = value_at(manifest, "capabilities", "syncedSegment", "requestParser")
    yield from _strings(base, node, _SYNCED_SEGMENT_PATHS)
    yield from _strings(f"{base}/arrayInclusion", value_at(node, "arrayInclusion"), ("path",))
    yield from _strings(
        f"{base}/memberArrayParser", value_at(node, "memberArrayParser"), _MEMBER_PATHS
    )

    base = "/capabilities/featureStore/validationRequest/parser"
    node = value_at(manifest, "capabilities", "featureStore", "validationRequest", "parser")
    yield from _strings(base, node, ("success", "errors"))

    base = "/capabilities/jiraIssueCreate/creationRequest/parser"
    node = value_at(manifest, "capabilities", "jiraIssueCreate", "creationRequest", "parser")
    yield from _strings(base, node, ("issueKey", "issueUrl", "self"))

    for path in FORM_VARIABLE_PATHS:
        variables = value_at(manifest, *path)
        if not isinstance(variables, list):
            continue
        list_pointer = jsonpointer.join(path)
        for index, variable in enumerate(variables):
            options = value_at(variable, "dynamicOptions", "parser")
            base = f"{list_pointer}/{index}/dynamicOptions/parser"
            yield from _strings(base, options, ("optionsPath",))
            items = value_at(options, "optionsItems")
            yield from _strings(f"{base}/optionsItems", items, ("label", "value"))


def field_name(pointer: str) -> str:
    """How a message names a field: `/capabilities/approval/statusRequest/parser/statusValue`
    -> `approval.statusRequest.parser.statusValue`, `/formVariables/0/x` -> `formVariables[0].x`.
    """
    tokens = jsonpointer.split(pointer)
    if tokens[:1] == ["capabilities"]:
        tokens = tokens[1:]
    name = ""
    for token in tokens:
        name += f"[{token}]" if token.isdigit() else ("." if name else "") + token
    return name


def suggest(value: str) -> str:
    """A valid pointer for what the author most likely meant."""
    if value.startswith("/"):
        return _LONE_TILDE.sub("~0", value)
    text = value.strip()
    if text.startswith("#"):  # URI-fragment form
        text = text[1:]
    if text.startswith("$"):  # JSONPath
        text = text[1:]
    text = _WILDCARD.sub("", text)  # no pointer equivalent: point at the array itself
    text = _BRACKET_INDEX.sub(r".\1", text)
    text = _QUOTED_BRACKET.sub(r".\1", text)
    if text.startswith("/"):
        parts = text.split("/")[1:]
    elif "/" in text:
        parts = text.split("/")
    else:
        parts = [part for part in text.split(".") if part != ""]
    return "".join("/" + _LONE_TILDE.sub("~0", part) for part in parts) or "/"


def bracket_fix(value: str) -> str:
    return _BRACKET_INDEX.sub(r"/\1", value)


class TriggerParserPointer(Rule):
    id = "LD410"
    severity = Severity.ERROR
    title = "Trigger parser value is not a JSON pointer"
    explanation = (
        "`parser.eventName`, `parser.value` and `parser.url` are RFC 6901 JSON pointers into the "
        "request body: they start with '/', separate keys with '/', and escape '~' as '~0' and "
        "'/' inside a key as '~1'. LaunchDarkly's schema accepts any string, but anything else "
        "(a bare key, a dotted path, JSONPath) resolves to nothing, so every event gets the "
        "fallback name and no link."
    )
    bad_example = '"parser": {"eventName": "data.title", "url": "$.links[0]"}'
    good_example = '"parser": {"eventName": "/data/title", "url": "/links/0"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field in pointer_fields(ctx.manifest):
            if not field.trigger or not isinstance(field.value, str):
                continue
            problem = jsonpointer.problem(field.value)
            if problem is None:
                continue
            key = jsonpointer.split(field.pointer)[-1]
            yield self.finding(
                ctx,
                field.pointer,
                f"parser.{key} {field.value!r} is not a JSON pointer ({problem}), so LaunchDarkly "
                f"can never read {_TRIGGER_WHAT[key]} from the body; "
                f"write {suggest(field.value)!r}",
            )


class TriggerParserWholeBody(Rule):
    id = "LD411"
    severity = Severity.WARNING
    title = "Trigger parser points at the whole body"
    explanation = (
        'The empty pointer `""` names the whole request body. A trigger body is a JSON object, '
        "which is not a usable event name, value or link, so the field always falls back "
        "(event name) or stays empty (value, url). Point at the field that holds the data."
    )
    bad_example = '"parser": {"eventName": ""}'
    good_example = '"parser": {"eventName": "/title"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field in pointer_fields(ctx.manifest):
            if field.trigger and field.value == "":
                key = jsonpointer.split(field.pointer)[-1]
                yield self.finding(
                    ctx,
                    field.pointer,
                    f'parser.{key} is "", which points at the whole request body rather than one '
                    f"field, so {_TRIGGER_WHAT[key]} is never taken from it; point at "
                    "the field that holds it, e.g. '/title'",
                )


class BracketIndexPointer(Rule):
    id = "LD412"
    severity = Severity.WARNING
    title = "JSON pointer uses bracket indexing"
    explanation = (
        "In an RFC 6901 pointer, array items are addressed as path segments: `/items/0/name`. "
        "`/items[0]/name` is a valid pointer, but it looks for a key literally named "
        "'items[0]', which payloads do not have, so it resolves to nothing."
    )
    bad_example = '"eventName": "/alerts[0]/title"'
    good_example = '"eventName": "/alerts/0/title"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field in pointer_fields(ctx.manifest):
            value = field.value
            if not isinstance(value, str) or jsonpointer.problem(value) is not None:
                continue
            if _BRACKET_INDEX.search(value):
                yield self.finding(
                    ctx,
                    field.pointer,
                    f"{field_name(field.pointer)} {value!r} uses bracket indexing, which a JSON "
                    f"pointer reads as part of a key name; write {bracket_fix(value)!r}",
                )


class CapabilityPointer(Rule):
    id = "LD413"
    severity = Severity.ERROR
    title = "Parser path is not a JSON pointer"
    explanation = (
        "The approval, member-list, synced-segment, feature-store validation and "
        "dynamic-options parsers read partner responses through RFC 6901 JSON pointers: they "
        "start with '/', separate keys with '/', and escape '~' as '~0' and '/' inside a key "
        "as '~1'. LaunchDarkly's schema accepts any string, but anything else resolves to "
        "nothing at run time."
    )
    bad_example = '"statusValue": "result.state"'
    good_example = '"statusValue": "/result/state"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for field in pointer_fields(ctx.manifest):
            if field.trigger or not isinstance(field.value, str):
                continue
            problem = jsonpointer.problem(field.value)
            if problem is None:
                continue
            yield self.finding(
                ctx,
                field.pointer,
                f"{field_name(field.pointer)} {field.value!r} is not a JSON pointer ({problem}), "
                f"so it resolves to nothing at run time; write {suggest(field.value)!r}",
            )
