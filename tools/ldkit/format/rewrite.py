"""Formatting one file on disk: read, format, compare, and write only on change.

A file is read as bytes and decoded as UTF-8; one that cannot be decoded or is
not JSON is never written, and what is wrong with it comes back as findings
from the same loader `ldkit validate` uses, so both commands word and position
the problem identically. A changed file is written atomically (a temporary
file in the same folder, then `os.replace`) with its permissions kept; an
unchanged one is not touched, so its modification time stays.

Unlike prettier, which keeps a byte order mark, `ldkit format` removes it:
LaunchDarkly's check-json hook rejects it (LD003), and `ldkit format` fixes
every formatting finding `ldkit validate` reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.format import BOM, JsonSyntaxError, format_json

if TYPE_CHECKING:
    from ldkit.core.findings import Finding
    from ldkit.fs import Root


class FileResult:
    """What formatting did (or would do) to one file.

    A plain class: the loader and the findings model (and `dataclasses`) are
    imported only when a file turns out not to be JSON, which keeps
    `ldkit format --check` quick to start.
    """

    __slots__ = ("path", "original", "formatted", "findings")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = ""
        self.formatted = ""
        self.findings: list[Finding] = []

    @property
    def changed(self) -> bool:
        return not self.findings and self.original != self.formatted


def _problems(data: bytes, display: str, error: JsonSyntaxError | None) -> list[Finding]:
    from ldkit.core.findings import Finding, Severity
    from ldkit.load.jsonpos import load_bytes
    from ldkit.load.lines import position
    from ldkit.load.rules import ByteOrderMark, JsonSyntax

    loaded = load_bytes(data, display)
    findings = [
        f for f in loaded.findings if f.severity is Severity.ERROR and f.rule != ByteOrderMark.id
    ]
    if findings or error is None:
        return findings
    line, column = position(loaded.document.text, error.offset)
    return [Finding(display, line, column, JsonSyntax.id, Severity.ERROR, error.message)]


def format_file(path: Path, display: str, root: Root) -> FileResult:
    """Format `path` in memory (`display` is the path shown in findings).
    `root` as in `ldkit.fs`; FileRefused when the file cannot be read."""
    from ldkit.fs import read_bytes

    result = FileResult(path)
    data = read_bytes(path, root=root)
    try:
        result.original = data.decode("utf-8")
    except UnicodeDecodeError:
        result.findings = _problems(data, display, None)
        return result
    try:
        result.formatted = format_json(result.original.removeprefix(BOM), path.name)
    except JsonSyntaxError as error:
        result.findings = _problems(data, display, error)
    return result


def write_formatted(path: Path, text: str, root: Root) -> None:
    """Replace `path`'s content with `text` (UTF-8) through the one door
    (`ldkit.fs`: atomic, fsync'd, mode kept); WriteRefused when it cannot."""
    from ldkit.fs import write_text

    write_text(path, text, root=root)
