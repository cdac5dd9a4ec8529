"""`format_json` writes exactly what prettier 2.2.1 wrote for every golden input.

`tests/fixtures/format/inputs/` holds this repository's own JSON files in many
spellings (re-indented, minified, expanded, CRLF, no final newline, ASCII
escapes) and hand-written edge cases; `expected/` holds real prettier 2.2.1's
output for each (LaunchDarkly's options), made by `scripts/format_goldens.py`.
No Node.js is needed here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ldkit.format import format_json

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "format"
INPUTS = sorted((ROOT / "inputs").rglob("*.json"))


def test_the_golden_corpus_is_there() -> None:
    assert len(INPUTS) >= 150
    assert (ROOT / "inputs" / "cases" / "five-allowed-values.json").is_file()


@pytest.mark.parametrize(
    "source", INPUTS, ids=[p.relative_to(ROOT / "inputs").as_posix() for p in INPUTS]
)
def test_output_is_byte_identical_to_prettier(source: Path) -> None:
    expected = (ROOT / "expected" / source.relative_to(ROOT / "inputs")).read_bytes()
    text = source.read_bytes().decode("utf-8")
    assert format_json(text, source.name).encode("utf-8") == expected
