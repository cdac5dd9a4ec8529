"""Every change the server makes, as a job for the group-commit writer.

A webhook call runs the body through `ldkit.trigger.core.invoke`, the same
function `ldkit trigger` calls, and records what it returns: the count, the
recent body, and, when the flag flipped, the flag and a change-history entry,
all inside the call's one transaction. Management changes (create, update,
delete a trigger; turn a flag on or off) are jobs too, so there is exactly one
writer and no lost update.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from typing import Literal

from ldkit.load.pointer import MISSING as MISSING_VALUE
from ldkit.load.pointer import is_valid as is_valid_pointer
from ldkit.load.pointer import resolve as resolve_pointer
from ldkit.load.pointer import unescape as unescape_pointer_token
from ldkit.serve import store
from ldkit.serve.security import hash_secret, new_id, new_secret, secret_matches
from ldkit.serve.shapes import flag_rep
from ldkit.serve.store import AuditRow, FlagState, TriggerRow
from ldkit.trigger.core import (
    ACTIONS,
    InvocationResult,
    TriggerConfig,
    TriggerHistory,
    TriggerRequest,
    invoke,
)
from ldkit.trigger.loading import TriggerManifest

# Semantic-patch instruction kinds LaunchDarkly documents for triggers and flags.
TRIGGER_PATCH_KINDS = (
    "cycleTriggerUrl",
    "disableTrigger",
    "enableTrigger",
    "replaceTriggerActionInstructions",
)
FLAG_PATCH_KINDS = ("turnFlagOn", "turnFlagOff")
API_ACTOR = {"kind": "token", "name": "ldkit serve API token"}


class NotFound(Exception):
    """No such resource (or, for a webhook, a secret or state that must look
    exactly like no such resource)."""


class InvalidRequest(Exception):
    """A request body LaunchDarkly would answer with 400; the message says why."""


# --- webhook ----------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookCall:
    trigger_id: str
    secret: str
    body: bytes
    headers: list[list[str]]
    timestamp: int
    content_type: str


@dataclass(frozen=True)
class CallOutcome:
    trigger: TriggerRow
    result: InvocationResult
    entry: AuditRow | None


def usable_trigger(conn: sqlite3.Connection, trigger_id: str, secret: str) -> TriggerRow:
    """The trigger a webhook URL names, or NotFound: unknown id, wrong secret
    (compared in constant time) and disabled all look the same."""
    row = store.get_trigger(conn, trigger_id)
    if not secret_matches(secret, None if row is None else row.secret_hash):
        raise NotFound
    assert row is not None
    if not row.enabled:
        raise NotFound
    return row


def webhook_job(call: WebhookCall, loaded: TriggerManifest):
    def job(conn: sqlite3.Connection) -> CallOutcome:
        row = usable_trigger(conn, call.trigger_id, call.secret)
        flag = store.ensure_flag(conn, row.project, row.flag, row.environment, call.timestamp)
        config = TriggerConfig(action=row.action, flag=row.flag, environment=row.environment)  # type: ignore[arg-type]
        request = TriggerRequest(
            call.body, call.timestamp, call.content_type, f"webhook/triggers/{row.id}"
        )
        history = TriggerHistory(trigger_count=row.trigger_count)
        result = invoke(
            loaded.manifest, loaded.key, config, flag.on, request, history, spec=loaded.spec
        )
        store.record_call(
            conn,
            row.id,
            result.trigger_count,
            call.timestamp,
            result.event.json_body,
            call.headers,
            result.outcome,
            result.flag_on_after,
        )
        entry = None
        if result.entry is not None:
            store.set_flag(
                conn, row.project, row.flag, row.environment, result.flag_on_after, call.timestamp
            )
            entry = _trigger_entry(row, result.entry)
            store.insert_audit(conn, entry)
        return CallOutcome(row, result, entry)

    return job


def _trigger_entry(row: TriggerRow, entry: dict) -> AuditRow:
    """The core's change-history entry, as stored; wording untouched."""
    return AuditRow(
        seq=0,
        id=new_id(),
        date=int(entry["date"]),
        project=row.project,
        flag=row.flag,
        environment=row.environment,
        action=str(entry["action"]),
        title_verb=str(entry["titleVerb"]),
        title=str(entry["title"]),
        description=str(entry["description"]),
        short_description=str(entry["eventName"]),
        actor={**entry["actor"], "triggerId": row.id},
        trigger_id=row.id,
        trigger_body=entry["triggerBody"],
    )


