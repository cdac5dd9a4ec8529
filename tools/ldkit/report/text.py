"""Compiler-style output: `path:line:col: LD123 error: message`, then the line
with a caret under the column, which is what editors and terminals link to.

Everything printed goes through `printable`: a manifest's control characters
(an ANSI escape in a value, a bidirectional override) are shown as escapes,
never sent to the terminal. The source is split into lines once per file.
"""

from __future__ import annotations

from ldkit.report.encode import printable
from ldkit.report.findings import Finding, Report, sort_key
from ldkit.report.rule import RuleLookup

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


def finding_line(f: Finding) -> str:
    """`path:line:col: LD123 severity: message`, the one-line form of a finding
    (control characters in it shown as escapes)."""
    return printable(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.severity}: {f.message}")


def render(report: Report, rules: RuleLookup) -> str:
    out: list[str] = []
    for result in report.files:
        lines = result.source.split("\n") if result.source is not None else None
        for f in sorted(result.findings, key=sort_key):
            out.append(finding_line(f))
            if lines is not None:
                out.extend(_excerpt(lines, f.line, f.column))
    s = report.summary()
    files = "file" if s["files"] == 1 else "files"
    errors = "error" if s["errors"] == 1 else "errors"
    warnings = "warning" if s["warnings"] == 1 else "warnings"
    out.append(f"{s['files']} {files} checked: {s['errors']} {errors}, {s['warnings']} {warnings}")
    return "\n".join(out) + "\n"
