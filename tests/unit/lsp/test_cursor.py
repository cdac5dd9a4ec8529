"""The cursor's place in JSON an editor holds half-typed: the pointer, whether
it is a key or a value, and the string under it, never an exception."""

from __future__ import annotations

import pytest

from ldkit.lsp.cursor import place_at

MANIFEST = """{
  "name": "Acme",
  "capabilities": {
    "trigger": {
      "parser": {
        "eventName": "/title",
        "url": "/url"
      }
    }
  },
  "categories": ["monitoring", "data"]
}
"""


def at(text: str, marker: str, shift: int = 1):
    return place_at(text, text.index(marker) + shift)


def test_on_a_key():
    place = at(MANIFEST, '"eventName"')
    assert (place.role, place.container, place.pointer) == (
        "key",
        "/capabilities/trigger/parser",
        "/capabilities/trigger/parser/eventName",
    )
    assert place.token == "eventName"


def test_on_a_value_and_on_an_array_item():
    place = at(MANIFEST, '"/url"')
    assert (place.role, place.pointer, place.key, place.token) == (
        "value",
        "/capabilities/trigger/parser/url",
        "url",
        "/url",
    )
    place = at(MANIFEST, '"data"')
    assert (place.role, place.pointer, place.token) == ("value", "/categories/1", "data")


def test_between_members_the_next_thing_is_a_key_and_earlier_keys_are_known():
    text = MANIFEST.replace('"url": "/url"', '"url": "/url",\n        ')
    place = place_at(text, text.index('"/url",') + len('"/url",\n        '))
    assert place.role == "key"
    assert place.container == "/capabilities/trigger/parser"
    assert place.siblings == {"eventName", "url"}
    assert place.token is None


def test_a_half_typed_key_and_a_value_before_its_comma():
    text = '{\n  "capabilities": {\n    "trig\n  }\n}'
    place = place_at(text, text.index('"trig') + 5)
    assert (place.role, place.container, place.token) == ("key", "/capabilities", "trig")
    text = '{"categories": ['
    place = place_at(text, len(text))
    assert (place.role, place.pointer) == ("value", "/categories/0")


def test_an_escaped_key_makes_an_escaped_pointer():
    text = '{"a/b~c": {"x": 1}}'
    assert at(text, '"x"').pointer == "/a~1b~0c/x"


@pytest.mark.parametrize(
    "text", ["", "}", "]]]", '"', '{"a": [1, {"b": ', "{{{{", '{"a" "b" : : ,,', "\ufeff{"]
)
def test_broken_text_gives_a_place_never_an_error(text):
    for offset in range(len(text) + 1):
        place_at(text, offset)
