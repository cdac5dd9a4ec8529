"""`ldkit schema [-o FILE]`: the bundled manifest schema as one file, for editors."""

from __future__ import annotations

import click


@click.command("schema")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the schema to FILE (atomically) instead of stdout.",
)
def command(output: str | None) -> None:
    """Print the bundled manifest schema as one self-contained draft-07 document.

    Point your editor at it for integrations/*/manifest.json only (LaunchDarkly
    rejects a "$schema" key in the manifest itself); see docs/commands/schema.md.
    """
    from pathlib import Path

    from ldkit.report.output import emit
    from ldkit.schema.export import render, standalone_schema
    from ldkit.schema.judge import bundled_upstream

    upstream = bundled_upstream()
    text = render(standalone_schema(upstream.commit, upstream.repository))
    if output is not None and output != "-":
        from ldkit.fs import USER_NAMED, WriteRefused, make_folders

        try:
            make_folders(Path(output).parent, root=USER_NAMED)
        except WriteRefused as refused:
            raise click.UsageError(f"cannot write {output}: {refused.detail}") from None
    emit(text, output)
    if output is not None and output != "-":
        click.echo(f"wrote {output}", err=True)
