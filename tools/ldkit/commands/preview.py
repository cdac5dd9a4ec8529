"""`ldkit preview KEY_OR_PATH`: the request an integration sends or receives, for reviewers."""

from __future__ import annotations

import click

from ldkit.fs import USER_NAMED


@click.command("preview")
@click.argument("target", metavar="KEY_OR_PATH")
@click.option("--curl", is_flag=True, help="Print a curl command instead (npm run curl).")
@click.option(
    "--trigger",
    "inbound_only",
    is_flag=True,
    help="Show the trigger side (requests LaunchDarkly receives) even when the integration "
    "also has an audit-log endpoint.",
)
@click.option(
    "--timestamp",
    type=click.IntRange(min=0),
    metavar="MILLIS",
    help="The sample event's time in milliseconds since 1970 (default: now).",
)
def command(target: str, curl: bool, inbound_only: bool, timestamp: int | None) -> None:
    """Print what `npm run preview` prints, byte for byte, without Node.js.

    KEY_OR_PATH is an integration key (the folder name under ./integrations),
    an integration folder or its manifest.json. For an audit-log integration:
    the URL, method, headers and body LaunchDarkly would send for its sample
    flag change (with --curl, a curl command). For a trigger integration:
    the trigger URL, a curl command posting a sample body, and the
    change-history entry it would produce (with --trigger when the integration
    has both). Exit 1 when a template does not render, 2 when the integration
    cannot be read.
    """
    from pathlib import Path

    from ldkit.load.jsonpos import load_path
    from ldkit.preview.outbound import (
        PreviewError,
        curl_text,
        note,
        outbound_request,
        plain_text,
    )
    from ldkit.preview.sample import now_millis

    path = Path(target)
    if not path.exists() and "/" not in target:
        path = Path("integrations") / target
    manifest_path = path / "manifest.json" if path.is_dir() else path
    if not manifest_path.is_file():
        raise click.UsageError(
            f'"{target}" is neither an integration folder, a manifest.json nor the key of '
            "a folder under ./integrations"
        )
    loaded = load_path(str(manifest_path), root=USER_NAMED)
    if not loaded.ok:
        problem = next(f for f in loaded.findings if f.severity.value == "error")
        raise click.UsageError(
            f"{manifest_path}:{problem.line}:{problem.column}: {problem.message}"
        )
    manifest = loaded.document.value
    folder = manifest_path.parent
    key = folder.resolve().name
    millis = now_millis() if timestamp is None else timestamp
    try:
        request = None if inbound_only else outbound_request(manifest, folder, millis)
    except PreviewError as error:
        click.echo(f"ldkit preview: {key}: {error}", err=True)
        raise SystemExit(1) from None
    if request is not None:
        click.echo(curl_text(request) if curl else plain_text(request), nl=False)
        message = note(request)
        if message:
            click.echo(f"ldkit preview: {message}", err=True)
        raise SystemExit(0)
    from ldkit.preview.inbound import inbound_preview

    inbound = inbound_preview(manifest, folder, millis, curl=curl)
    if inbound is not None:
        click.echo(inbound, nl=False)
        raise SystemExit(0)
    click.echo(f'The "{key}" integration does not make any outbound requests from LaunchDarkly.\n')
