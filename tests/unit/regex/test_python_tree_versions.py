"""The safety net over Python's regex tree sees the same constructs on every
Python from 3.10 to 3.13, although their parse trees differ."""

from __future__ import annotations

import pytest

from _regex_python_tree import python_tree_re2_constructs
from ldkit.regex.check import analyse


@pytest.mark.parametrize("pattern", [r"(?!)a", r"(?<!)a"])
def test_an_empty_negative_look_around_is_a_look_around(pattern):
    """Python 3.13 parses it as "always fail"; RE2 still rejects the syntax."""
    assert python_tree_re2_constructs(pattern) == {"ASSERT_NOT"}


@pytest.mark.parametrize(
    ("pattern", "advice"),
    [(r"(?>ab)c", "write a plain group `(?:…)`"), (r"a*+b", "write `*`")],
)
def test_atomic_groups_and_possessive_quantifiers_are_re2_problems_everywhere(pattern, advice):
    """Python 3.10 cannot compile them at all; the finding is the same as on 3.11+."""
    [problem] = analyse(pattern)
    assert problem.kind == "re2"
    assert advice in problem.message
