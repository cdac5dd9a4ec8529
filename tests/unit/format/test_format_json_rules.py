"""Prettier's JSON rules, one by one, as `format_json` applies them."""

from __future__ import annotations

import pytest

from ldkit.format import JsonSyntaxError, first_difference, format_json
from ldkit.format.build import print_number
from ldkit.format.stringify import js_number
from ldkit.format.width import string_width


def test_an_object_written_expanded_stays_expanded_even_when_it_fits() -> None:
    assert format_json('{\n"a": 1}') == '{\n  "a": 1\n}\n'


def test_an_object_written_on_one_line_collapses_when_it_fits() -> None:
    assert format_json('{"a": {"b": [1,2]}}') == '{ "a": { "b": [1, 2] } }\n'


def test_a_line_of_exactly_80_columns_fits_and_81_breaks() -> None:
    fits = '{\n  "k": ["' + "x" * 69 + '"]\n}\n'
    assert max(len(line) for line in fits.splitlines()) == 80
    assert format_json(fits) == fits
    too_long = '{\n  "k": ["' + "x" * 70 + '"]\n}\n'
    assert format_json(too_long) == '{\n  "k": [\n    "' + "x" * 70 + '"\n  ]\n}\n'


def test_the_comma_after_a_member_counts_towards_the_width() -> None:
    text = '{\n  "k": ["' + "x" * 68 + '"],\n  "z": 1\n}\n'
    assert format_json(text) == text
    longer = '{\n  "k": ["' + "x" * 69 + '"],\n  "z": 1\n}\n'
    assert format_json(longer).startswith('{\n  "k": [\n')


def test_a_five_value_allowed_values_array_over_80_columns_is_broken_one_per_line() -> None:
    text = (
        '{\n  "allowedValues": '
        '["production", "staging", "development", "qa-environment", "sandbox"]\n}\n'
    )
    assert format_json(text) == (
        '{\n  "allowedValues": [\n    "production",\n    "staging",\n    "development",\n'
        '    "qa-environment",\n    "sandbox"\n  ]\n}\n'
    )


def test_two_or_more_objects_of_two_or_more_keys_in_an_array_always_break() -> None:
    assert format_json('[{"a":1,"b":2},{"c":3,"d":4}]') == (
        '[\n  { "a": 1, "b": 2 },\n  { "c": 3, "d": 4 }\n]\n'
    )
    assert format_json('[{"a":1},{"c":3,"d":4}]') == '[{ "a": 1 }, { "c": 3, "d": 4 }]\n'


def test_a_blank_line_after_a_member_is_kept_and_breaks_the_object() -> None:
    assert format_json('{"a": 1,\n\n"b": 2}') == '{\n  "a": 1,\n\n  "b": 2\n}\n'
    assert format_json("[1,\n\n2]") == "[1, 2]\n"


def test_empty_containers_print_as_two_characters() -> None:
    assert format_json('{"a": {\n}, "b": [\n\n]}') == '{ "a": {}, "b": [] }\n'


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("1.50", "1.5"),
        ("1.0", "1.0"),
        ("1.00", "1.0"),
        ("1E10", "1e10"),
        ("1e+05", "1e5"),
        ("1e-07", "1e-7"),
        ("2e00", "2"),
        ("0.0e0", "0.0"),
        ("10", "10"),
    ],
)
def test_numbers_are_normalised_as_prettier_does(raw: str, printed: str) -> None:
    assert print_number(raw) == printed


def test_string_escapes_are_kept_except_the_escaped_slash() -> None:
    assert format_json(r'["a\/b", "\\/", "\u00e9", "\"q\""]') == (
        '["a/b", "\\\\/", "\\u00e9", "\\"q\\""]\n'
    )


def test_crlf_becomes_lf_and_a_byte_order_mark_is_kept() -> None:
    assert format_json('\ufeff{"a": 1,\r\n"b": 2}\r\n') == '\ufeff{ "a": 1, "b": 2 }\n'


def test_an_empty_file_stays_empty_and_whitespace_is_dropped() -> None:
    assert format_json("") == ""
    assert format_json(" \n\t\n") == ""
    assert format_json('  "s"  \n\n') == '"s"\n'


def test_wide_characters_take_two_columns() -> None:
    assert string_width("日本") == 4
    assert string_width("e\u0301") == 1
    assert string_width("🚀 go") == 5


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ('{"a": 1,}', 8, "expected a quoted key, found '}'"),
        ('{"a": 1 // note\n}', 8, "expected ',' or '}', found '/'"),
        ("[1, 2", 5, "expected ',' or ']', found the end of the file"),
        ('{"a": 1} x', 9, "expected the end of the file after the value, found 'x'"),
        ("{'a': 1}", 1, 'expected a quoted key, found "\'"'),
    ],
)
def test_text_that_is_not_strict_json_is_refused_with_its_offset(
    text: str, offset: int, message: str
) -> None:
    with pytest.raises(JsonSyntaxError) as caught:
        format_json(text)
    assert (caught.value.offset, caught.value.message) == (offset, message)


def test_package_json_is_printed_like_json_stringify() -> None:
    text = '{"name": "x", "a": [1.50, 1e21, 0.000001], "s": "\\u00e9\\/", "e": {}}'
    assert format_json(text, "package.json") == (
        '{\n  "name": "x",\n  "a": [\n    1.5,\n    1e+21,\n    0.000001\n  ],\n'
        '  "s": "é/",\n  "e": {}\n}\n'
    )


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("1e21", "1e+21"),
        ("1e20", "100000000000000000000"),
        ("0.000001", "0.000001"),
        ("0.0000001", "1e-7"),
        ("123.4560", "123.456"),
        ("1.5e300", "1.5e+300"),
        ("0", "0"),
    ],
)
def test_numbers_in_package_json_print_as_javascript_prints_them(raw: str, printed: str) -> None:
    assert js_number(raw) == printed


def test_the_first_difference_names_the_first_changed_line() -> None:
    original = '{\n  "a": [\n    1\n  ]\n}\n'
    difference = first_difference(original, format_json(original))
    assert difference is not None
    assert (difference.line, difference.actual, difference.expected) == (
        2,
        '  "a": [',
        '  "a": [1]',
    )
    assert first_difference("[1]\n", "[1]\n") is None
    missing = first_difference("[1]", "[1]\n")
    assert missing is not None and missing.line == 2
