"""When output is coloured: on a terminal, unless NO_COLOR; the flags win."""

from __future__ import annotations

import io

import pytest

from ldkit.report.terminal import color_enabled


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "stream", "no_color", "expected"),
    [
        (None, Terminal(), None, True),
        (None, io.StringIO(), None, False),  # a pipe or a file
        (None, Terminal(), "1", False),
        (None, Terminal(), "", True),  # NO_COLOR counts only when not empty
        (True, io.StringIO(), "1", True),  # --color wins
        (False, Terminal(), None, False),  # --no-color wins
    ],
)
def test_color_enabled(monkeypatch, choice, stream, no_color, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert color_enabled(choice, stream) is expected
