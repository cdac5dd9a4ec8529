"""ldkit's 1-based code-point positions become LSP positions in the encoding
agreed with the client, and back."""

from __future__ import annotations

import pytest
from lsprotocol import types

from ldkit.lsp import positions

TEXT = '{\n  "name": "caf\u00e9 \U0001f600 x",\n  "v": 1\r\n}\n'


def test_a_finding_spans_the_json_string_it_points_at():
    # line 2, column 11 (1-based code points) is the opening quote of the value
    found = positions.finding_range(TEXT, 2, 11)
    assert found.start == types.Position(line=1, character=10)
    # "café 😀 x" is 10 code points with its quotes, 11 UTF-16 units
    assert found.end == types.Position(line=1, character=21)


@pytest.mark.parametrize(("encoding", "end"), [("utf-16", 21), ("utf-32", 20), ("utf-8", 24)])
def test_columns_count_in_the_agreed_encoding(encoding, end):
    assert positions.finding_range(TEXT, 2, 11, encoding).end.character == end


def test_a_word_or_number_spans_to_its_end_and_a_brace_one_character():
    assert positions.finding_range(TEXT, 3, 8) == types.Range(
        start=types.Position(line=2, character=7), end=types.Position(line=2, character=8)
    )
    assert positions.finding_range(TEXT, 1, 1).end == types.Position(line=0, character=1)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8"])
def test_offsets_and_positions_round_trip(encoding):
    for offset in range(len(TEXT) + 1):
        if offset and TEXT[offset - 1] == "\r":
            continue  # inside a CRLF line break: no position of its own
        position = positions.position_at(TEXT, offset, encoding)
        assert positions.offset_at(TEXT, position, encoding) == offset


def test_the_whole_text_range_ends_after_the_last_line_break():
    assert positions.whole(TEXT).end == types.Position(line=4, character=0)


def test_a_position_past_the_end_of_a_line_or_the_text_is_clamped():
    assert positions.offset_at("ab\ncd", types.Position(line=0, character=99)) == 2
    assert positions.offset_at("ab\ncd", types.Position(line=9, character=1)) == 4
