"""Helpers shared by the render and Dynatrace-sample tests."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, REPO
from ldkit.dynatrace.render import RenderResult, render_payload

SAMPLES = REPO / "integrations" / "dynatrace" / "samples"
PAYLOADS = REPO / "integrations" / "dynatrace" / "payloads"
TEMPLATES = FIXTURES / "render" / "templates"
PROBLEMS = FIXTURES / "render" / "problems"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.problem.json").read_text(encoding="utf-8"))


def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render(name: str, problem: str | dict | None, **options) -> RenderResult:
    """Render the fixture template `name` for a shipped sample (by name) or a dict."""
    if isinstance(problem, str):
        problem = sample(problem)
    return render_payload(template(name), problem, path=name, **options)


def brief(result: RenderResult) -> list[tuple[str, str, int, int, str]]:
    """(rule, severity, line, column, pointer) of each finding, in report order."""
    return [(f.rule, str(f.severity), f.line, f.column, f.pointer) for f in result.findings]


def all_samples() -> list[Path]:
    return sorted(SAMPLES.glob("*.problem.json"))
