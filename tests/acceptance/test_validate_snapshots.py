"""Golden whole-report snapshots: `ldkit validate --format json` over every
fixture tree is byte-identical to tests/fixtures/snapshots/. A deliberate
change of output is recorded with `python tests/snapshots/update.py`."""

from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import REPO

_UPDATE = REPO / "tests" / "snapshots" / "update.py"
_spec = importlib.util.spec_from_file_location("snapshots_update", _UPDATE)
assert _spec and _spec.loader
update = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update)

EXIT_CODES: dict[str, int] = json.loads(update.EXIT_CODES.read_text(encoding="utf-8"))


def test_every_fixture_tree_has_a_snapshot_and_no_snapshot_is_stale():
    assert sorted(update.trees()) == sorted(EXIT_CODES)
    stored = {p.name for p in update.SNAPSHOTS.glob("*.json")} - {update.EXIT_CODES.name}
    assert stored == {update.snapshot_name(tree) for tree in EXIT_CODES}


@pytest.mark.parametrize("tree", sorted(EXIT_CODES))
def test_validate_json_report_is_byte_identical_to_its_snapshot(tree):
    code, out = update.run(tree)
    expected = (update.SNAPSHOTS / update.snapshot_name(tree)).read_text(encoding="utf-8")
    assert (code, out) == (EXIT_CODES[tree], expected)
