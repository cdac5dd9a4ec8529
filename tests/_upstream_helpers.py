"""Helpers for the upstream-parity rule tests: run the real CLI on a fixture
integration and pick out findings."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

UPSTREAM = FIXTURES / "upstream"

# Rule ids owned by the upstream-parity and formatting rules.
OWN_PREFIXES = ("LD01", "LD2")


def integration(case: str, key: str) -> Path:
    return UPSTREAM / case / "integrations" / key


def validate(run, case: str, key: str) -> list[dict]:
    """All findings for one fixture integration, through `ldkit validate --format json`."""
    result = run("validate", integration(case, key), "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    report = result.json()
    return [finding for file in report["files"] for finding in file["findings"]]


def own(findings: list[dict]) -> list[dict]:
    """Only the findings of this helper's rules (others' rules may also speak)."""
    return [f for f in findings if f["rule"].startswith(OWN_PREFIXES)]


def by_rule(findings: list[dict], rule: str) -> list[dict]:
    return [f for f in findings if f["rule"] == rule]
