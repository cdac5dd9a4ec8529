"""`is_strict_json`, the standard library's quick answer to "would the
positioned loader find a syntax problem here?", agrees with the loader."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, REPO
from ldkit.load.jsonpos import is_strict_json, load_text
from ldkit.load.limits import MAX_DEPTH
from ldkit.load.rules import JsonSyntax


def _loader_says_strict(text: str) -> bool:
    return not any(f.rule == JsonSyntax.id for f in load_text(text, "x.json").findings)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, -2.5e3, true, null, "\\u00e9\\n"]}',
        "  [ ]\n",
        '"just a string"',
        "1E400",
        '{"a": 1, "a": 2}',  # a duplicate key is LD002, not a syntax problem
        "[" * MAX_DEPTH + "]" * MAX_DEPTH,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "[" * 5000 + "]" * 5000,
        "NaN",
        "[Infinity]",
        '{"a": -Infinity}',
        "",
        "   ",
        "{} {}",
        "\ufeff{}",
        '{"a": "line\nbreak"}',
        "{'a': 1}",
        "[1,]",
        "[01]",
        "[1.]",
        "[.5]",
        "[1e5x]",
        '{"a" 1}',
        "{\u00a0}",
        "[true, True]",
        '"\\ud800"',
    ],
)
def test_it_agrees_with_the_loader_on_the_edges_of_json(text):
    assert is_strict_json(text) == _loader_says_strict(text)


def test_it_agrees_with_the_loader_on_every_json_file_in_the_fixtures_and_integrations():
    paths = sorted(FIXTURES.rglob("*.json")) + sorted((REPO / "integrations").rglob("*.json"))
    paths += sorted(FIXTURES.rglob("*.hbs"))  # templates: mostly not JSON
    assert len(paths) > 200
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert is_strict_json(text) == _loader_says_strict(text), path
