"""`ldkit serve` driven by LaunchDarkly's own Python REST client
(`launchdarkly-api`, generated from LaunchDarkly's OpenAPI document), the way
a partner's end-to-end tests would drive LaunchDarkly.

The client validates every answer against its models, so a field a model
requires that serve leaves out fails a call. The other direction, a field
serve sends that LaunchDarkly's models do not have, the client would silently
drop; `assert_matches_model` checks it on the raw answer, recursively. The
last test checks that every management route serve offers was called through
the client."""

from __future__ import annotations

import json
import types
import typing
from urllib.parse import urlsplit

import pytest

pytest.importorskip("starlette", reason="ldkit serve needs the serve extra")

from _serve_harness import make_root, request, start  # noqa: E402

from ldkit.serve import api as serve_api  # noqa: E402

# Importing launchdarkly-api (hundreds of generated models) takes seconds, so
# it happens in the `ld` fixture: collecting the fast lane does not pay for it.
pytestmark = pytest.mark.slow

MODELS = (
    "AuditLogEntryListingRepCollection",
    "AuditLogEntryRep",
    "Environment",
    "Environments",
    "FeatureFlag",
    "FeatureFlags",
    "FlagTriggerInput",
    "PatchOperation",
    "PatchWithComment",
    "Project",
    "Projects",
    "TriggerPost",
    "TriggerWorkflowCollectionRep",
    "TriggerWorkflowRep",
)


@pytest.fixture(scope="module")
def ld() -> types.SimpleNamespace:
    """LaunchDarkly's client package, its API classes, models and exception."""
    package = pytest.importorskip("launchdarkly_api", reason="the dev extra installs it")
    from launchdarkly_api import api, exceptions, models

    names = {name: getattr(models, name) for name in MODELS}
    return types.SimpleNamespace(
        package=package, api=api, ApiException=exceptions.ApiException, **names
    )


SPEC = "integration=dynatrace,project=shop,flag=checkout,environment=production,action=turnFlagOff"
SEMANTIC = "application/json; domain-model=launchdarkly.semanticpatch"

# What ldkit serve sends beyond LaunchDarkly's models, on purpose and
# documented (docs/commands/serve.md): the request headers of a kept call.
LDKIT_ADDITIONS = {("RecentTriggerBody", "headers")}


# --- the raw answer against the model -----------------------------------------------


def _is_model(annotation: object) -> bool:
    """A pydantic model class (the client's models all are)."""
    return isinstance(annotation, type) and hasattr(annotation, "model_fields")


def _aliases(model: type) -> dict[str, object]:
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _check(value: object, annotation: object, where: str, problems: list[str]) -> None:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if value is None:
            if len(options) == len(typing.get_args(annotation)):
                problems.append(f"{where}: null where a value is required")
            return
        for option in options:
            _check(value, option, where, problems)
        return
    if origin is typing.Annotated:
        _check(value, typing.get_args(annotation)[0], where, problems)
        return
    if origin is list and isinstance(value, list):
        [item_type] = typing.get_args(annotation)
        for index, item in enumerate(value):
            _check(item, item_type, f"{where}/{index}", problems)
        return
    if origin is dict and isinstance(value, dict):
        _, value_type = typing.get_args(annotation)
        for key, item in value.items():
            _check(item, value_type, f"{where}/{key}", problems)
        return
    if _is_model(annotation):
        _check_model(value, annotation, where, problems)


def _check_model(value: object, model: type, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where or '/'}: {model.__name__} must be an object")
        return
    fields = _aliases(model)
    for key in value:
        if key not in fields and (model.__name__, key) not in LDKIT_ADDITIONS:
            problems.append(f"{where}/{key}: not a field of {model.__name__}")
    for key, field in fields.items():
        if key not in value:
            if field.is_required():
                problems.append(f"{where}/{key}: required by {model.__name__}, missing")
            continue
        _check(value[key], field.annotation, f"{where}/{key}", problems)


def assert_matches_model(raw: object, model: type) -> None:
    problems: list[str] = []
    _check_model(raw, model, "", problems)
    assert not problems, "\n".join(problems)


