"""Every rule id is declared once and earns its place: a title, an explanation,
a bad and a good example, and real fixtures under tests/fixtures/ on which it
fires and on which it stays quiet.

Where a rule fires is collected from real runs: `ldkit validate` over every
fixture tree (the golden snapshots, which `test_validate_snapshots` keeps equal
to a fresh run) and over the loose JSON fixtures, `ldkit trigger` over the
trigger fixtures and bodies, `ldkit render` over the template and problem
fixtures (under the default and a custom Content-Type), `ldkit dynatrace check`
over the webhook configurations and the workflows. "Quiet" means: the
same command, run on another fixture, reports nothing of that rule.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, REPO
from ldkit.catalogue import all_rules, rule_modules
from ldkit.cli import cli

#: Rules that no fixture can trigger today, and why. Keep this short and true.
WITHOUT_FIXTURE: dict[str, str] = {
    "LD100": (
        "the safety net for schema keywords without a rule of their own; the bundled "
        "manifest schema uses none of them today"
    ),
}

SNAPSHOTS = FIXTURES / "snapshots"
LOOSE_JSON = [
    *sorted((FIXTURES / "validate").glob("*.json")),
    *sorted((FIXTURES / "render" / "problems").glob("*.problem.json")),
    *sorted((FIXTURES / "dynatrace-workflow" / "davis").glob("*.davis.json")),
]
TRIGGER_MANIFESTS = ["generic", "pointers", "bad-pointer", "bad-regexp", "no-trigger"]
TRIGGER_BODIES = sorted((FIXTURES / "trigger" / "bodies").iterdir())
TEMPLATES = sorted((FIXTURES / "render" / "templates").iterdir())
PROBLEMS = sorted((FIXTURES / "render" / "problems").glob("*.problem.json"))
WEBHOOK_CONFIGS = sorted(
    path
    for pattern in (
        "settings/*.json",
        "classic/*.json",
        "terraform/**/*.tf",
        "monaco/*/config.yaml",
    )
    for path in (FIXTURES / "dynatrace-config").glob(pattern)
)
WORKFLOWS = sorted(
    path
    for pattern in ("*.yaml", "*.json", "terraform/*/main.tf", "monaco/*/config.yaml")
    for path in (FIXTURES / "dynatrace-workflow").glob(pattern)
)
DYNATRACE = REPO / "integrations" / "dynatrace"

Run = tuple[str, str]  # (command, the fixture's area folder)


def _area(path: str) -> str:
    relative = Path(path).resolve().relative_to(FIXTURES)
    return (
        f"{relative.parts[0]}/{relative.parts[1]}" if len(relative.parts) > 2 else relative.parts[0]
    )


def _invoke(*args: str) -> list[dict]:
    """The findings of one CLI run, whatever stream and shape they come in."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    found: list[dict] = []
    for text in (result.stdout, result.stderr):
        try:
            data = json.loads(text)
        except ValueError:
            continue
        for file in data.get("files", []):
            found.extend(file["findings"])
        found.extend(data.get("warnings", []))
    if args[0] == "trigger" and result.exit_code == 1:  # the manifest has no trigger
        found.extend({"rule": line.split()[1]} for line in result.stderr.splitlines())
    return found


def _evidence() -> tuple[dict[str, set[Run]], dict[str, set[Run]]]:
    """(rule id -> runs where it fired, rule id -> runs where it did not)."""
    fired: dict[str, set[Run]] = defaultdict(set)
    quiet: dict[str, set[Run]] = defaultdict(set)

    def record(command: str, area: str, findings: list[dict]) -> None:
        run = (command, area)
        ids = {f["rule"] for f in findings}
        for rule_id in ids:
            fired[rule_id].add(run)
        for rule_id in all_rules():
            if rule_id not in ids:
                quiet[rule_id].add(run)

    codes = json.loads((SNAPSHOTS / "exit-codes.json").read_text(encoding="utf-8"))
    for tree in codes:
        text = SNAPSHOTS / (tree.removeprefix("tests/fixtures/").replace("/", "__") + ".json")
        report = text.read_text(encoding="utf-8")
        findings = (
            [f for file in json.loads(report)["files"] for f in file["findings"]] if report else []
        )
        record("validate", _area(REPO / tree), findings)
    for path in LOOSE_JSON:
        record("validate", _area(path), _invoke("validate", "--format", "json", path))
    for name in TRIGGER_MANIFESTS:
        for body in TRIGGER_BODIES:
            findings = _invoke(
                "trigger", FIXTURES / "trigger" / name, "--body", body, "--timestamp", "1"
            )
            record("trigger", "trigger", findings)
    for template in TEMPLATES:
        for problem in PROBLEMS:
            findings = _invoke(
                "render", "--template", template, "--problem", problem, "--format", "json"
            )
            record("render", "render", findings)
        for content_type in ("application/json", "text/plain"):
            findings = _invoke(
                *("render", "--template", template, "--test-notification"),
                *("--content-type", content_type, "--format", "json"),
            )
            record("render", "render", findings)
    for config in WEBHOOK_CONFIGS + WORKFLOWS:
        findings = _invoke(
            *("dynatrace", "check", config, "--integration", DYNATRACE, "--format", "json")
        )
        record("dynatrace check", "dynatrace-config", findings)
    return fired, quiet


@pytest.fixture(scope="module")
def evidence():
    return _evidence()


def test_every_rule_module_declares_rules_and_every_id_is_declared_once():
    seen: dict[str, str] = {}
    for module in rule_modules():
        from ldkit.catalogue import declared_in

        declared = declared_in(module)
        assert declared, f"{module.__name__} declares no rule"
        for cls in declared:
            assert cls.id not in seen, f"{cls.id} in {module.__name__} and {seen[cls.id]}"
            seen[cls.id] = module.__name__
    assert sorted(seen) == list(all_rules())


@pytest.mark.parametrize("rule_id", list(all_rules()))
def test_rule_is_explained_with_examples(rule_id):
    rule = all_rules()[rule_id]
    assert rule.id == rule_id and len(rule_id) == 5 and rule_id.startswith("LD")
    assert rule.title and rule.explanation, rule_id
    assert rule.bad_example and rule.good_example, rule_id
    assert rule.bad_example != rule.good_example, rule_id


@pytest.mark.parametrize("rule_id", list(all_rules()))
def test_rule_fires_on_a_fixture_and_stays_quiet_on_another(evidence, rule_id):
    fired, quiet = evidence
    if rule_id in WITHOUT_FIXTURE:
        assert rule_id not in fired, f"{rule_id} has a fixture now: drop it from WITHOUT_FIXTURE"
        return
    assert fired.get(rule_id), f"no fixture under tests/fixtures/ makes {rule_id} fire"
    commands = {command for command, _area in fired[rule_id]}
    assert any(command in commands for command, _area in quiet[rule_id]), (
        f"{rule_id} fires in {sorted(fired[rule_id])}, but no fixture is clean of it"
    )
