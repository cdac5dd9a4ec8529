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
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_ignore: tuple[str, ...],
    config: str | None,
    baseline: str | None,
    write_baseline: str | None,
) -> None:
    """Validate integration manifests.

    PATH is a manifest.json, an integration folder, or a folder holding
    integrations/. Without PATH, every ./integrations/*/manifest.json.
    Settings come from the nearest .ldkit.toml or pyproject.toml [tool.ldkit]
    (see docs/configuration.md); options override them.
    """
    from pathlib import Path

    from ldkit.checks import validate_paths
    from ldkit.config import ConfigError, resolve
    from ldkit.integration import InputError
    from ldkit.report import baseline as baselines
    from ldkit.report import default_format, get_reporter
    from ldkit.report.output import emit
    from ldkit.rules import get_rule

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
        report = settings.apply(validate_paths(paths))
        if write_baseline is not None:
            count = baselines.write(report, Path(write_baseline))
            click.echo(f"ldkit: recorded {count} findings in {write_baseline}", err=True)
            raise SystemExit(0)
        if settings.baseline is not None:
            report, hidden = baselines.read(settings.baseline).filter(report)
            if hidden:
                click.echo(
                    f"ldkit: {hidden} findings recorded in {settings.baseline} not shown",
                    err=True,
                )
    except (InputError, ConfigError, baselines.BaselineError) as exc:
        raise click.UsageError(str(exc)) from None
    if settings.strict:
        report = report.strict()
    emit(get_reporter(fmt or default_format())(report, get_rule), output)
    raise SystemExit(report.exit_code())