def test_the_model_check_fails_on_a_missing_and_on_an_extra_field(ld, client):
    """The check above is the test's teeth: prove that it bites."""
    answer = client.flags.get_feature_flag_with_http_info("shop", "checkout")
    raw = json.loads(answer.raw_data)
    assert_matches_model(raw, ld.FeatureFlag)
    missing = json.loads(answer.raw_data)
    del missing["environments"]["production"]["salt"]
    with pytest.raises(AssertionError, match="environments/production/salt: required"):
        assert_matches_model(missing, ld.FeatureFlag)
    extra = json.loads(answer.raw_data)
    extra["environments"]["production"]["_lastModified"] = 1
    with pytest.raises(AssertionError, match="_lastModified: not a field of FeatureFlagConfig"):
        assert_matches_model(extra, ld.FeatureFlag)
    with pytest.raises(ValueError):  # and the client itself refuses a missing field
        ld.FeatureFlag.from_dict(missing)


# --- the client against a running serve ---------------------------------------------


class Client:
    def __init__(self, ld: types.SimpleNamespace, base: str, token: str) -> None:
        configuration = ld.package.Configuration(host=base)
        configuration.api_key["ApiKey"] = token
        self.api_client = ld.package.ApiClient(configuration)
        self.calls: list[tuple[str, str]] = []
        original = self.api_client.call_api

        def recording(method, url, *args, **kwargs):
            self.calls.append((method, urlsplit(url).path))
            return original(method, url, *args, **kwargs)

        self.api_client.call_api = recording
        self.triggers = ld.api.FlagTriggersApi(self.api_client)
        self.flags = ld.api.FeatureFlagsApi(self.api_client)
        self.projects = ld.api.ProjectsApi(self.api_client)
        self.environments = ld.api.EnvironmentsApi(self.api_client)
        self.audit = ld.api.AuditLogApi(self.api_client)
        self.feature_flag = ld.FeatureFlag

    def checked(self, call, model: type, *args, **kwargs):
        """Calls `<operation>_with_http_info`: the client validates the model,
        and the raw body is checked for fields the model does not have."""
        answer = call(*args, **kwargs)
        assert isinstance(answer.data, model)
        assert_matches_model(json.loads(answer.raw_data), model)
        return answer.data

    def semantic_flag_patch(self, project: str, flag: str, body: dict):
        """The generated `patch_feature_flag` only takes a JSON Patch: a
        semantic patch goes through the client's own request machinery, with
        LaunchDarkly's semantic-patch content type."""
        method, url, headers, payload, _ = self.api_client.param_serialize(
            method="PATCH",
            resource_path="/api/v2/flags/{projectKey}/{featureFlagKey}",
            path_params={"projectKey": project, "featureFlagKey": flag},
            header_params={"Content-Type": SEMANTIC, "Accept": "application/json"},
            body=body,
            auth_settings=["ApiKey"],
        )
        response = self.api_client.call_api(method, url, headers, payload)
        response.read()
        answer = self.api_client.response_deserialize(response, {"200": "FeatureFlag"})
        assert_matches_model(json.loads(answer.raw_data), self.feature_flag)
        return answer.data


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ldclient")
    running = start(make_root(tmp), tmp / "state.db", "--trigger", SPEC)
    yield running
    assert running.stop() == 0


@pytest.fixture(scope="module")
def client(ld, server):
    made = Client(ld, server.base, server.token)
    with made.api_client:
        yield made


# The generated trigger operations do not all take their keys in the path's
# order (some put the environment before the flag): keywords everywhere.
def _triggers_for(ld, client: Client, flag: str, environment: str) -> list:
    collection = client.checked(
        client.triggers.get_trigger_workflows_with_http_info,
        ld.TriggerWorkflowCollectionRep,
        project_key="shop",
        feature_flag_key=flag,
        environment_key=environment,
    )
    return collection.items or []


