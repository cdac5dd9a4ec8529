"""`ldkit format [PATH ...]`: rewrite JSON files the way LaunchDarkly's prettier check wants."""

from __future__ import annotations

import click

from ldkit.report.encode import echo, printable


@click.command("format")
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path())
@click.option(
    "--check", is_flag=True, help="Write nothing; list the files that would change, exit 1 if any."
)
@click.option(
    "--diff", is_flag=True, help="Write nothing; print a diff of each file that would change."
)
@click.option(
    "--exit-non-zero-on-format",
    is_flag=True,
    help="Exit 1 when a file was rewritten (what a pre-commit hook wants).",
)
def command(paths: tuple[str, ...], check: bool, diff: bool, exit_non_zero_on_format: bool) -> None:
    """Format JSON files exactly as prettier 2.2.1 does with LaunchDarkly's settings.

    PATH is a file or a folder (every *.json file below it); without PATH,
    ./integrations (or the current folder when there is none). Files that
    ./.prettierignore names are skipped (without that file, LaunchDarkly's
    manifest.schema.json and tsconfig.json). Changed files are rewritten in
    place; already formatted files are not touched. A file that is not JSON is
    left alone and reported with its position (exit 1).
    """
    from pathlib import Path

    from ldkit.format.files import json_files, root_of
    from ldkit.format.rewrite import format_file, write_formatted
    from ldkit.fs import FileRefused, WriteRefused

    targets = [Path(p) for p in paths] or [
        Path("integrations") if Path("integrations").is_dir() else Path(".")
    ]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    files = json_files(targets, Path.cwd())
    write = not (check or diff)
    changed = unchanged = broken = 0
    for path in files:
        # A file name from a pull request may hold a newline (a forged CI
        # annotation) or terminal escapes: shown escaped, like everything printed.
        display = printable(path.as_posix())
        root = root_of(path, targets)
        try:
            result = format_file(path, display, root)
        except FileRefused as refused:
            raise click.UsageError(f"cannot read {display}: {refused.detail}") from None
        if result.findings:
            broken += 1
            for finding in result.findings:
                echo(
                    printable(
                        f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} "
                        f"{finding.severity.value}: {finding.message} (left unformatted)"
                    )
                )
            continue
        if not result.changed:
            unchanged += 1
            continue
        changed += 1
        if diff:
            echo(_diff(result.original, result.formatted, display), nl=False)
        elif check:
            click.echo(display)
        else:
            try:
                write_formatted(path, result.formatted, root)
            except WriteRefused as refused:
                raise click.UsageError(f"cannot write {display}: {refused.detail}") from None
            click.echo(f"formatted {display}")
    verb = "reformatted" if write else "would be reformatted"
    summary = f"{_count(changed)} {verb}, {_count(unchanged)} already formatted"
    if broken:
        summary += f", {_count(broken)} not JSON (left alone)"
    click.echo(summary, err=True)
    failed = broken > 0 or (changed > 0 and (not write or exit_non_zero_on_format))
    raise SystemExit(1 if failed else 0)


def _count(number: int) -> str:
    return f"{number} file{'' if number == 1 else 's'}"


def _diff(before: str, after: str, display: str) -> str:
    """A unified diff that marks a missing final newline as `diff` does."""
    import difflib

    lines = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{display}",
        tofile=f"b/{display}",
    ):
        # Every line escaped (a bidi override or escape sequence in a string
        # must not reach the terminal); the newline that ends it kept.
        text = printable(line.removesuffix("\n"))
        lines.append(
            text + "\n" if line.endswith("\n") else text + "\n\\ No newline at end of file\n"
        )
    return "".join(lines)
