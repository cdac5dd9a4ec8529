"""The one line/column index: text offsets to 1-based (line, column) and back.

Every position ldkit reports (a finding in a manifest, an error in a template,
a place in a webhook body or a rendered Dynatrace payload) is computed here. A
line ends after each `\\n`; columns count characters (code points) from 1.
"""

from __future__ import annotations

import bisect
import re

_NEWLINE = re.compile("\n")


class LineIndex:
    """The start offset of every line of one text, for repeated look-ups."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of the character at `offset`."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of (line, column); a line past the end counts as the last."""
        return self._starts[min(line, len(self._starts)) - 1] + column - 1


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of one offset, for a single look-up."""
    return LineIndex(text).position(offset)
