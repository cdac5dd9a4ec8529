"""`ldkit validate [PATH ...]`: check integrations and report the findings.

Which files, which schema judges, and which findings count (configuration,
baseline) are decided here; how the report reaches the terminal, `--output`
and each `--report FORMAT:FILE` is `ldkit.commands.reporting`, shared with
`ldkit dynatrace check`.
"""

from __future__ import annotations

import click

from ldkit.commands.reporting import check_targets, deliver, report_options


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@report_options
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
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Report only these rules (ids or prefixes such as LD3; comma-separated; "
    "replaces the configured list).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Do not report these rules (replaces the configured list).",
)
@click.option(
    "--extend-ignore",
    multiple=True,
    metavar="CODES",
    help="Do not report these rules either (adds to the configured list).",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    default=None,
    help="Read settings from FILE (.ldkit.toml, or a pyproject.toml with [tool.ldkit]) "
    "instead of the nearest one.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    default=None,
    help="Hide the findings recorded in FILE; report only new ones.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    default=None,
    help="Record every finding of this run in FILE and exit 0.",
)
def command(
    paths: tuple[str, ...],
    fmt: str | None,
    strict: bool,
    output: str | None,
    reports: tuple[tuple[str, str], ...],
    schema_dir: str | None,
    color: bool | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_ignore: tuple[str, ...],
    config: str | None,
    baseline: str | None,
    write_baseline: str | None,
) -> None:
    """Validate integration manifests.

    PATH is a manifest.json, an integration folder, a folder of integration
    folders (such as integrations/), or a repository folder holding
    integrations/. Without PATH, the current folder (such as a repository:
    every ./integrations/*/manifest.json). Inside a checkout of LaunchDarkly's
    integrations repository the checkout's own schema judges; stderr says so once.
    Settings come from the nearest .ldkit.toml or pyproject.toml [tool.ldkit]
    (see docs/configuration.md); options override them.
    """
    from pathlib import Path

    from ldkit.checks import validate_paths
    from ldkit.checks.shown import shown
    from ldkit.config import ConfigError, resolve
    from ldkit.integration import InputError
    from ldkit.report import baseline as baselines
    from ldkit.schema.judge import SchemaChoice, load_folder
    from ldkit.schema.load import SchemaLoadError

    check_targets(output, reports)
    schemas = SchemaChoice()
    if schema_dir is not None:
        try:
            schemas = SchemaChoice(explicit=load_folder(Path(schema_dir)))
        except SchemaLoadError as exc:
            raise click.BadParameter(str(exc), param_hint="--schema") from None
    try:
        settings = resolve(
            paths=paths,
            config=config,
            select=select,
            ignore=ignore,
            extend_ignore=extend_ignore,
            strict=strict,
            baseline=baseline,
        )
        found = validate_paths(paths, schemas)
        if write_baseline is not None:
            count = baselines.write(settings.apply(found), Path(write_baseline))
            click.echo(f"ldkit: recorded {count} findings in {write_baseline}", err=True)
            raise SystemExit(0)
        report, hidden = shown(found, settings)
        if hidden:
            click.echo(
                f"ldkit: {hidden} findings recorded in {settings.baseline} not shown",
                err=True,
            )
    except (InputError, ConfigError, baselines.BaselineError) as exc:
        raise click.UsageError(str(exc)) from None
    for note in schemas.notes():
        click.echo(note, err=True)
    deliver(report, fmt=fmt, output=output, reports=reports, color=color)
