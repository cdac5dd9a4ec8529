"""`ldkit render`: the body Dynatrace would send, for a custom payload and a
problem (`--template FILE --problem FILE`) or for a workflow's HTTP task and a
Davis problem event (`--workflow FILE --event FILE`)."""

from __future__ import annotations

import click

from ldkit.dynatrace.render import JSON_CONTENT_TYPE
from ldkit.fs import USER_NAMED
from ldkit.report.output import binary_stream


@click.command("render")
@click.option(
    "--template",
    "template_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The custom payload, as pasted into Dynatrace's custom integration.",
)
@click.option(
    "--workflow",
    "workflow_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A workflow (template YAML, API JSON, Terraform, Monaco config.yaml) instead of "
    "--template: renders its HTTP request task for --event.",
)
@click.option("--task", "task_name", default=None, help="The workflow's HTTP task to render.")
@click.option(
    "--event",
    "event_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A Davis problem sample (*.davis.json), the event() of --workflow.",
)
@click.option(
    "--request",
    "show_request",
    is_flag=True,
    help="With --workflow: print the method, the URL (secrets masked) and the headers before "
    "the body.",
)
@click.option(
    "--problem",
    "problem_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A problem sample (*.problem.json). Not used with --test-notification.",
)
@click.option(
    "--test-notification",
    is_flag=True,
    help='Use the values of Dynatrace\'s "Send test notification" run.',
)
@click.option(
    "--content-type",
    default=JSON_CONTENT_TYPE,
    show_default=True,
    help="The Content-Type the integration sends; any other than application/json turns "
    "Dynatrace's JSON escaping off.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the body to FILE instead of stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the findings, which go to stderr.",
)
def command(
    template_path: str | None,
    workflow_path: str | None,
    task_name: str | None,
    event_path: str | None,
    show_request: bool,
    problem_path: str | None,
    test_notification: bool,
    content_type: str,
    output: str | None,
    fmt: str,
) -> None:
    """Render a Dynatrace custom payload for a problem.

    Prints the HTTP body exactly as Dynatrace would send it (stdout, or
    --output) and reports template problems on stderr: placeholders quoted
    wrongly, unknown placeholders, a body that is not JSON, sizes over
    Dynatrace's 5,000-character limit. Exit code 1 when a finding is an error.
    """
    from ldkit.core.findings import FileResult, Report
    from ldkit.dynatrace.render import TemplateError, read_template, render_payload, rendered_path

    if (template_path is None) == (workflow_path is None):
        raise click.UsageError("give either --template FILE or --workflow FILE")
    if workflow_path is not None:
        if event_path is None:
            raise click.UsageError("give the Davis problem event with --event FILE")
        _render_workflow(workflow_path, task_name, event_path, show_request, output)
        return
    if task_name is not None or event_path is not None or show_request:
        raise click.UsageError("--task, --event and --request go with --workflow")
    if problem_path is None and not test_notification:
        raise click.UsageError("give a problem sample with --problem FILE, or --test-notification")
    try:
        template = read_template(template_path, root=USER_NAMED)
    except TemplateError as exc:
        raise click.UsageError(str(exc)) from None
    problem = None if test_notification else _load_problem(problem_path, fmt)
    result = render_payload(
        template,
        problem,
        content_type=content_type,
        test_notification=test_notification,
        path=template_path,
    )
    _write_body(result.body, output)
    rendered = rendered_path(template_path)
    report = Report(
        [
            FileResult(template_path, [f for f in result.findings if f.path != rendered], template),
            FileResult(rendered, [f for f in result.findings if f.path == rendered], result.body),
        ]
    )
    _report(report, fmt)
    raise SystemExit(report.exit_code())


def _render_workflow(
    path: str, task_name: str | None, event_path: str, show_request: bool, output: str | None
) -> None:
    """The body one workflow task sends for one Davis event; exit 1 (one
    line on stderr) when an input does not render, 2 for unusable files."""
    from ldkit.dynatrace.config.model import ReadError
    from ldkit.dynatrace.workflow.readers import ReadError as WorkflowReadError
    from ldkit.dynatrace.workflow.request import (
        RequestError,
        TaskChoiceError,
        choose_task,
        load_event,
        render_request,
    )
    from ldkit.dynatrace.workflow.run import read_workflows
    from ldkit.fs import USER_NAMED, FileRefused

    try:
        event = load_event(event_path, root=USER_NAMED)
    except FileRefused as refused:
        raise click.UsageError(f"{event_path}: {refused.reason}") from None
    except ValueError as exc:
        raise click.UsageError(f"{event_path}: {exc}") from None
    try:
        workflows = read_workflows(path, root=USER_NAMED)
    except (ReadError, WorkflowReadError) as exc:
        raise click.UsageError(str(exc)) from None
    if workflows is None or not workflows.workflows:
        first = workflows.findings[0].message if workflows and workflows.findings else ""
        why = f" ({first})" if first else ""
        raise click.UsageError(
            f"{path}: no workflow in this file{why}; ldkit dynatrace check {path}"
        )
    try:
        name, task = choose_task(workflows.workflows[0], task_name)
    except TaskChoiceError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        request = render_request(name, task, event)
    except RequestError as exc:
        from ldkit.report.encode import echo

        echo(f"ldkit render: task {name}, {exc}", err=True)
        raise SystemExit(1) from None
    _write_body(request.text() if show_request else request.body, output)


def _load_problem(path: str, fmt: str) -> dict:
    """The parsed sample, or exit 2: a sample that is not JSON or breaks the
    schema cannot stand for a Dynatrace problem."""
    from ldkit.checks.problem_sample import check
    from ldkit.core.findings import FileResult, Report, Severity
    from ldkit.fs import FileRefused
    from ldkit.load.jsonpos import load_path

    try:
        loaded = load_path(path, root=USER_NAMED)
    except FileRefused as refused:
        raise click.UsageError(f"{path}: {refused.reason}") from None
    findings = list(loaded.findings)
    if loaded.ok:
        findings.extend(check(loaded.document))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        _report(Report([FileResult(path, sorted(set(errors)), loaded.document.text)]), fmt)
        click.echo(
            f"ldkit render: {path} is not a usable problem sample; "
            f"fix the errors above (ldkit validate {path} checks it)",
            err=True,
        )
        raise SystemExit(2)
    return loaded.document.value


def _write_body(body: str, output: str | None) -> None:
    from ldkit.report.encode import to_bytes
    from ldkit.report.output import write_file

    data = to_bytes(body)
    if output is None or output == "-":
        stream = binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    write_file(output, data)


def _report(report, fmt: str) -> None:
    """Findings to stderr. Text stays quiet when there is nothing to say; JSON
    always prints its object, so scripts can rely on it."""
    from ldkit.catalogue import get_rule
    from ldkit.report import get_reporter

    if fmt == "text" and not any(True for _ in report.all_findings()):
        return
    from ldkit.report.encode import echo

    echo(get_reporter(fmt)(report, get_rule), err=True, nl=False)