# --- triggers -------------------------------------------------------------------


def action_of(instructions: object) -> str:
    """The action of a create body or `replaceTriggerActionInstructions`:
    exactly one `{"kind": "turnFlagOn" | "turnFlagOff"}`."""
    if (
        not isinstance(instructions, list)
        or len(instructions) != 1
        or not isinstance(instructions[0], dict)
        or instructions[0].get("kind") not in ACTIONS
    ):
        raise InvalidRequest(
            'instructions must be one action: [{"kind": "turnFlagOn"}] or [{"kind": "turnFlagOff"}]'
        )
    return str(instructions[0]["kind"])


@dataclass(frozen=True)
class TriggerPlace:
    project: str
    flag: str
    environment: str


def create_trigger_job(
    place: TriggerPlace,
    integration_key: str,
    action: str,
    now: int,
    flag_on: bool | None = None,
):
    """Returns (row, secret): the secret exists only in this answer.
    `flag_on` sets the flag's state too (the `--trigger` starting state)."""
    secret = new_secret()
    row = TriggerRow(
        id=new_id(),
        project=place.project,
        flag=place.flag,
        environment=place.environment,
        integration_key=integration_key,
        action=action,
        secret_hash=hash_secret(secret),
        enabled=True,
        version=1,
        created=now,
        trigger_count=0,
        last_triggered=None,
    )

    def job(conn: sqlite3.Connection) -> tuple[TriggerRow, str]:
        store.ensure_flag(conn, place.project, place.flag, place.environment, now)
        if flag_on is not None:
            store.set_flag(conn, place.project, place.flag, place.environment, flag_on, now)
        store.insert_trigger(conn, row)
        return row, secret

    return job


def trigger_in_place(conn: sqlite3.Connection, place: TriggerPlace, trigger_id: str) -> TriggerRow:
    row = store.get_trigger(conn, trigger_id)
    if row is None or (row.project, row.flag, row.environment) != (
        place.project,
        place.flag,
        place.environment,
    ):
        raise NotFound
    return row


@dataclass(frozen=True)
class TriggerPatch:
    action: str | None
    enabled: bool | None
    cycle: bool


def parse_trigger_patch(body: object) -> TriggerPatch:
    """All instructions are checked before anything changes (semantic patches
    are all-or-nothing)."""
    if not isinstance(body, dict) or not isinstance(body.get("instructions"), list):
        raise InvalidRequest('the body must be {"instructions": [...]} (a semantic patch)')
    instructions = body["instructions"]
    if not instructions:
        raise InvalidRequest("instructions is empty")
    action, enabled, cycle = None, None, False
    for instruction in instructions:
        kind = instruction.get("kind") if isinstance(instruction, dict) else None
        if kind == "replaceTriggerActionInstructions":
            action = action_of(instruction.get("value"))
        elif kind in ("enableTrigger", "disableTrigger"):
            enabled = kind == "enableTrigger"
        elif kind == "cycleTriggerUrl":
            cycle = True
        else:
            raise InvalidRequest(
                f"unknown instruction kind {kind!r}; expected one of "
                + ", ".join(TRIGGER_PATCH_KINDS)
            )
    return TriggerPatch(action, enabled, cycle)


