"""`ldkit doctor FLAG --project P --env E`: why did the flag (not) flip?"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ldkit.doctor.rest import DEFAULT_API

TOKEN_VARIABLE = "LD_API_KEY"


@click.command("doctor")
@click.argument("flag")
@click.option("--project", required=True, help="Project key.")
@click.option("--env", "environment", required=True, help="Environment key.")
@click.option(
    "--api",
    default=DEFAULT_API,
    show_default=True,
    metavar="URL",
    help="LaunchDarkly's base URL (or an `ldkit serve` address).",
)
@click.option(
    "--integration",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="The integration whose manifest replays every call (default: "
    "./integrations/<integration key> of each trigger).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def command(
    flag: str, project: str, environment: str, api: str, integration: Path | None, fmt: str
) -> None:
    """Explain, call by call, what a flag's triggers did and why.

    Reads the flag's triggers (count, enabled, recent bodies) and its change
    history through LaunchDarkly's REST API with the token in LD_API_KEY,
    replays every recent body through the trigger core, and prints each call's
    event name, whether it was a test event, its outcome (applied, no-change,
    test-event, disabled, unknown) and the fix when the payload or the test
    pattern is the cause.
    """
    from ldkit.doctor.explain import diagnose
    from ldkit.doctor.gather import gather, manifest_lookup
    from ldkit.doctor.rest import ApiProblem, RestReader, check_base, hide_token
    from ldkit.report.encode import echo, printable

    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        echo(
            f"ldkit doctor: {TOKEN_VARIABLE} is not set: export a LaunchDarkly API access "
            "token (a Reader token is enough)",
            err=True,
        )
        raise SystemExit(2)
    if not (token.isascii() and token.isprintable()):
        # An API token is printable ASCII; anything else would go into a
        # header (or an error message) in a form hide_token cannot recognise.
        echo(
            f"ldkit doctor: {TOKEN_VARIABLE} holds characters no API access token has "
            "(control characters or non-ASCII); export the token alone",
            err=True,
        )
        raise SystemExit(2)
    try:
        reader = RestReader(check_base(api), token)
        found = gather(reader, project, flag, environment)
    except ApiProblem as exc:
        message = hide_token(str(exc), token)
        echo(f"ldkit doctor: {printable(message)}", err=True)
        raise SystemExit(2) from None
    diagnosis = diagnose(
        project=project,
        flag=flag,
        environment=environment,
        flag_on=found.flag_on,
        triggers=found.triggers,
        entries=found.entries,
        history_complete=found.history_complete,
        manifests=manifest_lookup(integration, Path(".")),
    )
    # The API's answers are echoed (kept bodies, ids, titles): a server that
    # sends the token back must not make doctor print it.
    if fmt == "json":
        echo(hide_token(json.dumps(diagnosis.to_dict(), indent=2, ensure_ascii=False), token))
    else:
        from ldkit.doctor.text import render

        echo(hide_token(render(diagnosis), token), nl=False)
    raise SystemExit(0)
