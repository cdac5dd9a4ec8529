"""Every constraint of LaunchDarkly's manifest schema, case by case.

`fixtures/schema/full/manifest.json` sets every key and every capability;
`fixtures/schema/constraints.json` lists mutations of it, at least one valid and
one invalid per row of the reference's constraint table. A valid case must draw
no schema finding at all; an invalid one exactly one, with the expected rule and
pointer. The table names each constraint of schemas/manifest/ a row.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict

import pytest

from conftest import FIXTURES
from ldkit.load.jsonpos import load_text
from ldkit.load.pointer import parent, split
from ldkit.schema.check import schema_findings
from ldkit.schema.fast import fast_acceptance_check
from ldkit.schema.validator import validator

BASE = json.loads((FIXTURES / "schema" / "full" / "manifest.json").read_text(encoding="utf-8"))
TABLE = json.loads((FIXTURES / "schema" / "constraints.json").read_text(encoding="utf-8"))
ROWS: list[str] = TABLE["rows"]
CASES: list[dict] = TABLE["cases"]


def _mutated(case: dict) -> object:
    manifest = copy.deepcopy(BASE)
    if case["pointer"] == "":
        return case["value"]
    tokens = split(case["pointer"])
    node = manifest
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    if isinstance(node, list):
        index = int(last)
        assert index < len(node) or not case.get("delete"), case
        if case.get("delete"):
            del node[index]
        elif index < len(node):
            node[index] = _value(case)
        else:
            node.append(_value(case))
    elif case.get("delete"):
        assert last in node, f"nothing to delete at {case['pointer']}"
        del node[last]
    else:
        node[last] = _value(case)
    return manifest


def _value(case: dict) -> object:
    if "repeat" in case:
        text, count = case["repeat"]
        return case.get("prefix", "") + text * count
    return case["value"]


def _case_id(case: dict) -> str:
    shown = "delete" if case.get("delete") else json.dumps(_value(case), ensure_ascii=True)[:30]
    return f"{case['row']} {case['pointer']}={shown} -> {case.get('rule', 'valid')}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_constraint(case):
    manifest = _mutated(case)
    document = load_text(json.dumps(manifest, indent=2, ensure_ascii=False), "manifest.json")
    findings = schema_findings(document.document)
    got = [(f.rule, f.pointer) for f in findings]
    # The quick acceptance test and jsonschema must agree on every case.
    assert fast_acceptance_check()(manifest) is bool(case.get("valid"))
    if case.get("valid"):
        assert got == [], [f.message for f in findings]
        assert [e.message for e in validator().iter_errors(manifest)] == []
        return
    assert got == [(case["rule"], case["at"])], [f.message for f in findings]
    if "message" in case:
        assert case["message"] in findings[0].message


def test_full_fixture_passes_and_uses_every_top_level_key_and_capability():
    document = load_text(json.dumps(BASE), "manifest.json").document
    assert schema_findings(document) == []
    assert len(BASE) == 18
    assert len(BASE["capabilities"]) == 18


_UNSEEN_ROWS = {
    "#jiraIssueCreateParser",
    "#jiraIssueCreateParser.issueKey",
    "#jiraIssueCreateParser.issueUrl",
    "#jiraIssueCreateParser.self",
    "#formVariable.divider",
    "#formVariable.codeLanguage",
    "#formVariable.instructionsHeading",
    "#formVariable.instructions",
}


def test_every_row_has_a_passing_and_a_failing_case():
    kinds: dict[str, set[str]] = defaultdict(set)
    for case in CASES:
        kinds[case["row"]].add("valid" if case.get("valid") else "invalid")
    # A key whitelisted with no schema at all accepts every value: nothing can fail.
    # The same holds where LaunchDarkly's definition has never been seen, so the
    # bundled schema accepts anything (a `$comment` starting "unseen" says so).
    cannot_fail = {"eventsHook.triggers", *_UNSEEN_ROWS}
    lacking = {
        row: seen
        for row, seen in kinds.items()
        if seen != {"valid", "invalid"} and not (row in cannot_fail and seen == {"valid"})
    }
    assert lacking == {}
    assert sorted(kinds) == sorted(ROWS), "every constraint row has cases, and only those"


def test_mutation_targets_exist_in_the_full_fixture():
    """A valid case that sets a key the fixture lacks would test nothing new; make
    sure every pointer's parent exists, so each mutation lands where it says."""
    for case in CASES:
        if case["pointer"] == "":
            continue
        tokens = split(parent(case["pointer"]))
        node = BASE
        for token in tokens:
            node = node[int(token)] if isinstance(node, list) else node[token]
        assert isinstance(node, (dict, list)), case
