"""JavaScript regular expressions run with Python: each difference from ECMAScript's dialect (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects).

Ajv runs schema patterns as `new RegExp(pattern).test(value)`. These tests pin
the JavaScript answer for every place where Python's `re` would answer otherwise.
"""

from __future__ import annotations

import re

import pytest

from ldkit.schema.ecma_regex import EcmaRegexError, compile_ecma, search, translate

ONE_LINE = r"^(.*)$"
NO_WHITESPACE = r"^[^\s]*$"
SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)

# Whitespace according to ECMA-262 (WhiteSpace + LineTerminator), i.e. JavaScript's \s.
JS_SPACES = (
    "\t\n\x0b\x0c\r \xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000\ufeff")
)
# Python's Unicode \s matches these, JavaScript's does not.
PYTHON_ONLY_SPACES = "\x1c\x1d\x1e\x1f\x85"


@pytest.mark.parametrize("terminator", ["\n", "\r", "\u2028", "\u2029"])
def test_dot_stops_at_every_javascript_line_terminator(terminator):
    assert not search(ONE_LINE, f"one{terminator}two")
    # Python's own `.` only stops at \n.
    assert (re.search(ONE_LINE, f"one{terminator}two") is not None) == (terminator != "\n")


def test_dot_matches_next_line_u0085_like_javascript():
    assert search(ONE_LINE, "one\x85two")


@pytest.mark.parametrize(
    ("pattern", "value"),
    [(r"\.svg$", "a.svg\n"), (SEMVER, "1.0.0\n"), (NO_WHITESPACE, "abc\n"), (ONE_LINE, "abc\n")],
)
def test_dollar_is_the_end_of_input_so_a_trailing_newline_fails(pattern, value):
    assert not search(pattern, value)
    assert search(pattern, value[:-1])
    assert re.search(pattern, value) is not None  # what a naive Python port would accept


@pytest.mark.parametrize("space", list(JS_SPACES))
def test_backslash_s_is_the_javascript_whitespace_set(space):
    assert search(r"\s", space)
    assert not search(NO_WHITESPACE, f"a{space}b")
    assert search(r"\S", "a") and not search(r"^\S$", space)


@pytest.mark.parametrize("char", list(PYTHON_ONLY_SPACES))
def test_backslash_s_excludes_information_separators_and_next_line(char):
    assert not search(r"\s", char)
    assert search(NO_WHITESPACE, f"a{char}b")
    assert search(r"^\S$", char)


def test_byte_order_mark_is_whitespace_in_javascript_but_not_in_python():
    assert search(r"\s", "\ufeff")
    assert re.search(r"\s", "\ufeff") is None


def test_digits_and_word_characters_are_ascii_only():
    arabic_three = "\u0663"
    assert not search(r"^\d$", arabic_three)
    assert search(r"^\D$", arabic_three)
    assert not search(SEMVER, f"1.0.{arabic_three}")
    assert not search(r"^\w$", "é") and search(r"^\W$", "é")
    assert search(r"^\w+$", "Az_09")


def test_word_boundary_is_ascii_like_javascript():
    assert not search(r"\bé", "é")  # é is not a word character, so no boundary before it
    assert search(r"a\b", "aé")  # é is not a word character in JavaScript


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        (r"[\s]", "\ufeff", "\x85"),
        (r"[^\s]", "\x85", "\ufeff"),
        (r"[\S]", "\x1c", "\u3000"),
        (r"[^\S]", "\u3000", "\x1c"),
        (r"[a\d]", "7", "\u0663"),
        (r"[\D]", "\u0663", "7"),
        (r"[^\D]", "7", "\u0663"),
        (r"[\W_]", "_", "a"),
        (r"[^\W\d]", "a", "5"),
        (r"[.]", ".", "a"),
        (r"[$]", "$", "a"),
    ],
)
def test_class_escapes_keep_their_javascript_meaning_inside_brackets(pattern, matches, misses):
    assert search(f"^{pattern}$", matches)
    assert not search(f"^{pattern}$", misses)


def test_empty_classes_follow_javascript():
    assert not search("[]", "anything")
    assert search("^[^]$", "\n")


def test_named_groups_and_backreferences_are_translated():
    assert search(r"^(?<word>ab)\k<word>$", "abab")
    assert not search(r"^(?<word>ab)\k<word>$", "abba")
    assert search(r"^(a)\1$", "aa")


def test_identity_and_control_escapes():
    assert search(r"^\/\-\a$", "/-a")  # Annex B: \a is just "a", not BEL
    assert search(r"^\cJ$", "\n")
    assert search(r"^\x41\u0042$", "AB")
    assert search(r"^[\b]$", "\x08")


def test_translation_is_cached_and_compiled_once():
    assert compile_ecma(ONE_LINE) is compile_ecma(ONE_LINE)
    assert translate(r"\.svg$") == r"\.svg\Z"


@pytest.mark.parametrize("pattern", ["(", "[abc", "a\\", "(?i)a", "a{2,1}"])
def test_invalid_or_unsupported_patterns_raise_a_clear_error(pattern):
    with pytest.raises(EcmaRegexError):
        compile_ecma(pattern)


def test_search_is_unanchored_like_regexp_test():
    assert search(r"svg", "a.svg.png")
    assert not search(r"\.svg$", "a.svg.png")
