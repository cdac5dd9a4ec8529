"""Whether output may carry colour, decided once per run.

Colour is for people at a terminal: it is on when the stream is a terminal and
off in files and pipes, unless `--color`/`--no-color` says otherwise. `NO_COLOR`
(https://no-color.org: set and not empty) turns the automatic choice off; an
explicit `--color` still wins, as that convention asks. Report files written with
`--output` or `--report` never get colour: they are read by tools.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

import click

COLOR_OPTION_HELP = (
    "Colour the terminal output (default: only on a terminal, and not when NO_COLOR is set)."
)


def color_enabled(choice: bool | None, stream: TextIO) -> bool:
    """`choice` is the `--color/--no-color` flag (None when neither was given)."""
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


F = TypeVar("F", bound=Callable[..., Any])


def color_option(function: F) -> F:
    """The `--color/--no-color` option, the same on every command that has it."""
    option = click.option("--color/--no-color", "color", default=None, help=COLOR_OPTION_HELP)
    return option(function)
