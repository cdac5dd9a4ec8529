"""`ldkit serve`: a local LaunchDarkly flag-trigger endpoint (the `serve` extra)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ldkit.serve.specs import SpecError, parse_spec

EXTRA_HINT = "ldkit serve needs the serve extra: pip install 'ld-integration-kit[serve]'"


def _spec(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]):
    try:
        return tuple(parse_spec(value) for value in values)
    except SpecError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@click.command("serve")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The folder holding integrations/.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The SQLite database (default: ROOT/.ldkit/serve.db).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port (0: any free port; the `listening` line says which).",
)
@click.option(
    "--token",
    envvar="LDKIT_SERVE_TOKEN",
    default=None,
    help="Management API token (also LDKIT_SERVE_TOKEN). Default: generated once and "
    "stored in DB.token. Required with a non-loopback --host.",
)
@click.option(
    "--trigger",
    "triggers",
    multiple=True,
    metavar="SPEC",
    callback=_spec,
    help="Create a trigger at start and print its URL as a JSON line, e.g. "
    "integration=dynatrace,flag=checkout,environment=production,action=turnFlagOff,state=on. "
    "Repeatable.",
)
@click.option(
    "--public-url",
    default=None,
    metavar="URL",
    help="Base of the trigger URLs handed out, e.g. a tunnel's https address.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another host name clients may use (a tunnel's or a DNS name). Requests "
    "naming any other host are refused (421). Repeatable.",
)
@click.option(
    "--header-timeout",
    type=click.FloatRange(0.1, 600),
    default=10.0,
    show_default=True,
    help="Seconds a client has to send a request's headers.",
)
@click.option(
    "--body-timeout",
    type=click.FloatRange(0.1, 600),
    default=30.0,
    show_default=True,
    help="Seconds a client has to send a request's body.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 100_000),
    default=256,
    show_default=True,
    help="Connections open at once; more are closed at once.",
)
@click.option("--quiet", is_flag=True, help="No per-call log lines on stderr.")
def command(
    root: Path,
    db: Path | None,
    host: str,
    port: int,
    token: str | None,
    triggers: tuple,
    public_url: str | None,
    allow_hosts: tuple[str, ...],
    header_timeout: float,
    body_timeout: float,
    max_connections: int,
    quiet: bool,
) -> None:
    """Run a local LaunchDarkly flag-trigger endpoint with a live page.

    Webhook calls go through the same trigger core as `ldkit trigger`; flags,
    triggers, counts and the change history persist in SQLite. Prints one JSON
    line per --trigger (its full URL) and then {"listening": URL, ...}.
    """
    from ldkit.serve.security import is_loopback

    if not is_loopback(host) and not token:
        raise click.UsageError(
            f"--host {host} is reachable from other machines: choose a --token "
            "(or LDKIT_SERVE_TOKEN) first"
        )
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise click.UsageError("--public-url must start with http:// or https://")
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise click.UsageError(EXTRA_HINT) from None
    from ldkit.report.encode import printable
    from ldkit.serve.protocol import Limits
    from ldkit.serve.server import ServeConfig, StartupError, serve

    config = ServeConfig(
        root=root,
        db=db if db is not None else root / ".ldkit" / "serve.db",
        host=host,
        port=port,
        token=token,
        public_url=public_url,
        triggers=triggers,
        quiet=quiet,
        allow_hosts=allow_hosts,
        limits=Limits(
            header_seconds=header_timeout,
            body_seconds=body_timeout,
            max_connections=max_connections,
        ),
    )

    def emit(document: dict) -> None:
        sys.stdout.write(json.dumps(document) + "\n")
        sys.stdout.flush()

    try:
        serve(config, emit)
    except StartupError as exc:
        click.echo(printable(f"ldkit serve: {exc}"), err=True)
        raise SystemExit(2) from None
    raise SystemExit(0)
