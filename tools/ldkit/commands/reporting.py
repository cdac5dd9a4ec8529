"""The report options every checking command shares, and the one way a report
reaches its readers.

`ldkit validate` and `ldkit dynatrace check` both end in a `Report`: one run
serves every consumer. The terminal (or `--output FILE`) gets the main format,
each `--report FORMAT:FILE` writes one more format from the same findings (so
CI needs a single step for annotations, SARIF and JUnit), and a report written
to a file leaves one summary line on stderr. Declaring the options and the
delivery here keeps the two commands from drifting apart.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ldkit.core.findings import Report
from ldkit.report import FORMATS
from ldkit.report.terminal import color_option

F = TypeVar("F", bound=Callable[..., Any])


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


def report_options(function: F) -> F:
    """`--format`, `--strict`, `--output/-o`, `--report FORMAT:FILE` and
    `--color/--no-color`, passed as `fmt`, `strict`, `output`, `reports`, `color`."""
    for option in reversed(
        (
            click.option(
                "--format",
                "fmt",
                type=click.Choice(list(FORMATS)),
                default=None,
                help="Output format (default: text; github under GitHub Actions).",
            ),
            click.option("--strict", is_flag=True, help="Treat warnings as errors."),
            click.option(
                "--output",
                "-o",
                type=click.Path(dir_okay=False),
                default=None,
                help="Write the report to FILE instead of stdout (a summary line goes to stderr).",
            ),
            click.option(
                "--report",
                "reports",
                type=ReportSpec(),
                multiple=True,
                help="Also write the report as FORMAT to FILE; repeatable. "
                f"FORMAT: {', '.join(FORMATS)}.",
            ),
            color_option,
        )
    ):
        function = option(function)
    return function


def check_targets(output: str | None, reports: tuple[tuple[str, str], ...]) -> None:
    """Refuse, before any work, two reports that would write one file."""
    targets = [path for _, path in reports] + ([] if _to_stdout(output) else [str(output)])
    repeated = sorted({path for path in targets if targets.count(path) > 1})
    if repeated:
        raise click.UsageError(f"{', '.join(repeated)}: more than one report would write it")


def deliver(
    report: Report,
    *,
    fmt: str | None,
    output: str | None,
    reports: tuple[tuple[str, str], ...],
    color: bool | None,
) -> None:
    """Write the main report and every `--report`, then exit with the report's code."""
    from ldkit.catalogue import get_rule
    from ldkit.report import default_format, get_reporter
    from ldkit.report.output import emit
    from ldkit.report.terminal import color_enabled
    from ldkit.report.text import render as render_text
    from ldkit.report.text import summary_line

    main_format = fmt or default_format()
    if main_format == "text" and _to_stdout(output):
        # Without colour, click also strips escape sequences a checked file may
        # carry, as it always did for pipes.
        colour = color_enabled(color, sys.stdout)
        click.echo(render_text(report, get_rule, color=colour), nl=False, color=colour)
    else:
        emit(get_reporter(main_format)(report, get_rule), output)
    for report_format, path in reports:
        emit(get_reporter(report_format)(report, get_rule), path)
    if not _to_stdout(output):
        colour = color_enabled(color, sys.stderr)
        summary = summary_line(report, color=colour)
        click.echo(f"ldkit: {summary} (report in {output})", err=True, color=colour)
    raise SystemExit(report.exit_code())


def _to_stdout(output: str | None) -> bool:
    return output is None or output == "-"
