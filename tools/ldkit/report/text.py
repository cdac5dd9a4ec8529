"""Compiler-style output: `path:line:col: LD123 error: message`, then the line
with a caret under the column, which is what editors and terminals link to.

Everything printed goes through `printable`: a manifest's control characters
(an ANSI escape in a value, a bidirectional override) are shown as escapes,
never sent to the terminal. The source is split into lines once per file.
"""

from __future__ import annotations

import click

from ldkit.core.findings import Finding, Report, Severity, sort_key
from ldkit.core.rule import RuleLookup
from ldkit.report.encode import printable

_EXCERPT_WIDTH = 120


def _excerpt(lines: list[str], line: int, column: int) -> list[str]:
    if not 0 < line <= len(lines):
        return []
    text = lines[line - 1].rstrip("\r")
    start = 0
    if len(text) > _EXCERPT_WIDTH:
        start = max(0, min(column - 1 - _EXCERPT_WIDTH // 2, len(text) - _EXCERPT_WIDTH))
        text = text[start : start + _EXCERPT_WIDTH]
    caret_at = max(0, column - 1 - start)
    # Keep tabs so the caret lines up under the same characters; an escaped
    # control character takes the width of its escape.
    pad = "".join("\t" if ch == "\t" else " " for ch in _shown(text[:caret_at]))
    return [f"    {_shown(text)}", f"    {pad}^"]


def _shown(text: str) -> str:
    """`printable`, but a tab stays a tab (it lines the caret up)."""
    return "\t".join(printable(part) for part in text.split("\t"))


_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _paint(text: str, color: bool, **style: object) -> str:
    return click.style(text, **style) if color else text  # type: ignore[arg-type]


def summary_line(report: Report, *, color: bool = False) -> str:
    """`3 files checked: 1 error, 0 warnings`: the last line of every human report."""
    s = report.summary()
    errors = _count(s["errors"], "error")
    warnings = _count(s["warnings"], "warning")
    if s["errors"]:
        errors = _paint(errors, color, fg="red", bold=True)
    if s["warnings"]:
        warnings = _paint(warnings, color, fg="yellow", bold=True)
    return f"{_count(s['files'], 'file')} checked: {errors}, {warnings}"


def finding_line(f: Finding, *, color: bool = False) -> str:
    """`path:line:col: LD123 severity: message`, the one-line form of a finding
    (control characters from the path or message shown as escapes)."""
    where = _paint(printable(f"{f.path}:{f.line}:{f.column}:"), color, bold=True)
    severity = _paint(str(f.severity), color, fg=_SEVERITY_COLOUR[f.severity], bold=True)
    return f"{where} {printable(f.rule)} {severity}: {printable(f.message)}"


def render(report: Report, rules: RuleLookup, *, color: bool = False) -> str:
    """The report as text; `color` adds terminal colours (never for files or pipes)."""
    out: list[str] = []
    for result in report.files:
        split_lines: dict[str, list[str] | None] = {}
        for f in sorted(result.findings, key=sort_key):
            out.append(finding_line(f, color=color))
            lines = split_lines.get(f.path)
            if lines is None and f.path not in split_lines:
                source = result.source_of(f.path)
                lines = split_lines[f.path] = source.split("\n") if source is not None else None
            if lines is not None:
                excerpt = _excerpt(lines, f.line, f.column)
                if excerpt and color:
                    excerpt[-1] = click.style(excerpt[-1], fg="green", bold=True)
                out.extend(excerpt)
    out.append(summary_line(report, color=color))
    return "\n".join(out) + "\n"
