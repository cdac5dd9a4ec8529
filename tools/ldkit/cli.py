"""The `ldkit` command line.

Subcommands live in `ldkit.commands.<name>` and are imported only when run:
`ldkit --help` and the pre-commit hook should not pay for jsonschema, Jinja2 or
the rule catalogue they do not use.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from ldkit import __version__

# name -> (module, one-line help). The help text is duplicated here on purpose so
# that listing the commands never imports them.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("ldkit.commands.validate", "Validate integration manifests."),
    "rules": ("ldkit.commands.rules", "List the rules, or explain one."),
    "trigger": ("ldkit.commands.trigger", "Run one webhook body through a trigger, offline."),
    "replay": ("ldkit.commands.replay", "Replay stored trigger cases against expected results."),
    "render": ("ldkit.commands.render", "Render a Dynatrace custom payload for a problem."),
    "new": ("ldkit.commands.new", "Scaffold a new integration."),
    "serve": ("ldkit.commands.serve", "Run a local flag-trigger endpoint with a live page."),
    "doctor": ("ldkit.commands.doctor", "Explain why a flag's triggers flipped it, or did not."),
    "format": ("ldkit.commands.format", "Format JSON files as LaunchDarkly's CI wants."),
    "preview": ("ldkit.commands.preview", "Show the request an integration sends or receives."),
    "dynatrace": ("ldkit.commands.dynatrace", "Check or export the webhook of a flag trigger."),
    "schema": ("ldkit.commands.schema", "Print the manifest schema as one file, for editors."),
    "lsp": ("ldkit.commands.lsp", "Run the language server for editors (stdio)."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[name][0])
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_) for name, (_, help_) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ldkit")
def cli() -> None:
    """Validate LaunchDarkly integration manifests, exercise trigger
    capabilities and render Dynatrace payloads.

    Shell completion: add `eval "$(_LDKIT_COMPLETE=bash_source ldkit)"` to
    ~/.bashrc (zsh_source for ~/.zshrc, fish_source for fish).
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point. Returns (and exits with) the command's exit code.

    Unexpected exceptions are reported in one line; set LDKIT_DEBUG=1 for the
    traceback. Bad input must never surface as a traceback.
    """
    try:
        cli.main(args=argv, prog_name="ldkit", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if argv is not None:
            return code
        raise
    except OSError as exc:
        # A path the user named that the system refuses (too long, a loop of
        # links, a permission): a usage error in one line, not a crash.
        from ldkit.report.encode import printable

        name = printable(str(exc.filename)) if exc.filename is not None else ""
        if len(name) > 120:
            name = name[:60] + "…" + name[-40:]
        reason = exc.strerror or type(exc).__name__
        click.echo(f"ldkit: {name}: {reason}" if name else f"ldkit: {reason}", err=True)
        if argv is not None:
            return 2
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - last line of defence
        if os.environ.get("LDKIT_DEBUG"):
            raise
        click.echo(f"ldkit: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("ldkit: please report this; set LDKIT_DEBUG=1 to see the traceback", err=True)
        if argv is not None:
            return 2
        sys.exit(2)
    return 0
