"""A character of a JSON string value, found in the file: escapes take more
room in the file than in the value, and findings about one character of a
pattern or template must land on that character."""

from __future__ import annotations

import pytest

from ldkit.load.jsonpos import load_text

SOURCE = '{"a": "x\\\\Z\\u00e9\\ud83d\\ude00\\"y", "b": 3}'
#          value:  x  \  Z  é  😀  "  y


@pytest.mark.parametrize(
    ("index", "at"),
    [(0, "x"), (1, "\\\\Z"), (2, "Z"), (3, "\\u00e9"), (4, "\\ud83d"), (5, '\\"'), (6, "y")],
)
def test_each_character_of_the_value_maps_to_where_it_is_written(index: int, at: str) -> None:
    document = load_text(SOURCE, "m.json").document
    assert document.value == {"a": 'x\\Zé😀"y', "b": 3}
    assert SOURCE[document.string_offset("/a", index) :].startswith(at)


def test_past_the_end_is_the_closing_quote_and_non_strings_are_their_value() -> None:
    document = load_text(SOURCE, "m.json").document
    assert SOURCE[document.string_offset("/a", 99)] == '"'
    assert SOURCE[document.string_offset("/b", 2)] == "3"
