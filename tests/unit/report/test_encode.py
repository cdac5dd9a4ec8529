"""The one output encoder: nothing a file contains can break or hijack the output."""

from __future__ import annotations

import json

from ldkit.report.encode import printable, to_bytes, utf8_safe


def test_a_lone_surrogate_becomes_its_json_escape_so_json_stays_valid():
    text = json.dumps({"key\ud800": "v\udcff"}, ensure_ascii=False)
    assert json.loads(to_bytes(text)) == {"key\ud800": "v\udcff"}


def test_text_without_surrogates_is_unchanged():
    assert utf8_safe("Café ✓") == "Café ✓"


def test_terminal_controls_and_bidi_overrides_are_shown_as_escapes():
    assert printable("a\x1b[2Jb\u202ec\x7f\td") == "a\\x1b[2Jb\\u202ec\\x7f\td"


def test_printable_keeps_newlines_only_when_asked():
    assert printable("a\nb") == "a\\x0ab"
    assert printable("a\nb\x07", keep_newlines=True) == "a\nb\\x07"
