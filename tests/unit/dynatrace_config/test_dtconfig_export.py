"""`export` writes each form for the integration's recommended payload, and
`check` passes on everything it writes (the round trip, for every form)."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from ldkit.dynatrace.config import export
from ldkit.dynatrace.config.model import Form
from ldkit.dynatrace.config.payload import load_integration
from ldkit.dynatrace.config.run import check_config, read_config

INTEGRATION = REPO / "integrations" / "dynatrace"
RECOMMENDED = (INTEGRATION / "payloads" / "recommended.json").read_text(encoding="utf-8")
NEEDS = {Form.TERRAFORM: "hcl2", Form.MONACO: "yaml"}
#: The one warning a form cannot avoid: the classic model has no switch for
#: closed-problem notifications.
UNAVOIDABLE = {Form.CLASSIC: ["LD731"]}
FILE_NAMES = {
    Form.SETTINGS: "notification.json",
    Form.CLASSIC: "notification.json",
    Form.TERRAFORM: "main.tf",
    Form.MONACO: "project",
}


@pytest.fixture(scope="module")
def integration():
    return load_integration(INTEGRATION)


def write(form: Form, spec: export.ExportSpec, folder) -> str:
    output = folder / FILE_NAMES[form]
    targets = export.targets(form, export.render(form, spec), output)
    export.write(targets, force=False)
    return str(output / export.MONACO_CONFIG if form is Form.MONACO else output)


@pytest.mark.parametrize("form", list(Form), ids=[f.value for f in Form])
def test_everything_exported_passes_check(form, integration, tmp_path):
    if form in NEEDS:
        pytest.importorskip(NEEDS[form], reason=f"{NEEDS[form]} (the dynatrace extra) is missing")
    spec = export.ExportSpec(payload=RECOMMENDED, integration_key=integration.key)
    path = write(form, spec, tmp_path)
    config = read_config(path)
    assert [hook.form for hook in config.webhooks] == [form]
    [hook] = config.webhooks
    assert hook.payload.value == RECOMMENDED
    findings = [f for r in check_config(config, integration) for f in r.findings]
    assert sorted(f.rule for f in findings) == UNAVOIDABLE.get(form, [])


@pytest.mark.parametrize("form", list(Form), ids=[f.value for f in Form])
def test_payloads_with_awkward_characters_survive_the_round_trip(form, tmp_path):
    if form in NEEDS:
        pytest.importorskip(NEEDS[form], reason=f"{NEEDS[form]} (the dynatrace extra) is missing")
    payload = (
        '{"title":"{ProblemTitle}","note":"50% ${off} %{x} \\\\ \\"q\\"\\n","url":"{ProblemURL}"}\n'
    )
    spec = export.ExportSpec(payload=payload, integration_key="dynatrace")
    config = read_config(write(form, spec, tmp_path))
    [hook] = config.webhooks
    assert hook.payload.value == payload
    assert hook.payload.reference is None
    rules = {f.rule for r in check_config(config, None) for f in r.findings}
    # {off} and {x} are not Dynatrace placeholders (LD603); the payload is
    # still read as a literal, never as a deploy-time reference (LD708).
    assert rules == {"LD603", *UNAVOIDABLE.get(form, [])}


def test_settings_export_is_the_settings_api_body_with_secrets_from_the_pipeline(integration):
    spec = export.ExportSpec(payload=RECOMMENDED, integration_key=integration.key)
    [obj] = json.loads(export.render(Form.SETTINGS, spec)[""])
    assert obj["schemaId"] == "builtin:problem.notifications"
    assert obj["scope"] == "environment"
    hook = obj["value"]["webHookNotification"]
    assert hook["urlContainsSecret"] is True
    assert hook["secretUrl"] == "${LD_TRIGGER_URL}"
    assert obj["value"]["alertingProfile"] == "${DT_ALERTING_PROFILE_ID}"
    assert (hook["notifyClosedProblems"], hook["notifyEventMergesEnabled"]) == (False, False)
    assert "url" not in hook


def test_terraform_export_wires_the_trigger_url_into_secret_url(integration):
    spec = export.ExportSpec(payload=RECOMMENDED, integration_key=integration.key)
    text = export.render(Form.TERRAFORM, spec)[""]
    assert 'resource "launchdarkly_flag_trigger" "dynatrace" {' in text
    assert "  secret_url             = launchdarkly_flag_trigger.dynatrace.trigger_url\n" in text
    assert "  url_contains_secret    = true\n" in text
    assert 'integration_key = "dynatrace"' in text
    assert "https://" not in text.split("resource")[1]  # no literal URL anywhere


def test_monaco_refuses_a_payload_with_go_template_braces():
    spec = export.ExportSpec(payload='{"title":"{{ProblemTitle}}"}', integration_key="dynatrace")
    with pytest.raises(export.ExportError, match="Go templates"):
        export.render(Form.MONACO, spec)


def test_an_existing_file_is_never_overwritten_without_force(tmp_path):
    target = tmp_path / "main.tf"
    target.write_text("keep me\n", encoding="utf-8")
    files = {target: "new\n"}
    with pytest.raises(export.ExportError, match="already exists; use --force"):
        export.write(files, force=False)
    assert target.read_text(encoding="utf-8") == "keep me\n"
    export.write(files, force=True)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.tf"]  # no temporary left


def test_a_monaco_folder_is_refused_whole_when_one_file_exists(tmp_path):
    spec = export.ExportSpec(payload=RECOMMENDED, integration_key="dynatrace")
    (tmp_path / export.MONACO_TEMPLATE).write_text("mine\n", encoding="utf-8")
    targets = export.targets(Form.MONACO, export.render(Form.MONACO, spec), tmp_path)
    with pytest.raises(export.ExportError):
        export.write(targets, force=False)
    assert not (tmp_path / export.MONACO_CONFIG).exists()
