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
@color_option
def command(
    paths: tuple[str, ...],
    fmt: str | None,
    strict: bool,
    output: str | None,
    reports: tuple[tuple[str, str], ...],
    color: bool | None,
) -> None:
    """Validate integration manifests.

    PATH is a manifest.json, an integration folder, a folder of integration
    folders (such as integrations/), or a repository folder holding
    integrations/. Without PATH, the current folder (such as a repository:
    every ./integrations/*/manifest.json).
    """
    from ldkit.checks import validate_paths
    from ldkit.integration import InputError
    from ldkit.report import default_format, get_reporter
    from ldkit.report.output import emit
    from ldkit.report.terminal import color_enabled
    from ldkit.report.text import render as render_text
    from ldkit.report.text import summary_line
    from ldkit.rules import get_rule

    to_stdout = output is None or output == "-"
    targets = [path for _, path in reports] + ([] if to_stdout else [output])
    repeated = sorted({path for path in targets if targets.count(path) > 1})
    if repeated:
        raise click.UsageError(f"{', '.join(repeated)}: more than one report would write it")
    try:
        report = validate_paths(paths)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    if strict:
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
