"""`ldkit replay [INTEGRATION_DIR ...]`: run stored trigger cases."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("replay")
@click.argument("dirs", nargs=-1, metavar="[INTEGRATION_DIR]...", type=click.Path())
@click.option(
    "--update",
    is_flag=True,
    help="Rewrite each expected file with the current result (read the changes before "
    "committing them).",
)
@click.option(
    "--accept-outcome-change",
    is_flag=True,
    help="With --update, also rewrite cases whose call turns from a test event into a flag "
    "change or back (refused otherwise).",
)
def command(dirs: tuple[str, ...], update: bool, accept_outcome_change: bool) -> None:
    """Replay every stored trigger case and compare with its expected result.

    Cases live in INTEGRATION_DIR/replays/*.case.json, each with a
    <name>.expected.json beside it. Without INTEGRATION_DIR, every
    ./integrations/* folder. A difference prints a unified diff and exits 1.
    --update refuses to turn a case from a test event into a flag change (or
    back) unless --accept-outcome-change says so; those cases are listed and
    the exit code is 1.
    """
    from ldkit.replay.runner import ReplaySummary, run_integration
    from ldkit.replay.text import render_replay

    folders = _folders(dirs)
    summary = ReplaySummary()
    for folder in folders:
        summary.outcomes.extend(
            run_integration(folder, update=update, accept_outcome_change=accept_outcome_change)
        )
    from ldkit.report.encode import echo

    echo(render_replay(summary, folders), nl=False)
    raise SystemExit(0 if summary.ok else 1)


def _folders(dirs: tuple[str, ...]) -> list[Path]:
    from ldkit.integration import INTEGRATIONS, MANIFEST, integrations_in

    if not dirs:
        if not Path(INTEGRATIONS).is_dir():
            raise click.UsageError(
                "no INTEGRATION_DIR given and no ./integrations folder here; "
                "pass one or more integration folders"
            )
        return integrations_in(Path("."))
    folders = []
    for raw in dirs:
        path = Path(raw)
        if path.is_file() and path.name == MANIFEST:
            path = path.parent
        if not path.is_dir():
            raise click.UsageError(f"{raw}: no such integration folder")
        if not (path / MANIFEST).is_file():
            raise click.UsageError(f"{raw}: no {MANIFEST} in this folder")
        folders.append(path)
    return folders
