"""`ldkit dynatrace check` over webhook configurations and workflows alike.

Each file is read by what it holds: a JSON object with `tasks` (or a
template's `workflow:`) is a workflow, any other JSON a webhook configuration;
a YAML file with `workflow:` is a workflow template, a Monaco `config.yaml` is
read for its workflow configs and for its problem-notification settings; a
`.tf` file for its `dynatrace_automation_workflow` and its webhook resources.
Webhooks go to `ldkit.dynatrace.config.run` unchanged; workflows to
`ldkit.dynatrace.workflow.checks`. One report model comes out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldkit.core.findings import FileResult, Finding, Report
from ldkit.dynatrace.config.model import ConfigFile, ReadError
from ldkit.dynatrace.workflow import readers
from ldkit.dynatrace.workflow.checks import Target, check
from ldkit.dynatrace.workflow.model import WorkflowFile

if TYPE_CHECKING:
    from ldkit.fs import Reads


def _read_bytes(path: str, root: object, reads: Reads | None) -> bytes:
    from ldkit.fs import FileRefused, read_bytes

    try:
        return read_bytes(path, root=root, reads=reads)
    except FileRefused as refused:
        raise ReadError(f"{path}: cannot read: {refused.reason}") from None


def read_workflows(path: str, *, root: object, reads: Reads | None = None) -> WorkflowFile | None:
    """The workflows of a file, or None when the file holds no workflow form
    (then it is a webhook configuration). `root` is `ldkit.fs`'s: the folder
    the file must lie in, or USER_NAMED for a path the user gave. `reads`: the
    run's reads, when several replay cases name the same workflow."""
    from ldkit.load.jsonpos import decode, load_bytes

    data = _read_bytes(path, root, reads)
    if path.endswith(".tf"):
        text, problems = decode(data, path)
        if readers.TERRAFORM_RESOURCE not in text:
            return None
        result = readers.read_terraform(path, text)
        result.findings[:0] = problems
        return result if result.workflows else None
    if path.endswith((".yaml", ".yml")):
        text, problems = decode(data, path)
        if "workflow" not in text:
            return None
        tree, _ = readers.compose_yaml(path, text)
        value = tree.value if tree is not None else None
        configs = value.get("configs") if isinstance(value, dict) else None
        if isinstance(configs, list) and any(readers.is_monaco_workflow(c) for c in configs):
            result = readers.read_monaco(path, text)
        elif (isinstance(value, dict) and "workflow" in value) or (
            tree is None and "workflow:" in text
        ):
            result = readers.read_template(path, text)
        else:
            return None
        result.findings[:0] = problems
        return result
    loaded = load_bytes(data, path)
    value = loaded.document.value if loaded.ok else None
    if not (readers.looks_like_api(value) or readers.looks_like_template(value)):
        return None
    return readers.read_api(loaded.document, list(loaded.findings))


def _has_settings(workflows: WorkflowFile) -> bool:
    """A Monaco config.yaml that also holds problem-notification settings."""
    from ldkit.dynatrace.config.settings import SCHEMA_ID

    return workflows.path.endswith((".yaml", ".yml")) and SCHEMA_ID in workflows.text


def check_workflow_file(workflows: WorkflowFile, target: Target) -> list[FileResult]:
    findings: list[Finding] = list(workflows.findings)
    for workflow in workflows.workflows:
        findings.extend(check(workflow, target))
    sources = {workflows.path: workflows.text, **workflows.sources}
    results = []
    for path, text in sources.items():
        own = sorted(set(f for f in findings if f.path == path))
        if own or path == workflows.path:
            results.append(FileResult(path, own, text))
    return results


def _merge(results: list[FileResult]) -> list[FileResult]:
    merged: dict[str, FileResult] = {}
    for result in results:
        if result.path in merged:
            previous = merged[result.path]
            findings = sorted(set(previous.findings) | set(result.findings))
            merged[result.path] = FileResult(result.path, findings, previous.source)
        else:
            merged[result.path] = result
    return list(merged.values())


def check_paths(paths: list[str], integration: object | None) -> Report:
    from ldkit.dynatrace.config.run import check_config, read_config
    from ldkit.dynatrace.workflow.checks import load_events
    from ldkit.fs import USER_NAMED

    events = load_events(integration.directory) if integration is not None else []
    target = Target(integration, events)
    report = Report()
    for path in paths:
        workflows = read_workflows(path, root=USER_NAMED)
        if workflows is None:
            report.files.extend(check_config(read_config(path), integration))
            continue
        results = check_workflow_file(workflows, target)
        if path.endswith(".tf") or _has_settings(workflows):
            config: ConfigFile = read_config(path)
            if config.webhooks or any(f.rule != "LD700" for f in config.findings):
                results.extend(check_config(config, integration))
        report.files.extend(_merge(results))
    return report
