"""Flag patches as serve reads them: JSON Patch (bare or with a comment) and
semantic patch, and LaunchDarkly-shaped refusals for what it does not
emulate; audit-log resource specifiers."""

from __future__ import annotations

import pytest

from ldkit.serve.api import parse_audit_spec
from ldkit.serve.operations import FlagOperation, InvalidRequest, parse_flag_patch
from ldkit.serve.store import AuditScope

SEMANTIC = "application/json; domain-model=launchdarkly.semanticpatch"


def test_json_patch_replace_and_test_of_an_environment_s_on():
    patch = parse_flag_patch(
        {
            "comment": "incident",
            "patch": [
                {"op": "test", "path": "/environments/prod~1eu/on", "value": True},
                {"op": "replace", "path": "/environments/prod~1eu/on", "value": False},
            ],
        }
    )
    assert patch.operations == (
        FlagOperation("test", pointer="/environments/prod~1eu/on", value=True),
        FlagOperation("set", environment="prod/eu", on=False),
    )


def test_semantic_patch_by_content_type_or_by_shape():
    body = {"environmentKey": "production", "instructions": [{"kind": "turnFlagOn"}]}
    expected = (FlagOperation("set", environment="production", on=True),)
    assert parse_flag_patch(body, SEMANTIC).operations == expected
    assert parse_flag_patch(body).operations == expected


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ([{"op": "remove", "path": "/environments/p/on"}], "", "does not emulate 'remove'"),
        (
            [{"op": "replace", "path": "/name", "value": "x"}],
            "",
            "does not emulate 'replace' of '/name'",
        ),
        ([{"op": "replace", "path": "/environments/p/on", "value": 1}], "", "takes true or false"),
        ([{"op": "replace", "path": "environments", "value": 1}], "", "is not a JSON pointer"),
        ([{"op": "replace", "path": "/environments/p/on"}], "", "needs a value"),
        ([], "", "non-empty array"),
        ({"merge": {"name": "x"}}, "", "does not emulate JSON merge patches"),
        ([{"op": "replace"}], SEMANTIC, "a semantic patch is"),
        ({"instructions": [{"kind": "turnFlagOn"}]}, "", "environmentKey is required"),
        ({"environmentKey": "p", "instructions": [{"kind": "addRule"}]}, "", "'addRule'"),
        ("text", "", "the body must be a JSON Patch"),
    ],
)
def test_what_serve_does_not_emulate_says_so(body, content_type, message):
    with pytest.raises(InvalidRequest, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_flag_patch(body, content_type)


def test_audit_specifiers():
    assert parse_audit_spec("proj/default") == AuditScope("default", None, None)
    assert parse_audit_spec("proj/d:env/*:flag/f") == AuditScope("d", None, "f")
    assert parse_audit_spec("proj/d:env/e:flag/f") == AuditScope("d", "e", "f")
    for bad in ("flag/f", "proj/d:flag/f", "proj/d;tag", "proj/d:env/e:flag/f:x/y", "proj/a*"):
        with pytest.raises(InvalidRequest):
            parse_audit_spec(bad)
