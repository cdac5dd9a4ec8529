"""`ldkit dynatrace check|export`: the Dynatrace problem-notification webhook
that calls a flag trigger, kept as code."""

from __future__ import annotations

from pathlib import Path

import click

from ldkit.commands.reporting import check_targets, deliver, report_options
from ldkit.fs import WriteRefused

DEFAULT_INTEGRATION = Path("integrations") / "dynatrace"
WEBHOOK_FORMATS = ("settings", "config-v1", "terraform", "monaco")
WORKFLOW_FORMATS = ("workflow", "workflow-api", "workflow-terraform", "workflow-monaco")
EXPORT_FORMATS = WEBHOOK_FORMATS + WORKFLOW_FORMATS


def _integration(directory: str | None, *, required: bool):
    """The integration the payload is checked against (or exported for): the
    given folder, else ./integrations/dynatrace when it exists."""
    from ldkit.dynatrace.config.payload import IntegrationError, load_integration

    if directory is None:
        if not DEFAULT_INTEGRATION.is_dir():
            if required:
                raise click.UsageError(
                    f"give the integration with --integration DIR (no {DEFAULT_INTEGRATION} here)"
                )
            return None
        directory = str(DEFAULT_INTEGRATION)
    try:
        return load_integration(Path(directory))
    except IntegrationError as exc:
        raise click.UsageError(str(exc)) from None


@click.group("dynatrace")
def command() -> None:
    """Check or generate the Dynatrace webhook that calls a flag trigger."""


@command.command(
    "check", short_help="Check webhook configurations (Settings, classic, Terraform, Monaco)."
)
@click.argument("configs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--integration",
    "integration_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="The integration whose trigger receives the webhook (default: integrations/dynatrace "
    "if present). Its manifest parses the bodies; its problem samples are rendered.",
)
@report_options
def check(
    configs: tuple[str, ...],
    integration_dir: str | None,
    fmt: str | None,
    strict: bool,
    output: str | None,
    reports: tuple[tuple[str, str], ...],
    color: bool | None,
) -> None:
    """Check webhook configurations: Settings 2.0 JSON, classic JSON, Terraform
    (.tf) or Monaco (config.yaml).

    Checks the format's constraints, the URL, the switches that make a trigger
    run when it should not, plain-text secrets, and what the payload does:
    rendered for Dynatrace's test notification and each problem sample, then
    parsed by the integration's trigger. Exit 1 on error findings.
    """
    from ldkit.dynatrace.config.model import ReadError
    from ldkit.dynatrace.workflow.readers import ReadError as WorkflowReadError
    from ldkit.dynatrace.workflow.run import check_paths

    check_targets(output, reports)
    integration = _integration(integration_dir, required=False)
    if integration is None:
        click.echo(
            f"ldkit dynatrace check: no {DEFAULT_INTEGRATION} here, so payloads are rendered for "
            "the test notification only and no trigger parses them; give --integration DIR",
            err=True,
        )
    try:
        report = check_paths(list(configs), integration)
    except (ReadError, WorkflowReadError) as exc:
        raise click.UsageError(str(exc)) from None
    if strict:
        report = report.strict()
    deliver(report, fmt=fmt, output=output, reports=reports, color=color)


@command.command("export", short_help="Write the webhook configuration for an integration.")
@click.option(
    "--integration",
    "integration_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="The integration (default: integrations/dynatrace if present); its "
    "payloads/recommended.json is the payload.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="A problem-notification webhook: settings (Settings 2.0 JSON), config-v1 (classic "
    "JSON), terraform (.tf), monaco (a folder). A workflow: workflow (template YAML), "
    "workflow-api (Automation API JSON), workflow-terraform (.tf), workflow-monaco (a folder).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(),
    default=None,
    help="The file to write (a folder for monaco). Default: stdout, except for monaco.",
)
@click.option("--name", default=None, help="The notification's display name (workflow title).")
@click.option(
    "--secret",
    "secret",
    default=None,
    help="Workflows: the credential-vault name the task reads the trigger URL from with "
    "secret() (default: launchdarkly-flag-trigger-url).",
)
@click.option(
    "--action",
    type=click.Choice(["turnFlagOff", "turnFlagOn"]),
    default="turnFlagOff",
    show_default=True,
    help="The trigger's action (terraform).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def export(
    integration_dir: str | None,
    fmt: str,
    output: str | None,
    name: str | None,
    secret: str | None,
    action: str,
    force: bool,
) -> None:
    """Write the webhook configuration for an integration's recommended payload.

    The trigger URL and the alerting profile come from deploy-time variables,
    never literals; closed-problem and event-merge notifications are off.
    Everything written passes `ldkit dynatrace check`.
    """
    from ldkit.dynatrace.config import export as exporter
    from ldkit.dynatrace.config.model import Form
    from ldkit.dynatrace.render import TemplateError, read_template

    integration = _integration(integration_dir, required=True)
    if fmt in WORKFLOW_FORMATS:
        _export_workflow(integration, fmt, output, name, secret, force)
        return
    try:
        payload = read_template(str(integration.recommended_payload), root=integration.directory)
    except TemplateError as exc:
        raise click.UsageError(str(exc)) from None
    spec = exporter.ExportSpec(
        payload=payload,
        integration_key=integration.key,
        name=name or exporter.DEFAULT_NAME,
        action=action,
    )
    form = Form(fmt)
    try:
        files = exporter.render(form, spec)
    except exporter.ExportError as exc:
        raise click.UsageError(str(exc)) from None
    if output is None or output == "-":
        if "" not in files:
            raise click.UsageError(f"--format {fmt} writes a folder: give it with -o DIR")
        click.echo(files[""], nl=False)
        return
    _write(files, output, force)


def _write(files: dict[str, str], output: str, force: bool) -> None:
    from ldkit.dynatrace.config import export as exporter

    targets = (
        {Path(output): files[""]}
        if "" in files
        else {Path(output) / name: text for name, text in files.items()}
    )
    try:
        exporter.write(targets, force=force)
    except exporter.ExportError as exc:
        raise click.UsageError(str(exc)) from None
    except WriteRefused as refused:
        raise click.UsageError(f"cannot write {output}: {refused.detail}") from None
    for path in targets:
        click.echo(f"wrote {path}", err=True)


def _export_workflow(
    integration, fmt: str, output: str | None, name: str | None, secret: str | None, force: bool
) -> None:
    from ldkit.dynatrace.workflow import export as exporter
    from ldkit.dynatrace.workflow.model import WorkflowForm

    spec = exporter.WorkflowSpec(
        integration_key=integration.key,
        event_name_pointer=integration.spec.event_name_pointer,
        url_pointer=integration.spec.url_pointer,
        title=name or exporter.DEFAULT_TITLE,
        secret=secret or exporter.DEFAULT_SECRET,
    )
    try:
        files = exporter.render(WorkflowForm(fmt), spec)
    except exporter.ExportError as exc:
        raise click.UsageError(str(exc)) from None
    if output is None or output == "-":
        if "" not in files:
            raise click.UsageError(f"--format {fmt} writes a folder: give it with -o DIR")
        click.echo(files[""], nl=False)
        return
    _write(files, output, force)
