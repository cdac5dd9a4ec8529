"""A trailing comma is the same error, at the same place, on every Python."""

from __future__ import annotations

import json

import pytest

from ldkit.load.json_errors import portable


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('{"title": "x",}', "Expecting property name enclosed in double quotes", 1, 15),
        ("[1, 2,]", "Expecting value", 1, 7),
        ('{"a": 1,\n  }', "Expecting property name enclosed in double quotes", 2, 3),
        ("[1,\t\r\n]", "Expecting value", 2, 1),
    ],
)
def test_trailing_commas_read_as_on_python_3_10_to_3_12(text, message, line, column):
    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads(text)
    error = portable(raised.value)
    assert (error.msg, error.lineno, error.colno) == (message, line, column)


def test_other_errors_pass_through_unchanged():
    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads('{"a" 1}')
    assert portable(raised.value) is raised.value
