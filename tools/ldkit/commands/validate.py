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
@click.option(
    "--schema",
    "schema_dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    default=None,
    help=(
        "Judge with the manifest schema in DIR: a checkout of LaunchDarkly's integrations "
        "repository, or a folder holding base.json, definitions.json and capabilities/ "
        "(default: the checkout's own schema inside a checkout, else the bundled one)."
    ),
)
def command(
    paths: tuple[str, ...],
    fmt: str | None,
    strict: bool,
    output: str | None,
    schema_dir: str | None,
) -> None:
    """Validate integration manifests.

    PATH is a manifest.json, an integration folder, or a folder holding
    integrations/. Without PATH, every ./integrations/*/manifest.json.
    Inside a checkout of LaunchDarkly's integrations repository the
    checkout's own schema judges; stderr says so once.
    """
    from pathlib import Path

    from ldkit.checks import validate_paths
    from ldkit.integration import InputError
    from ldkit.report import default_format, get_reporter
    from ldkit.report.output import emit
    from ldkit.rules import get_rule
    from ldkit.schema.judge import SchemaChoice, load_folder
    from ldkit.schema.load import SchemaLoadError

    schemas = SchemaChoice()
    if schema_dir is not None:
        try:
            schemas = SchemaChoice(explicit=load_folder(Path(schema_dir)))
        except SchemaLoadError as exc:
            raise click.BadParameter(str(exc), param_hint="--schema") from None
    try:
        report = validate_paths(paths, schemas)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    for note in schemas.notes():
        click.echo(note, err=True)
    if strict:
        report = report.strict()
    emit(get_reporter(fmt or default_format())(report, get_rule), output)
    raise SystemExit(report.exit_code())
