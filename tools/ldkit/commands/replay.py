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

    if not dirs:
        root = Path("integrations")
        if not root.is_dir():
            raise click.UsageError(
                "no INTEGRATION_DIR given and no ./integrations folder here; "
                "pass one or more integration folders"
            )
        from ldkit.integration import integration_folders

        return [p for p in integration_folders(root) if (p / "manifest.json").is_file()]
    folders = []
    for raw in dirs:
        path = Path(raw)
        if path.is_file() and path.name == "manifest.json":
            path = path.parent
        if not path.is_dir():
            raise click.UsageError(f"{raw}: no such integration folder")
        if not (path / "manifest.json").is_file():
            raise click.UsageError(f"{raw}: no manifest.json in this folder")
        folders.append(path)
    return folders
