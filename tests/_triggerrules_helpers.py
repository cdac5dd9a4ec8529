"""Shared by the trigger/pointer/regex rule tests: run the real CLI on a fixture and
keep only the findings of the LD4xx rules."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "triggerrules"
REPO = Path(__file__).resolve().parent.parent


def manifest(case: str) -> Path:
    return FIXTURES / case / "manifest.json"


def ld4_findings(run, path: Path) -> list[dict]:
    result = run("validate", path, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    [file] = result.json()["files"]
    return [f for f in file["findings"] if f["rule"].startswith("LD4")]


def findings_of(run, case: str) -> list[dict]:
    return ld4_findings(run, manifest(case))


def located(finding: dict) -> tuple[str, str, str, int, int]:
    return (
        finding["rule"],
        finding["severity"],
        finding["pointer"],
        finding["line"],
        finding["column"],
    )
