"""GitHub Actions workflow commands: one `::error`/`::warning` line per finding.

GitHub turns each line into an annotation on the pull request's diff, at the file,
line and column given. The runner parses these lines itself, so every value is
escaped by its rules: data (the message) must not contain a raw `%`, CR or LF, and
properties (file, title) additionally not `:` or `,`, which separate properties.
Without that, a message quoting a manifest value could end the annotation early or
inject a second workflow command on a new line.
"""

from __future__ import annotations

from pathlib import Path

from ldkit.core.findings import Finding, Report, Severity, sort_key
from ldkit.core.rule import RuleLookup
from ldkit.report.encode import printable
from ldkit.report.text import summary_line

_DATA = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def escape_data(text: str) -> str:
    return printable(text.translate(_DATA))


def escape_property(text: str) -> str:
    return printable(text.translate(_PROPERTY))


def workspace_path(path: str) -> str:
    """Annotations only attach to paths relative to the checkout (the working
    directory of a run step), written with forward slashes."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_posix()
    text = candidate.as_posix()
    return text[2:] if text.startswith("./") else text


def command(finding: Finding) -> str:
    kind = "error" if finding.severity is Severity.ERROR else "warning"
    message = finding.message
    if finding.pointer:
        message = f"{message} (at {finding.pointer})"
    properties = ",".join(
        f"{name}={escape_property(value)}"
        for name, value in (
            ("file", workspace_path(finding.path)),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", finding.rule),
        )
    )
    return f"::{kind} {properties}::{escape_data(message)}"


def render(report: Report, rules: RuleLookup) -> str:
    lines = [command(f) for result in report.files for f in sorted(result.findings, key=sort_key)]
    # A plain line (not a command) so the step log ends with the totals.
    lines.append("ldkit: " + summary_line(report))
    return "\n".join(lines) + "\n"


__all__ = [
    "command",
    "escape_data",
    "escape_property",
    "render",
    "summary_line",
    "workspace_path",
]
