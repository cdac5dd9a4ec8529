"""`ldkit replay [INTEGRATION_DIR ...]`: run stored trigger cases."""

from __future__ import annotations

import click


@click.command("replay")
@click.argument("dirs", nargs=-1, metavar="[INTEGRATION_DIR]...", type=click.Path())
@click.option(
    "--update",
    is_flag=True,
    help="Rewrite each expected file with the current result (read the changes before "
    "committing them).",
)
def command(dirs: tuple[str, ...], update: bool) -> None:
    """Replay every stored trigger case and compare with its expected result.

    Cases live in INTEGRATION_DIR/replays/*.case.json, each with a
    <name>.expected.json beside it. Without INTEGRATION_DIR, every
    ./integrations/* folder. A difference prints a unified diff and exits 1.
    """
    from pathlib import Path

    from ldkit.replay.runner import ReplaySummary, run_integration

    folders = _folders(dirs)
    summary = ReplaySummary()
    for folder in folders:
        summary.outcomes.extend(run_integration(folder, update=update))
    from ldkit.report.encode import echo, printable

    for outcome in summary.outcomes:
        if outcome.status == "passed":
            continue
        label = {"failed": "FAIL", "error": "BROKEN", "updated": "UPDATED"}[outcome.status]
        echo(printable(f"{label} {outcome.message}"))
        if outcome.diff:
            echo(printable(outcome.diff, keep_newlines=True), nl=False)
    if not summary.outcomes:
        where = ", ".join(str(Path(f)) for f in folders)
        echo(printable(f"no replay cases found (looked in replays/ of: {where})"))
    else:
        echo(summary.line())
    raise SystemExit(0 if summary.ok else 1)


def _folders(dirs: tuple[str, ...]) -> list:
    from pathlib import Path

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
