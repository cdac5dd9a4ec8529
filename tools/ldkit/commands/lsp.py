"""`ldkit lsp`: the language server for editors (the `lsp` extra)."""

from __future__ import annotations

import click

EXTRA_HINT = "ldkit lsp needs the lsp extra: pip install 'ld-integration-kit[lsp]'"


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Speak over stdin and stdout (the default and only transport; editors "
    "such as VS Code pass it).",
)
def command(stdio: bool) -> None:
    """Run the language server over stdin and stdout.

    An editor starts it (see docs/editors.md) and shows, as you type, the
    findings `ldkit validate` reports, with hover, completion, quick fixes and
    formatting. Run it in the repository's root, or let the editor pass the
    workspace folder.
    """
    try:
        from ldkit.lsp.server import serve
    except ImportError as exc:
        missing = exc.name or (str(exc.args[0]) if exc.args else "")
        if missing.split(".")[0] in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise click.UsageError(EXTRA_HINT) from None
        raise
    serve()
