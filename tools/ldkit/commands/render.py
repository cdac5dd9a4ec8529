"""`ldkit render --template FILE --problem FILE`: the body Dynatrace would send."""

from __future__ import annotations

import click

from ldkit.dynatrace.render import JSON_CONTENT_TYPE
from ldkit.fs import USER_NAMED
from ldkit.report.output import binary_stream


@click.command("render")
@click.option(
    "--template",
    "template_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The custom payload, as pasted into Dynatrace's custom integration.",
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
    template_path: str,
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
