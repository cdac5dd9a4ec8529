"""`--trigger SPEC` parsing."""

from __future__ import annotations

import pytest

from ldkit.serve.specs import SpecError, TriggerSpecArg, parse_spec


def test_only_the_integration_is_required_and_the_rest_defaults_like_ldkit_trigger():
    assert parse_spec("integration=dynatrace") == TriggerSpecArg(
        integration="dynatrace",
        project="default",
        flag="example-flag",
        environment="production",
        action="turnFlagOff",
        flag_on=True,
    )


def test_every_key():
    spec = parse_spec(
        "integration=generic-trigger, project=web, flag=banner, environment=staging, "
        "action=turnFlagOn, state=on"
    )
    assert spec == TriggerSpecArg("generic-trigger", "web", "banner", "staging", "turnFlagOn", True)
    assert parse_spec("integration=x,action=turnFlagOn").flag_on is False


@pytest.mark.parametrize(
    "text, message",
    [
        ("flag=x", "integration=KEY is required"),
        ("integration=x,colour=red", "unknown key 'colour'"),
        ("integration=x,action=toggle", "action must be one of turnFlagOn, turnFlagOff"),
        ("integration=x,state=maybe", "state must be on or off"),
        ("integration", "'integration' is not key=value"),
        ("integration=x,integration=y", "integration is given twice"),
    ],
)
def test_mistakes_are_named(text, message):
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    assert message in str(caught.value)
