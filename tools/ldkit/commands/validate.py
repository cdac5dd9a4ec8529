"""`ldkit validate [PATH ...]`: check integrations and report the findings.

One run serves every consumer: the terminal (or `--output FILE`) gets the main
report, and each `--report FORMAT:FILE` writes one more format from the same
findings, so CI needs a single validate step for annotations, SARIF and JUnit.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ldkit.report import FORMATS
from ldkit.report.terminal import color_option


class ReportSpec(click.ParamType):
    """`FORMAT:FILE`, for example `sarif:ldkit.sarif`."""

    name = "FORMAT:FILE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        fmt, sep, path = str(value).partition(":")
        if not sep or not path:
            self.fail(f"{value!r} is not FORMAT:FILE (for example sarif:ldkit.sarif)", param, ctx)
        if fmt not in FORMATS:
            self.fail(
                f"{fmt!r} is not a report format; choose from {', '.join(FORMATS)}", param, ctx
            )
        if path == "-":
            self.fail("a --report goes to a file; the terminal output is --format", param, ctx)
        return fmt, path


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
    help="Write the report to FILE instead of stdout (a summary line goes to stderr).",
)
@click.option(
    "--report",
    "reports",
    type=ReportSpec(),
    multiple=True,
    help=f"Also write the report as FORMAT to FILE; repeatable. FORMAT: {', '.join(FORMATS)}.",
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
@color_option
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
    from ldkit.config import ConfigError, resolve
    from ldkit.integration import InputError
    from ldkit.report import baseline as baselines
    from ldkit.report import default_format, get_reporter
    from ldkit.report.output import emit
    from ldkit.report.terminal import color_enabled
    from ldkit.report.text import render as render_text
    from ldkit.report.text import summary_line
    from ldkit.rules import get_rule
    from ldkit.schema.judge import SchemaChoice, load_folder
    from ldkit.schema.load import SchemaLoadError

    to_stdout = output is None or output == "-"
    targets = [path for _, path in reports] + ([] if to_stdout else [output])
    repeated = sorted({path for path in targets if targets.count(path) > 1})
    if repeated:
        raise click.UsageError(f"{', '.join(repeated)}: more than one report would write it")
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
        report = settings.apply(validate_paths(paths, schemas))
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
    for note in schemas.notes():
        click.echo(note, err=True)
    if settings.strict:
        report = report.strict()
    main_format = fmt or default_format()
    if main_format == "text" and to_stdout:
        # Without colour, click also strips escape sequences a manifest value
        # may carry, as it always did for pipes.
        colour = color_enabled(color, sys.stdout)
        click.echo(render_text(report, get_rule, color=colour), nl=False, color=colour)
    else:
        emit(get_reporter(main_format)(report, get_rule), output)
    for report_format, path in reports:
        emit(get_reporter(report_format)(report, get_rule), path)
    if not to_stdout:
        colour = color_enabled(color, sys.stderr)
        summary = summary_line(report, color=colour)
        click.echo(f"ldkit: {summary} (report in {output})", err=True, color=colour)
    raise SystemExit(report.exit_code())