def test_trigger_lifecycle_through_the_client(ld, client, server):
    created = client.checked(
        client.triggers.create_trigger_workflow_with_http_info,
        ld.TriggerWorkflowRep,
        project_key="shop",
        feature_flag_key="checkout",
        environment_key="staging",
        trigger_post=ld.TriggerPost(
            integrationKey="generic-trigger", instructions=[{"kind": "turnFlagOn"}]
        ),
    )
    assert created.enabled is True and created.integration_key == "generic-trigger"
    assert created.trigger_url.startswith(server.base + "/webhook/triggers/")
    assert [t.id for t in _triggers_for(ld, client, "checkout", "staging")] == [created.id]

    answer = request(created.trigger_url, "POST", {"eventName": "Error budget burn"})
    assert answer.json()["outcome"] == "applied"
    fetched = client.checked(
        client.triggers.get_trigger_workflow_by_id_with_http_info,
        ld.TriggerWorkflowRep,
        project_key="shop",
        feature_flag_key="checkout",
        environment_key="staging",
        id=created.id,
    )
    assert fetched.trigger_count == 1
    assert fetched.recent_trigger_bodies[0].json_body == {"eventName": "Error budget burn"}
    assert fetched.last_triggered_at == fetched.recent_trigger_bodies[0].timestamp
    assert fetched.trigger_url.endswith("/********")

    disabled = client.checked(
        client.triggers.patch_trigger_workflow_with_http_info,
        ld.TriggerWorkflowRep,
        project_key="shop",
        feature_flag_key="checkout",
        environment_key="staging",
        id=created.id,
        flag_trigger_input=ld.FlagTriggerInput(
            comment="quiet period",
            instructions=[
                {"kind": "disableTrigger"},
                {"kind": "replaceTriggerActionInstructions", "value": [{"kind": "turnFlagOff"}]},
            ],
        ),
    )
    assert disabled.enabled is False and disabled.instructions == [{"kind": "turnFlagOff"}]
    cycled = client.checked(
        client.triggers.patch_trigger_workflow_with_http_info,
        ld.TriggerWorkflowRep,
        project_key="shop",
        feature_flag_key="checkout",
        environment_key="staging",
        id=created.id,
        flag_trigger_input=ld.FlagTriggerInput(
            instructions=[{"kind": "cycleTriggerUrl"}, {"kind": "enableTrigger"}]
        ),
    )
    assert cycled.trigger_url != created.trigger_url and "*" not in cycled.trigger_url
    assert request(created.trigger_url, "POST", {}).status == 404

    client.triggers.delete_trigger_workflow(
        project_key="shop", feature_flag_key="checkout", environment_key="staging", id=created.id
    )
    assert _triggers_for(ld, client, "checkout", "staging") == []
    with pytest.raises(ld.ApiException) as caught:
        client.triggers.get_trigger_workflow_by_id(
            project_key="shop",
            feature_flag_key="checkout",
            environment_key="staging",
            id=created.id,
        )
    assert caught.value.status == 404
    assert json.loads(caught.value.body)["code"] == "not_found"


def test_a_flag_has_every_field_the_model_requires_in_every_environment(ld, client):
    flag = client.checked(
        client.flags.get_feature_flag_with_http_info, ld.FeatureFlag, "shop", "checkout"
    )
    assert flag.key == "checkout" and flag.kind == "boolean" and flag.archived is False
    assert [v.value for v in flag.variations] == [True, False]
    assert set(flag.environments) == {"production", "staging"}
    assert flag.environments["production"].on is True  # the --trigger state
    only = client.checked(
        client.flags.get_feature_flag_with_http_info,
        ld.FeatureFlag,
        "shop",
        "checkout",
        env="production",
    )
    assert set(only.environments) == {"production"}
    listed = client.checked(
        client.flags.get_feature_flags_with_http_info, ld.FeatureFlags, "shop", env="production"
    )
    assert [f.key for f in listed.items] == ["checkout"] and listed.total_count == 1
    assert set(listed.items[0].environments) == {"production"}


def test_json_patch_turns_the_flag_off_and_on_per_environment(ld, client):
    before = client.flags.get_feature_flag("shop", "checkout", env="production")
    off = client.checked(
        client.flags.patch_feature_flag_with_http_info,
        ld.FeatureFlag,
        "shop",
        "checkout",
        ld.PatchWithComment(
            comment="incident 42",
            patch=[
                ld.PatchOperation(op="test", path="/environments/production/on", value=True),
                ld.PatchOperation(op="replace", path="/environments/production/on", value=False),
            ],
        ),
    )
    assert off.environments["production"].on is False
    assert off.environments["production"].version == before.environments["production"].version + 1
    assert off.version == before.version + 1
    entries = client.checked(
        client.audit.get_audit_log_entries_with_http_info,
        ld.AuditLogEntryListingRepCollection,
        spec="proj/shop:env/production:flag/checkout",
        limit=1,
    )
    assert entries.items[0].title_verb == "turned off"

    staging = client.flags.get_feature_flag("shop", "checkout", env="staging")
    with pytest.raises(ld.ApiException) as failed_test:
        client.flags.patch_feature_flag(
            "shop",
            "checkout",
            ld.PatchWithComment(
                patch=[
                    ld.PatchOperation(op="test", path="/environments/production/on", value=True),
                    ld.PatchOperation(
                        op="replace",
                        path="/environments/staging/on",
                        value=not staging.environments["staging"].on,
                    ),
                ]
            ),
        )
    assert failed_test.value.status == 400
    after = client.flags.get_feature_flag("shop", "checkout", env="staging")
    assert after.environments["staging"] == staging.environments["staging"]  # all or nothing

    on = client.semantic_flag_patch(
        "shop",
        "checkout",
        {"environmentKey": "production", "instructions": [{"kind": "turnFlagOn"}]},
    )
    assert on.environments["production"].on is True


