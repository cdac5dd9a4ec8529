"""What rule modules share: JavaScript's notions of a value, manifest navigation,
and the form-variable lists.

Rules run on the raw manifest, which may not match the schema at all (the schema
pass reports that), so every lookup here is defensive and never raises.

Upstream's checks are JavaScript: "present" means the key exists (JSON null
included), "set" means JavaScript-truthy. Reproducing those two notions exactly
is what keeps our errors in step with what LaunchDarkly rejects, so rules use
`member`, `dig` and `js_truthy` instead of Python truthiness. Rules to which a
JSON null and a missing key mean the same use `value_at`.

The module name starts with an underscore so that rule discovery skips it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ldkit.javascript import truthy
from ldkit.load.pointer import child, join

ABSENT = object()
"""Stands for a key that is not there (JavaScript `undefined`)."""

#: The approval capability's requests whose parser reads a change request's
#: status (approvalId, statusValue, the matchers); memberListRequest's parser
#: lists members instead.
APPROVAL_STATUS_REQUESTS = (
    "creationRequest",
    "statusRequest",
    "postApplyRequest",
    "deletionRequest",
)
#: Every request of the approval capability.
APPROVAL_REQUESTS = (*APPROVAL_STATUS_REQUESTS, "memberListRequest")


def js_truthy(value: object) -> bool:
    """JavaScript truthiness of a manifest value, where `ABSENT` (a missing key) is
    `undefined`: the same rule the Handlebars renderer applies, so one definition
    serves both."""
    return value is not ABSENT and truthy(value)


def member(value: object, key: str | int) -> object:
    """`value[key]` when `value` is an object holding `key` (or an array long enough
    for the index `key`), else ABSENT."""
    if isinstance(key, int):
        return value[key] if isinstance(value, list) and 0 <= key < len(value) else ABSENT
    if isinstance(value, dict) and key in value:
        return value[key]
    return ABSENT


def dig(value: object, *keys: str | int) -> object:
    """Follow members like lodash `_.get`; ABSENT as soon as one is missing."""
    for key in keys:
        value = member(value, key)
        if value is ABSENT:
            return ABSENT
    return value


def value_at(value: object, *keys: str | int) -> object:
    """Like `dig`, but None when a step is missing: for checks to which a missing key
    and a JSON null mean the same."""
    found = dig(value, *keys)
    return None if found is ABSENT else found


def pointer_of(*keys: str | int) -> str:
    """The RFC 6901 pointer of a path written as keys (`pointer_of(*PARSER, "x")`)."""
    return join(keys)


# --- form variables -----------------------------------------------------------------------

_TOP_LEVEL_PATH = ("formVariables",)
_ENVIRONMENT_PATH = ("capabilities", "approval", "environmentFormVariables")
_APPROVAL_PATH = ("capabilities", "approval", "approvalFormVariables")
_FEATURE_STORE_PATH = ("capabilities", "featureStore", "formVariables")
_FLAG_CLEANUP_PATH = ("capabilities", "flagCleanup", "formVariables")
_JIRA_ISSUE_CREATE_PATH = ("capabilities", "jiraIssueCreate", "issueCreateFormVariables")

#: Where a list of form variables can live. Rules that walk every list for a
#: nested field (pointers, endpoints) go in this order; `LISTS` below carries
#: upstream's per-list checks.
FORM_VARIABLE_PATHS: tuple[tuple[str, ...], ...] = (
    _TOP_LEVEL_PATH,
    _ENVIRONMENT_PATH,
    _APPROVAL_PATH,
    _FEATURE_STORE_PATH,
    _FLAG_CLEANUP_PATH,
    _JIRA_ISSUE_CREATE_PATH,
)


@dataclass(frozen=True)
class FormVariableList:
    """One of the six places a list of form variables can live.

    The flags say which of upstream's checks cover this list (LaunchDarkly's
    manifest tests): "defaultValue needs isOptional" and the defaultValue type
    check for the top-level and both approval lists, everything else only for
    the top-level list. A check run on a list upstream skips is a warning.
    """

    path: tuple[str, ...]
    default_rules: bool
    optional_rule: bool
    kind_rules: bool
    default_type_rule: bool = False

    @property
    def label(self) -> str:
        """How messages name the list: `capabilities.approval.approvalFormVariables`."""
        return ".".join(self.path)

    @property
    def pointer(self) -> str:
        return pointer_of(*self.path)


TOP_LEVEL = FormVariableList(_TOP_LEVEL_PATH, True, True, True, True)
LISTS: tuple[FormVariableList, ...] = (
    TOP_LEVEL,
    FormVariableList(_APPROVAL_PATH, True, False, False, True),
    FormVariableList(_ENVIRONMENT_PATH, True, False, False, True),
    FormVariableList(_FEATURE_STORE_PATH, False, False, False),
    FormVariableList(_FLAG_CLEANUP_PATH, False, False, False),
    FormVariableList(_JIRA_ISSUE_CREATE_PATH, False, False, False),
)

# `dependsOn[].variableLocation` names one of these lists.
LOCATION_LISTS: dict[str, FormVariableList] = {
    "formVariables": LISTS[0],
    "approvalFormVariables": LISTS[1],
    "environmentFormVariables": LISTS[2],
}


@dataclass(frozen=True)
class FormVariable:
    """One form variable that is a JSON object, with where it sits."""

    where: FormVariableList
    index: int
    value: dict

    @property
    def pointer(self) -> str:
        return child(self.where.pointer, self.index)

    def at(self, key: str) -> str:
        return child(self.pointer, key)

    def get(self, key: str) -> object:
        return self.value.get(key, ABSENT)

    def has(self, key: str) -> bool:
        return key in self.value

    @property
    def type(self) -> str | None:
        kind = self.value.get("type")
        return kind if isinstance(kind, str) else None

    @property
    def label(self) -> str:
        key = self.value.get("key")
        return f"form variable {key!r}" if isinstance(key, str) else f"form variable #{self.index}"


def form_variables(manifest: object, where: FormVariableList) -> Iterator[FormVariable]:
    """The object items of one list; non-objects are the schema's business."""
    items = dig(manifest, *where.path)
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield FormVariable(where, index, item)


def all_form_variables(manifest: object) -> Iterator[FormVariable]:
    for where in LISTS:
        yield from form_variables(manifest, where)


def not_checked_note(where: FormVariableList) -> str:
    """Appended to findings that are warnings only because of where they are."""
    return (
        f" (LaunchDarkly accepts this in {where.label}, so it is a warning here; in the "
        "top-level formVariables it is an error)"
    )
