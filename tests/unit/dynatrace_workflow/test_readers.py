"""The workflow readers: every form becomes the API shape, with positions in
the file the user edits."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from ldkit.dynatrace.workflow.model import Reference, WorkflowForm
from ldkit.dynatrace.workflow.run import read_workflows
from ldkit.fs import USER_NAMED

pytest.importorskip("yaml")
pytest.importorskip("hcl2")

WORKFLOWS = FIXTURES / "dynatrace-workflow"


def test_every_form_of_the_export_reads_to_the_same_tasks():
    forms = {
        WorkflowForm.TEMPLATE: WORKFLOWS / "good.yaml",
        WorkflowForm.API: WORKFLOWS / "good-api.json",
        WorkflowForm.TERRAFORM: WORKFLOWS / "terraform" / "good" / "main.tf",
        WorkflowForm.MONACO: WORKFLOWS / "monaco" / "good" / "config.yaml",
    }
    inputs = []
    for form, path in forms.items():
        result = read_workflows(str(path), root=USER_NAMED)
        assert result is not None and not result.findings
        [workflow] = result.workflows
        assert workflow.form is form
        inputs.append(workflow.tasks()["call_flag_trigger"]["input"])
    assert all(other == inputs[0] for other in inputs[1:])


def test_a_block_scalar_character_is_positioned_on_its_own_line():
    [workflow] = read_workflows(str(WORKFLOWS / "many-mistakes.yaml"), root=USER_NAMED).workflows
    pointer = "/tasks/call_trigger/input/payload"
    payload = workflow.tasks()["call_trigger"]["input"]["payload"]
    where = workflow.at(pointer, payload.index("{{ platform_url"))
    assert (where.line, where.column) == (19, 20)


def test_terraform_members_known_only_at_apply_time_are_references():
    [workflow] = read_workflows(
        str(WORKFLOWS / "terraform" / "bad" / "main.tf"), root=USER_NAMED
    ).workflows
    method = workflow.tasks()["call_flag_trigger"]["input"]["method"]
    assert method == Reference("var.method")
    assert workflow.spell("onProblemClose") == "on_problem_close"


def test_monaco_unescapes_raw_string_actions():
    [workflow] = read_workflows(
        str(WORKFLOWS / "monaco" / "good" / "config.yaml"), root=USER_NAMED
    ).workflows
    assert workflow.value["title"] == "LaunchDarkly flag trigger"
    assert workflow.tasks()["call_flag_trigger"]["input"]["url"] == (
        '{{ secret("launchdarkly-flag-trigger-url") }}'
    )


def test_a_file_that_holds_no_workflow_is_left_to_the_webhook_reader():
    assert (
        read_workflows(
            str(FIXTURES / "dynatrace-config" / "settings" / "good.json"), root=USER_NAMED
        )
        is None
    )


def test_hostile_yaml_aliases_are_refused_not_expanded(tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 14)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nworkflow: {tasks: *a13}\n", encoding="utf-8")
    result = read_workflows(str(path), root=USER_NAMED)
    assert result is not None and not result.workflows
    assert result.findings[0].rule == "LD750"
    assert "nodes" in result.findings[0].message
