"""Compiler-style output: `path:line:col: LD123 error: message`, then the line
with a caret under the column, which is what editors and terminals link to."""

from __future__ import annotations

from ldkit.report.findings import Report

_EXCERPT_WIDTH = 120


def _excerpt(source: str, line: int, column: int) -> list[str]:
    lines = source.split("\n")
    if not 0 < line <= len(lines):
        return []
    text = lines[line - 1].rstrip("\r")
    start = 0
    if len(text) > _EXCERPT_WIDTH:
        start = max(0, min(column - 1 - _EXCERPT_WIDTH // 2, len(text) - _EXCERPT_WIDTH))
        text = text[start : start + _EXCERPT_WIDTH]
    caret_at = max(0, column - 1 - start)
    # Keep tabs so the caret lines up under the same characters.
    pad = "".join("\t" if ch == "\t" else " " for ch in text[:caret_at])
    return [f"    {text}", f"    {pad}^"]


def render(report: Report) -> str:
    out: list[str] = []
    for result in report.files:
        for f in sorted(result.findings):
            out.append(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.severity}: {f.message}")
            if result.source is not None:
                out.extend(_excerpt(result.source, f.line, f.column))
    s = report.summary()
    files = "file" if s["files"] == 1 else "files"
    errors = "error" if s["errors"] == 1 else "errors"
    warnings = "warning" if s["warnings"] == 1 else "warnings"
    out.append(f"{s['files']} {files} checked: {s['errors']} {errors}, {s['warnings']} {warnings}")
    return "\n".join(out) + "\n"
