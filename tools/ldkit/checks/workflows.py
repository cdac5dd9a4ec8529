"""Check the Dynatrace workflows an integration keeps, during `ldkit validate`.

An integration may keep the workflow that calls its trigger under
`workflows/` (template YAML, Automation API JSON, Terraform, Monaco). Validate
checks each of them the way `ldkit dynatrace check --integration <folder>`
does: against the integration's own manifest and Davis problem samples, with
findings positioned in the workflow file. Only integrations that keep such
files pay for it (the expression renderer imports Jinja2; YAML and HCL need
the `dynatrace` extra, and a file that needs a missing extra is a finding that
says which extra, not an error of the run).
"""

from __future__ import annotations

from pathlib import Path

from ldkit.core.findings import Finding


def workflow_findings(manifest_path: str, folder: Path) -> list[Finding]:
    """Every workflow finding of the integration in `folder`, with paths in the
    style of `manifest_path`."""
    from ldkit.dynatrace.config.model import ReadError, located
    from ldkit.dynatrace.config.payload import IntegrationError, load_integration
    from ldkit.dynatrace.workflow import rules
    from ldkit.dynatrace.workflow.checks import Target, check, load_events
    from ldkit.dynatrace.workflow.readers import ReadError as WorkflowReadError
    from ldkit.dynatrace.workflow.run import read_workflows
    from ldkit.fs import inside, is_regular_file
    from ldkit.integration import workflow_paths

    paths = [p for p in workflow_paths(folder) if is_regular_file(p) and inside(p, folder)]
    if not paths:
        return []
    try:
        integration = load_integration(folder)
    except IntegrationError:
        integration = None  # the manifest's own findings say why
    target = Target(integration, load_events(folder))
    base = Path(manifest_path).parent
    findings: list[Finding] = []
    for path in paths:
        shown = str(base / path.relative_to(folder))
        try:
            workflows = read_workflows(shown, root=base)
        except (ReadError, WorkflowReadError) as exc:
            message = str(exc).removeprefix(f"{shown}: ")
            findings.append(located(shown, 1, 1, rules.WorkflowFormat, message))
            continue
        if workflows is None:
            findings.append(
                located(
                    shown,
                    1,
                    1,
                    rules.WorkflowFormat,
                    "no workflow in this file (a template's workflow:, an API object with "
                    "tasks, a dynatrace_automation_workflow resource or a Monaco workflow "
                    "config); keep only workflows under workflows/",
                )
            )
            continue
        findings.extend(workflows.findings)
        for workflow in workflows.workflows:
            findings.extend(check(workflow, target))
    return findings
