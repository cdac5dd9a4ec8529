"""The one result model that every command produces and every reporter reads.

Keeping a single shape (rule, severity, message, pointer, line, column, path)
is what lets the text, JSON, GitHub, JUnit and SARIF outputs agree with each
other: a reporter only ever formats, it never re-derives anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from operator import attrgetter


class Severity(str, Enum):
    """`error` means LaunchDarkly rejects it or it cannot work; `warning` means it
    works but is likely a mistake (see docs/findings.md)."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Finding:
    """One positioned problem. `line` and `column` are 1-based and point at the
    offending value (or at the key, for keys that should not be there)."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    pointer: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
            "path": self.path,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Finding:
        """The inverse of `to_dict` (trigger results carry their warnings as dicts)."""
        return cls(
            path=str(data["path"]),
            line=int(data["line"]),  # type: ignore[call-overload]
            column=int(data["column"]),  # type: ignore[call-overload]
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            pointer=str(data.get("pointer", "")),
        )

    def escalated(self) -> Finding:
        """The same finding at error severity, for `--strict`."""
        return replace(self, severity=Severity.ERROR)


#: The order findings are reported in (the dataclass order), as a key: sorting
#: 100,000 findings by key is many times faster than by pairwise comparison.
sort_key = attrgetter("path", "line", "column", "rule", "severity", "message", "pointer")


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """The findings without duplicates, in report order."""
    return sorted(set(findings), key=sort_key)


@dataclass
class FileResult:
    """Findings from checking one input file. `source` keeps the decoded text so
    that the text reporter can quote the offending line without reading the file
    again.

    A finding may live in another file the input uses (a manifest's template, a
    replay case's payload template): its own `path` says which, and `sources`
    carries that file's text for the excerpt."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    source: str | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def source_of(self, path: str) -> str | None:
        """The text of `path`, when this result carries it."""
        if path == self.path:
            return self.source
        return self.sources.get(path)


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)

    def all_findings(self) -> Iterable[Finding]:
        for result in self.files:
            yield from result.findings

    @property
    def errors(self) -> int:
        return sum(1 for f in self.all_findings() if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.all_findings() if f.severity is Severity.WARNING)

    def summary(self) -> dict[str, int]:
        return {"files": len(self.files), "errors": self.errors, "warnings": self.warnings}

    def strict(self) -> Report:
        """Warnings become errors; used by `--strict`."""
        return Report(
            [
                FileResult(r.path, [f.escalated() for f in r.findings], r.source, r.sources)
                for r in self.files
            ]
        )

    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def by_file(self) -> list[FileFindings]:
        """The findings grouped by the file they are in (the file to edit), each
        file with the checked files that drew them: a template's finding is
        listed under the template, checked for its manifest. Every checked file
        is listed, in the order checked, a file without findings too; a file
        that only other files' checks reached follows the first one that did."""
        groups: dict[str, FileFindings] = {}

        def group_of(path: str, checked: str) -> FileFindings:
            group = groups.setdefault(path, FileFindings(path))
            if checked not in group.checked_for:
                group.checked_for.append(checked)
            return group

        for result in self.files:
            group_of(result.path, result.path)
            for finding in result.findings:
                group_of(finding.path, result.path).findings.append(finding)
        for group in groups.values():
            group.findings.sort(key=sort_key)
        return list(groups.values())


@dataclass
class FileFindings:
    """The findings in one file, and the checked files whose checks found them."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    checked_for: list[str] = field(default_factory=list)
