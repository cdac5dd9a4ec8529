"""A replay case the fast path accepts is one jsonschema accepts: the fast path
only spares valid cases the jsonschema import, it never hides a problem."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import FIXTURES, REPO
from ldkit.replay.cases import _case_accepts, _case_validator, case_problems

CASES = sorted(
    [*REPO.glob("integrations/*/replays/**/*.case.json"), *FIXTURES.rglob("*.case.json")]
)
GOOD = json.loads((REPO / "integrations/dynatrace/replays/problem-opened.case.json").read_text())
BROKEN = [
    ("/request/timestamp", -1),
    ("/request/timestamp", 1.5),
    ("/request/timestamp", True),
    ("/sample", "demo"),
    ("/flagState", "yes"),
    ("/trigger/action", "flip"),
    ("/trigger/flag", ""),
    ("/description", ""),
    ("/request/bodyText", 3),
    ("/request/extra", 1),
]


def _with(case: dict, pointer: str, value: object) -> dict:
    changed = copy.deepcopy(case)
    *parents, last = pointer.strip("/").split("/")
    node = changed
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return changed


def test_the_case_schema_has_a_fast_path():
    assert _case_accepts() is not None


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(REPO)))
def test_fast_path_agrees_with_jsonschema_on_every_stored_case(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    valid = not list(_case_validator().iter_errors(data))
    assert _case_accepts()(data) == valid
    assert (case_problems(data) == []) == valid


@pytest.mark.parametrize(("pointer", "value"), BROKEN)
def test_fast_path_never_accepts_a_broken_case(pointer, value):
    data = _with(GOOD, pointer, value)
    assert list(_case_validator().iter_errors(data))
    assert not _case_accepts()(data)
    assert case_problems(data)
