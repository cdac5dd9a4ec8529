"""The position-keeping JSON loader: positions, and bad bytes as findings."""

from __future__ import annotations

from ldkit.load.jsonpos import load_bytes


def test_positions_of_values_and_keys_are_one_based_line_and_column():
    doc = load_bytes(b'{\n  "a": [1,\n   {"b": 2}]\n}', "m.json").document
    assert doc.position("/a/1/b") == (3, 10)
    assert doc.position("/a/1/b", key=True) == (3, 5)
    assert doc.position("/a/0") == (2, 9)


def test_missing_pointer_is_located_at_its_nearest_existing_ancestor():
    doc = load_bytes(b'{\n  "a": {"x": 1}\n}', "m.json").document
    assert doc.position("/a/missing/deeper") == doc.position("/a")


def test_duplicate_key_is_an_error_at_the_second_key_and_last_value_wins():
    result = load_bytes(b'{"a": 1,\n "a": 2}', "m.json")
    assert result.document.value == {"a": 2}
    [finding] = result.findings
    assert (finding.rule, finding.line, finding.column, finding.pointer) == ("LD002", 2, 2, "/a")
    assert "first defined on line 1" in finding.message


def test_byte_order_mark_is_reported_and_the_rest_still_parses():
    result = load_bytes(b'\xef\xbb\xbf{"a": 1}', "m.json")
    assert result.ok and result.document.value == {"a": 1}
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("LD003", 1, 1)]


def test_invalid_utf8_is_reported_at_the_offending_byte():
    result = load_bytes(b'{\n "name": "Caf\xe9"}', "m.json")
    [finding] = result.findings
    assert (finding.rule, finding.line, finding.column) == ("LD004", 2, 14)
    assert "0xe9" in finding.message


def test_syntax_errors_carry_line_column_and_advice():
    cases = {
        b'{"a": 1,}': (1, 8, "trailing comma after the last member"),
        b'{"a": NaN}': (1, 7, "NaN and Infinity are not JSON"),
        b"{'a': 1}": (1, 2, "double quotes"),
        b'{"a": 1}\n// note': (2, 1, "JSON has no comments"),
        b"": (1, 1, "empty"),
        b'{"a": "line\nbreak"}': (1, 12, "control character"),
    }
    for source, (line, column, text) in cases.items():
        result = load_bytes(source, "m.json")
        assert not result.ok
        [finding] = result.findings
        assert finding.rule == "LD001"
        assert (finding.line, finding.column) == (line, column), source
        assert text in finding.message, source


def test_hostile_nesting_is_a_finding_not_a_crash():
    result = load_bytes(b"[" * 100_000, "m.json")
    assert not result.ok
    assert "nesting deeper" in result.findings[0].message
