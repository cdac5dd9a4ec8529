"""SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`)
and any other SARIF viewer.

One run; `tool.driver.rules` holds every rule that has a finding, with its title,
explanation and examples from the rule catalogue (so an alert explains itself),
and each result points at its rule by id and index. Locations are relative to the
working directory under the `%SRCROOT%` base id, which is how code scanning maps
them onto the checkout; the JSON pointer, the other half of a manifest location,
is a logical location and a result property. Columns are counted in code points,
as ldkit counts them, and the run says so (`columnKind`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote_from_bytes

from ldkit import __version__
from ldkit.core.findings import Finding, Report, Severity, sort_key
from ldkit.core.rule import RuleLookup
from ldkit.report.encode import utf8_safe

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/ld-integration-kit/"
SRCROOT = "%SRCROOT%"


def _text(value: str) -> str:
    """Lone surrogates (a manifest may spell one as `\\ud800`) cannot be written as
    UTF-8; keep them visible as escapes instead of failing the whole report."""
    return utf8_safe(value)


def _uri_path(path: str) -> str:
    """A path as a URI path: the file name's own bytes, percent-encoded, so a name
    that is not UTF-8 still names the same file."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "backslashreplace")
    return quote_from_bytes(raw)


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def artifact_location(path: str) -> dict[str, str]:
    """Relative to the working directory (with `uriBaseId`) when the file is under
    it, else an absolute `file:` URI."""
    candidate = Path(path)
    absolute = candidate if candidate.is_absolute() else Path.cwd() / candidate
    try:
        resolved = absolute.resolve()
    except (OSError, RuntimeError, ValueError):  # a loop, a NUL: keep the path as given
        resolved = absolute
    try:
        relative = resolved.relative_to(Path.cwd().resolve())
    except ValueError:
        posix = resolved.as_posix()
        return {"uri": "file://" + _uri_path(posix if posix.startswith("/") else "/" + posix)}
    return {"uri": _uri_path(relative.as_posix()), "uriBaseId": SRCROOT}


def _rule_descriptor(rule_id: str, fallback: Severity, rules: RuleLookup) -> dict[str, object]:
    rule = rules(rule_id)
    if rule is None:
        # A finding whose id is not in the catalogue still needs a descriptor, or
        # viewers cannot show its title; say plainly that there is no explanation.
        return {
            "id": rule_id,
            "shortDescription": {"text": rule_id},
            "defaultConfiguration": {"level": _level(fallback)},
        }
    explanation = rule.explanation or rule.title
    help_text = [explanation]
    help_markdown = [explanation]
    for label, example in (("Bad", rule.bad_example), ("Good", rule.good_example)):
        if example:
            help_text.append(f"{label}: {example}")
            help_markdown.append(f"**{label}:**\n\n```\n{example}\n```")
    return {
        "id": rule_id,
        "name": rule.__name__,
        "shortDescription": {"text": _text(rule.title)},
        "fullDescription": {"text": _text(explanation)},
        "help": {
            "text": _text("\n\n".join(help_text)),
            "markdown": _text("\n\n".join(help_markdown)),
        },
        "helpUri": rule.doc_path(),
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {"upstream": bool(rule.upstream)},
    }


def _fingerprint(finding: Finding, uri: str) -> str:
    """Stable across edits that only move lines: the pointer names the place."""
    key = "\0".join((uri, finding.rule, finding.pointer))
    return hashlib.sha256(_text(key).encode("utf-8")).hexdigest()[:32]


def _result(finding: Finding, index: int, artifact: dict[str, str]) -> dict[str, object]:
    location: dict[str, object] = {
        "physicalLocation": {
            "artifactLocation": dict(artifact),
            "region": {"startLine": finding.line, "startColumn": finding.column},
        }
    }
    if finding.pointer:
        name = finding.pointer.rsplit("/", 1)[-1]
        location["logicalLocations"] = [
            {"name": _text(name), "fullyQualifiedName": _text(finding.pointer), "kind": "value"}
        ]
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _level(finding.severity),
        "message": {"text": _text(finding.message)},
        "locations": [location],
        "partialFingerprints": {"ldkitPointer/v1": _fingerprint(finding, artifact["uri"])},
        "properties": {"pointer": _text(finding.pointer)},
    }


def to_data(report: Report, rules: RuleLookup) -> dict[str, object]:
    findings = [f for result in report.files for f in sorted(result.findings, key=sort_key)]
    first_severity: dict[str, Severity] = {}
    for f in findings:
        first_severity.setdefault(f.rule, f.severity)
    rule_ids = sorted(first_severity)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    # One file-system lookup per file, not per finding.
    artifacts = {path: artifact_location(path) for path in {f.path for f in findings}}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ldkit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(r, first_severity[r], rules) for r in rule_ids],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule], artifacts[f.path]) for f in findings],
            }
        ],
    }


def render(report: Report, rules: RuleLookup) -> str:
    return json.dumps(to_data(report, rules), indent=2, ensure_ascii=False) + "\n"
