"""`ldkit validate [PATH ...]`."""

from __future__ import annotations

import click

from ldkit.report import FORMATS


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default=None,
    help="Output format (default: text; github under GitHub Actions).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the report to FILE instead of stdout.",
)
def command(paths: tuple[str, ...], fmt: str | None, strict: bool, output: str | None) -> None:
    """Validate integration manifests.

    PATH is a manifest.json, an integration folder, or a folder holding
    integrations/. Without PATH, every ./integrations/*/manifest.json.
    """
    from ldkit.checks import validate_paths
    from ldkit.integration import InputError
    from ldkit.report import default_format, get_reporter
    from ldkit.rules import get_rule
    from ldkit.write import write_report

    try:
        report = validate_paths(paths)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    if strict:
        report = report.strict()
    write_report(get_reporter(fmt or default_format())(report, get_rule), output)
    raise SystemExit(report.exit_code())
