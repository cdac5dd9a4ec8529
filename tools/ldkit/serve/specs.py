"""`--trigger SPEC`: a trigger to create at start-up, written as
comma-separated `key=value` pairs, for example
`integration=dynatrace,flag=checkout,environment=production,action=turnFlagOff,state=on`.
Only `integration` is required; the rest default as `ldkit trigger` does, and
the flag starts in the state the action changes (so the first real call
acts)."""

from __future__ import annotations

from dataclasses import dataclass

from ldkit.trigger.core import ACTIONS, TriggerConfig

DEFAULT_PROJECT = "default"
SPEC_KEYS = ("integration", "project", "flag", "environment", "action", "state")
STATES = ("on", "off")


class SpecError(ValueError):
    """A SPEC that cannot be read; the message names the problem."""


@dataclass(frozen=True)
class TriggerSpecArg:
    integration: str
    project: str
    flag: str
    environment: str
    action: str
    flag_on: bool


def parse_spec(text: str) -> TriggerSpecArg:
    defaults = TriggerConfig()
    values: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value:
            raise SpecError(f"{part.strip()!r} is not key=value")
        if key not in SPEC_KEYS:
            raise SpecError(f"unknown key {key!r}; use {', '.join(SPEC_KEYS)}")
        if key in values:
            raise SpecError(f"{key} is given twice")
        values[key] = value
    if "integration" not in values:
        raise SpecError("integration=KEY is required")
    action = values.get("action", defaults.action)
    if action not in ACTIONS:
        raise SpecError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    state = values.get("state")
    if state is not None and state not in STATES:
        raise SpecError(f"state must be on or off, not {state!r}")
    flag_on = (state == "on") if state is not None else action == "turnFlagOff"
    return TriggerSpecArg(
        integration=values["integration"],
        project=values.get("project", DEFAULT_PROJECT),
        flag=values.get("flag", defaults.flag),
        environment=values.get("environment", defaults.environment),
        action=action,
        flag_on=flag_on,
    )
