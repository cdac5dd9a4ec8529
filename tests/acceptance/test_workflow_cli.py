"""Dynatrace Workflows end to end through the real command line: export in
every form, check each export (round trip), render a task's body for every
Davis sample in every form, the findings on a workflow full of mistakes, and
the workflows an integration keeps under `validate` and `replay`."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from conftest import FIXTURES, REPO

INTEGRATION = REPO / "integrations" / "dynatrace"
WORKFLOWS = FIXTURES / "dynatrace-workflow"
DAVIS = sorted((INTEGRATION / "samples").glob("*.davis.json"))
FORMS = {
    "workflow": "wf.yaml",
    "workflow-api": "wf.json",
    "workflow-terraform": "main.tf",
    "workflow-monaco": "project",
}
SECRET = "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"


def export(run, fmt, out):
    result = run("dynatrace", "export", "--integration", INTEGRATION, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out / "config.yaml" if fmt == "workflow-monaco" else out


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from click.testing import CliRunner

    from ldkit.cli import cli

    folder = tmp_path_factory.mktemp("exports")
    paths = {}
    for fmt, name in FORMS.items():
        out = folder / name
        args = ["dynatrace", "export", "--integration", str(INTEGRATION), "--format", fmt]
        result = CliRunner().invoke(cli, [*args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        paths[fmt] = out / "config.yaml" if fmt == "workflow-monaco" else out
    return paths


@pytest.mark.parametrize("fmt", list(FORMS))
def test_every_export_passes_check_against_every_davis_sample(run, exported, fmt):
    result = run(
        "dynatrace", "check", exported[fmt], "--integration", INTEGRATION, "--format", "json"
    )
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0


def test_the_integration_keeps_the_api_export_unchanged(run):
    result = run("dynatrace", "export", "--integration", INTEGRATION, "--format", "workflow-api")
    kept = INTEGRATION / "workflows" / "launchdarkly-flag-trigger.workflow.json"
    assert result.stdout == kept.read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", DAVIS, ids=lambda p: p.name)
def test_every_form_renders_the_same_body_and_the_trigger_reads_the_title(run, exported, sample):
    """7 Davis samples x 4 forms: one body per sample, whatever the form."""
    bodies = set()
    for path in exported.values():
        result = run("render", "--workflow", path, "--event", sample)
        assert result.exit_code == 0, result.stderr
        bodies.add(result.stdout)
    assert len(bodies) == 1
    body = json.loads(bodies.pop())
    event = json.loads(sample.read_text(encoding="utf-8"))["event"]
    assert body["title"] == event["event.name"]
    assert body["url"].endswith("/ui/apps/dynatrace.davis.problems/problem/" + event["event.id"])


def test_render_request_shows_method_headers_and_masks_secrets(run):
    path = WORKFLOWS / "many-mistakes.yaml"
    sample = INTEGRATION / "samples" / "availability-opened.davis.json"
    result = run("render", "--workflow", path, "--event", sample, "--request")
    assert result.exit_code == 0
    first = result.stdout.split("\n", 1)[0]
    assert first == "GET https://app.launchdarkly.com/webhook/triggers/5f1e…/<secret>"
    assert SECRET not in result.stdout
    exported = run(
        "render",
        *("--workflow", INTEGRATION / "workflows" / "launchdarkly-flag-trigger.workflow.json"),
        *("--event", sample, "--request"),
    )
    assert exported.stdout.startswith(
        "POST <secret:launchdarkly-flag-trigger-url>\nContent-Type: application/json\n\n{"
    )


def test_render_reports_an_expression_that_fails_in_one_line(run):
    result = run(
        *("render", "--workflow", WORKFLOWS / "missing-field.json"),
        *("--event", INTEGRATION / "samples" / "availability-opened.davis.json"),
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "input payload: reads something the event does not have" in result.stderr
    assert "event.title" in result.stderr


def test_render_usage_errors_exit_2(run):
    sample = INTEGRATION / "samples" / "availability-opened.davis.json"
    both = run("render", "--workflow", WORKFLOWS / "good.yaml", "--template", sample)
    assert both.exit_code == 2
    no_event = run("render", "--workflow", WORKFLOWS / "good.yaml")
    assert no_event.exit_code == 2 and "--event FILE" in no_event.stderr
    no_task = run("render", "--workflow", WORKFLOWS / "good.yaml", "--event", sample, "--task", "x")
    assert no_task.exit_code == 2 and "no task 'x'" in no_task.stderr
    not_event = run(
        "render", "--workflow", WORKFLOWS / "good.yaml", "--event", WORKFLOWS / "good-api.json"
    )
    assert not_event.exit_code == 2 and "not a Davis problem sample" in not_event.stderr


def test_a_workflow_full_of_mistakes_is_reported_where_each_mistake_is(run):
    path = WORKFLOWS / "many-mistakes.yaml"
    result = run("dynatrace", "check", path, "--integration", INTEGRATION, "--format", "json")
    assert result.exit_code == 1
    assert SECRET not in result.stdout
    found = {(f["rule"], f["line"]) for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert {
        ("LD752", 12),  # name: call-trigger under the key call_trigger
        ("LD759", 15),  # the literal trigger URL
        ("LD758", 16),  # method: GET
        ("LD765", 18),  # "{{ event()["event.name"] }}" inside a JSON string
        ("LD753", 20),  # predecessors: [fetch]
        ("LD753", 23),  # fetch: DONE
        ("LD757", 34),  # onProblemClose: true
        ("LD751", 35),  # schemaVersion: 2
    } <= found
    quotes = [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["rule"] == "LD762"]
    assert "error-updated-quotes" in quotes[0]["message"]


def test_terraform_messages_use_terraform_names(run):
    result = run(
        *("dynatrace", "check", WORKFLOWS / "terraform" / "bad" / "main.tf"),
        *("--integration", INTEGRATION),
    )
    assert "on_problem_close is true" in result.stdout
    assert "main.tf:47:11: LD757 warning" in result.stdout


def test_monaco_template_with_an_unescaped_expression_points_into_the_template(run):
    config = WORKFLOWS / "monaco" / "unescaped" / "config.yaml"
    result = run("dynatrace", "check", config, "--integration", INTEGRATION, "--format", "json")
    assert result.exit_code == 1
    files = {f["path"]: f["findings"] for f in json.loads(result.stdout)["files"]}
    template = str(config.parent / "launchdarkly-flag-trigger.workflow.json")
    assert {f["rule"] for f in files[template]} == {"LD750"}
    assert "Go template action to Monaco" in files[template][0]["message"]


def test_workflow_replay_cases_pass(run):
    result = run("replay", INTEGRATION)
    assert result.exit_code == 0, result.stdout
    assert "0 failed" in result.stdout


def test_validate_checks_the_workflows_an_integration_keeps(run, tmp_path):
    copy = tmp_path / "integrations" / "dynatrace"
    shutil.copytree(INTEGRATION, copy)
    clean = run("validate", copy, "--format", "json")
    assert clean.exit_code == 0, clean.stdout
    shutil.copy(WORKFLOWS / "wrong-keys.json", copy / "workflows" / "broken.json")
    broken = run("validate", copy, "--format", "json")
    rules = {
        (f["rule"], f["path"].rsplit("/", 1)[-1])
        for file in json.loads(broken.stdout)["files"]
        for f in file["findings"]
    }
    assert {("LD763", "broken.json"), ("LD764", "broken.json")} <= rules


def test_a_yaml_workflow_without_the_extra_names_the_extra(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)
    result = run("dynatrace", "check", WORKFLOWS / "good.yaml", "--integration", INTEGRATION)
    assert result.exit_code == 2
    assert "pip install 'ld-integration-kit[dynatrace]'" in result.stderr


def test_export_refuses_template_syntax_in_the_title_and_odd_secret_names(run, tmp_path):
    base = ("dynatrace", "export", "--integration", INTEGRATION, "--format", "workflow-api")
    title = run(*base, "--name", "Flag {{ secret('x') }}")
    assert title.exit_code == 2 and "without {{ }}" in title.stderr
    secret = run(*base, "--secret", 'x") }}{{ event()')
    assert secret.exit_code == 2 and "not a plain name" in secret.stderr
