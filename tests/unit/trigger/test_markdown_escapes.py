"""Event names come from the internet: the change-history description must show them as text.

Checked against cmark-gfm (GitHub's renderer): escaping `@` does not stop its
e-mail autolinks, because it joins text before looking for addresses, and four
leading spaces start an indented code block.
"""

from __future__ import annotations

from ldkit.trigger.core import escape_markdown


def test_gfm_email_autolink_is_broken_by_a_word_joiner_after_the_at_sign():
    assert escape_markdown("alice@example.com") == "alice\\@\u2060example\\.com"


def test_gfm_indented_code_block_cannot_start_an_event_name():
    assert escape_markdown("    rm -rf /") == "rm \\-rf /"
    assert escape_markdown("\t\tcode") == "code"