def patch_trigger_job(place: TriggerPlace, trigger_id: str, patch: TriggerPatch):
    """Returns (row after, new secret or None)."""
    secret = new_secret() if patch.cycle else None

    def job(conn: sqlite3.Connection) -> tuple[TriggerRow, str | None]:
        row = trigger_in_place(conn, place, trigger_id)
        store.update_trigger(
            conn,
            row.id,
            action=patch.action if patch.action is not None else row.action,
            secret_hash=hash_secret(secret) if secret is not None else row.secret_hash,
            enabled=patch.enabled if patch.enabled is not None else row.enabled,
        )
        after = store.get_trigger(conn, row.id)
        assert after is not None
        return after, secret

    return job


def delete_trigger_job(place: TriggerPlace, trigger_id: str):
    def job(conn: sqlite3.Connection) -> None:
        row = trigger_in_place(conn, place, trigger_id)
        store.delete_trigger(conn, row.id)

    return job


# --- flags ----------------------------------------------------------------------

SEMANTIC_PATCH_TYPE = "domain-model=launchdarkly.semanticpatch"
_ON_PATH = re.compile(r"/environments/([^/]+)/on\Z")


def flag_everywhere(conn: sqlite3.Connection, project: str, flag: str) -> list[FlagState]:
    """The flag in every environment of its project, as LaunchDarkly has a
    flag in each: an environment no trigger named for this flag yet shows it
    off, at version 1. Empty when the flag does not exist."""
    states = store.get_flag(conn, project, flag)
    if not states:
        return []
    have = {state.environment for state in states}
    created = min(state.created for state in states)
    missing = [
        FlagState(project, flag, environment, False, 1, created, created)
        for environment in store.project_environments(conn, project)
        if environment not in have
    ]
    return sorted([*states, *missing], key=lambda state: state.environment)


@dataclass(frozen=True)
class FlagOperation:
    """One step of a flag patch: `set` turns targeting on or off in one
    environment; `test` (JSON Patch) requires the value at `pointer` of the
    flag as it stands at that step."""

    kind: Literal["set", "test"]
    environment: str = ""
    on: bool = False
    pointer: str = ""
    value: object = None


@dataclass(frozen=True)
class FlagPatch:
    operations: tuple[FlagOperation, ...]


def _not_emulated(what: str) -> InvalidRequest:
    return InvalidRequest(
        f"ldkit serve does not emulate {what}; it emulates turning a flag on or off per "
        "environment: JSON Patch replace of /environments/<key>/on (and test), or the "
        "semantic patch instructions turnFlagOn and turnFlagOff"
    )


def _semantic_flag_patch(body: object) -> FlagPatch:
    if not isinstance(body, dict) or not isinstance(body.get("instructions"), list):
        raise InvalidRequest('a semantic patch is {"environmentKey": ..., "instructions": [...]}')
    environment = body.get("environmentKey")
    if not isinstance(environment, str) or not environment:
        raise InvalidRequest("environmentKey is required for turnFlagOn and turnFlagOff")
    instructions = body["instructions"]
    if not instructions:
        raise InvalidRequest("instructions must be a non-empty array")
    operations = []
    for instruction in instructions:
        kind = instruction.get("kind") if isinstance(instruction, dict) else None
        if kind not in FLAG_PATCH_KINDS:
            raise _not_emulated(f"the instruction kind {_shown(kind)}")
        operations.append(FlagOperation("set", environment=environment, on=kind == "turnFlagOn"))
    return FlagPatch(tuple(operations))