@pytest.mark.parametrize(
    "patch",
    [
        [{"op": "replace", "path": "/description", "value": "new"}],
        [{"op": "remove", "path": "/environments/production/on"}],
        [{"op": "replace", "path": "/environments/production/rules", "value": []}],
        {"merge": {"description": "new"}},
    ],
)
def test_what_serve_does_not_emulate_is_a_launchdarkly_shaped_400(ld, client, server, patch):
    answer = server.api("PATCH", "/api/v2/flags/shop/checkout", patch)
    assert answer.status == 400
    error = answer.json()
    assert set(error) == {"code", "message"} and error["code"] == "invalid_request"
    assert "does not emulate" in error["message"]


def test_a_semantic_patch_instruction_serve_does_not_emulate_is_a_400(ld, client):
    with pytest.raises(ld.ApiException) as caught:
        client.semantic_flag_patch(
            "shop", "checkout", {"environmentKey": "production", "instructions": [{"kind": "x"}]}
        )
    assert caught.value.status == 400
    assert "does not emulate the instruction kind 'x'" in json.loads(caught.value.body)["message"]


def test_projects_and_environments_are_discoverable(ld, client):
    projects = client.checked(
        client.projects.get_projects_with_http_info, ld.Projects, expand="environments"
    )
    [shop] = [p for p in projects.items if p.key == "shop"]
    assert [e.key for e in shop.environments.items] == ["production", "staging"]
    project = client.checked(client.projects.get_project_with_http_info, ld.Project, "shop")
    assert project.key == "shop" and project.environments is None
    environments = client.checked(
        client.environments.get_environments_by_project_with_http_info, ld.Environments, "shop"
    )
    assert [e.key for e in environments.items] == ["production", "staging"]
    production = client.checked(
        client.environments.get_environment_with_http_info, ld.Environment, "shop", "production"
    )
    assert production.key == "production"
    with pytest.raises(ld.ApiException) as caught:
        client.projects.get_project("nowhere")
    assert caught.value.status == 404


def test_a_dynatrace_problem_shows_in_the_count_and_the_audit_log(ld, client, server):
    url = server.triggers[0]["triggerURL"]
    client.semantic_flag_patch(
        "shop",
        "checkout",
        {"environmentKey": "production", "instructions": [{"kind": "turnFlagOn"}]},
    )
    body = {"title": "Failure rate increase", "url": "https://abc.live.dynatrace.com/#p"}
    assert request(url, "POST", body).json()["outcome"] == "applied"
    [trigger] = _triggers_for(ld, client, "checkout", "production")
    assert trigger.trigger_count >= 1
    assert trigger.recent_trigger_bodies[0].json_body == body
    listing = client.checked(
        client.audit.get_audit_log_entries_with_http_info,
        ld.AuditLogEntryListingRepCollection,
        spec="proj/shop:env/production:flag/checkout",
        q="Failure rate",
        limit=5,
    )
    newest = listing.items[0]
    assert newest.accesses[0].resource == "proj/shop:env/production:flag/checkout"
    detailed = client.checked(
        client.audit.get_audit_log_entry_with_http_info, ld.AuditLogEntryRep, newest.id
    )
    assert detailed.trigger_body == body
    assert detailed.title == "Dynatrace trigger turned off the flag checkout in production"


def test_every_management_route_was_called_through_the_client(ld, client):
    """Runs last in this module: the routes above must all have been used."""
    called = {(method, path) for method, path in client.calls}
    missing = []
    for route in serve_api.routes:
        for method in sorted(route.methods - {"HEAD"}):
            if not any(m == method and route.path_regex.match(p) for m, p in called):
                missing.append(f"{method} {route.path}")
    assert not missing, f"not exercised through launchdarkly-api: {missing}"
