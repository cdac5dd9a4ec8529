"""Check the Dynatrace workflows an integration keeps, during `ldkit validate`.

An integration may keep the workflow that calls its trigger under
`workflows/` (template YAML, Automation API JSON, Terraform, Monaco). Validate
checks each of them the way `ldkit dynatrace check --integration <folder>`
does: against the integration's own manifest and Davis problem samples, with
findings positioned in the workflow file. Only integrations that keep such
files pay for it (the expression renderer imports Jinja2; YAML and HCL need
the `dynatrace` extra, and a file that needs a missing extra is a finding that
says which extra, not an error of the run).

Rendering every HTTP task for every Davis sample is the costliest check of the
Dynatrace integration, and its answer depends only on files: the workflows,
the manifest, the samples and ldkit's own code. So the findings are kept in
the user's cache (`ldkit.user_cache`) under the SHA-256 of those files; a
pre-commit run that changed none of them reads them back and never imports
the expression renderer. Files are stamped by path, size and modification
time (no file is read to compute the key, as with ruff's cache), and so is
every module of the installed package, so an upgrade or an edit of ldkit can
never meet findings an older ldkit made.
"""

from __future__ import annotations

from pathlib import Path

from ldkit.core.findings import Finding


def workflow_findings(manifest_path: str, folder: Path) -> list[Finding]:
    """Every workflow finding of the integration in `folder`, with paths in the
    style of `manifest_path` (from the cache when no input changed)."""
    from ldkit.fs import inside, is_regular_file
    from ldkit.integration import workflow_paths

    paths = [p for p in workflow_paths(folder) if is_regular_file(p) and inside(p, folder)]
    if not paths:
        return []
    key = _inputs_key(manifest_path, folder, paths)
    if key is None:
        return _workflow_findings(manifest_path, folder, paths)
    from ldkit.user_cache import cached

    stored = cached(
        "workflow-findings",
        key,
        lambda: [_as_json(f) for f in _workflow_findings(manifest_path, folder, paths)],
        accept=_are_findings,
    )
    return [_from_json(item) for item in stored]


_FIELDS = ("path", "line", "column", "rule", "severity", "message", "pointer")


def _as_json(finding: Finding) -> list[object]:
    return [
        str(getattr(finding, name)) if name == "severity" else getattr(finding, name)
        for name in _FIELDS
    ]


def _are_findings(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, list)
        and len(item) == len(_FIELDS)
        and all(isinstance(item[i], str) for i in (0, 3, 4, 5, 6))
        and all(isinstance(item[i], int) for i in (1, 2))
        and item[4] in ("error", "warning")
        for item in value
    )


def _from_json(item: list) -> Finding:
    from ldkit.core.findings import Severity

    path, line, column, rule, severity, message, pointer = item
    return Finding(path, line, column, rule, Severity(severity), message, pointer)


def _inputs_key(manifest_path: str, folder: Path, paths: list[Path]) -> str | None:
    """The key of everything the workflow check reads (the manifest, the
    workflows, the samples, ldkit's code), or None when a file cannot be
    looked at (the uncached check then says why)."""
    from ldkit.integration import MANIFEST, SAMPLES
    from ldkit.user_cache import code_stamp, content_key, file_stamps

    inputs = [folder / MANIFEST, *paths, *sorted((folder / SAMPLES).glob("**/*.json"))]
    stamps = file_stamps(inputs)
    if stamps is None:
        return None
    named = [("", manifest_path.encode()), *code_stamp(), *stamps]
    return content_key("workflow findings 1", named)


def _workflow_findings(manifest_path: str, folder: Path, paths: list[Path]) -> list[Finding]:
    from ldkit.dynatrace.config.model import ReadError, located
    from ldkit.dynatrace.config.payload import IntegrationError, load_integration
    from ldkit.dynatrace.workflow import rules
    from ldkit.dynatrace.workflow.checks import Target, check, load_events
    from ldkit.dynatrace.workflow.readers import ReadError as WorkflowReadError
    from ldkit.dynatrace.workflow.run import read_workflows

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