def _shown(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _json_patch(operations: object) -> FlagPatch:
    if not isinstance(operations, list) or not operations:
        raise InvalidRequest("a JSON Patch is a non-empty array of operations")
    parsed = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise InvalidRequest("each JSON Patch operation is an object")
        op, path = operation.get("op"), operation.get("path")
        if not isinstance(op, str) or not isinstance(path, str):
            raise InvalidRequest("each JSON Patch operation needs an op and a path (strings)")
        if not is_valid_pointer(path):
            raise InvalidRequest(f"path {_shown(path)} is not a JSON pointer")
        if "value" not in operation and op in ("add", "replace", "test"):
            raise InvalidRequest(f"the {op} operation at {_shown(path)} needs a value")
        if op == "test":
            parsed.append(FlagOperation("test", pointer=path, value=operation["value"]))
            continue
        match = _ON_PATH.match(path)
        if op not in ("replace", "add") or match is None:
            raise _not_emulated(f"{_shown(op)} of {_shown(path)}")
        if not isinstance(operation["value"], bool):
            raise InvalidRequest(f"{path} takes true or false")
        environment = unescape_pointer_token(match.group(1))
        parsed.append(FlagOperation("set", environment=environment, on=operation["value"]))
    return FlagPatch(tuple(parsed))


def parse_flag_patch(body: object, content_type: str = "") -> FlagPatch:
    """A flag PATCH body: a semantic patch (the content type says so, or the
    body has `instructions`), a JSON Patch (an array, or `{"patch": [...]}`
    as LaunchDarkly's clients send it with a comment). JSON merge patches and
    every other change are refused with the reason."""
    if SEMANTIC_PATCH_TYPE in content_type.replace(" ", ""):
        return _semantic_flag_patch(body)
    if isinstance(body, list):
        return _json_patch(body)
    if isinstance(body, dict):
        if "instructions" in body:
            return _semantic_flag_patch(body)
        if "patch" in body:
            return _json_patch(body["patch"])
        if "merge" in body:
            raise _not_emulated("JSON merge patches")
    raise InvalidRequest(
        'the body must be a JSON Patch (an array, or {"patch": [...]}) or a semantic patch '
        '({"environmentKey": ..., "instructions": [...]})'
    )


def _json_equal(left: object, right: object) -> bool:
    """JSON equality (RFC 6902 `test`): booleans are not numbers, numbers
    compare by value, objects by members, arrays in order."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_json_equal, left, right))
    return type(left) is type(right) and left == right


def api_title(on: bool, flag: str, environment: str) -> tuple[str, str]:
    verb = "turned on" if on else "turned off"
    return verb, f"{API_ACTOR['name']} {verb} the flag {flag} in {environment}"


def patch_flag_job(project: str, flag: str, patch: FlagPatch, now: int):
    """Applies the operations in order, all or nothing: a failing `test` or
    an unknown environment changes nothing (InvalidRequest). Each environment
    whose state changes gets one change-history entry; asking for the current
    state changes nothing."""

    def job(conn: sqlite3.Connection) -> None:
        states = flag_everywhere(conn, project, flag)
        if not states:
            raise NotFound
        before = {state.environment: state.on for state in states}
        wanted = dict(before)
        for operation in patch.operations:
            if operation.kind == "set":
                if operation.environment not in wanted:
                    raise InvalidRequest(
                        f"unknown environment {_shown(operation.environment)} in project "
                        f"{_shown(project)}"
                    )
                wanted[operation.environment] = operation.on
                continue
            current = [replace(state, on=wanted[state.environment]) for state in states]
            found = resolve_pointer(flag_rep(project, flag, current), operation.pointer)
            if found is MISSING_VALUE or not _json_equal(found, operation.value):
                raise InvalidRequest(f"test failed at {_shown(operation.pointer)}")
        for environment, on in wanted.items():
            if before[environment] == on:
                continue
            store.set_flag(conn, project, flag, environment, on, now)
            verb, title = api_title(on, flag, environment)
            store.insert_audit(
                conn,
                AuditRow(
                    seq=0,
                    id=new_id(),
                    date=now,
                    project=project,
                    flag=flag,
                    environment=environment,
                    action="updateOn",
                    title_verb=verb,
                    title=title,
                    description="",
                    short_description="",
                    actor=dict(API_ACTOR),
                    trigger_id=None,
                    trigger_body=None,
                ),
            )

    return job
