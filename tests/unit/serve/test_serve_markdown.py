"""The change-history renderer: the Markdown the trigger core writes becomes
escaped HTML with http(s) links only, whatever a body tried to smuggle in."""

from __future__ import annotations

import pytest

from ldkit.serve.markdown import render, render_inline
from ldkit.trigger.core import escape_markdown, link_target

REL = 'rel="noopener noreferrer nofollow" referrerpolicy="no-referrer"'


def test_a_link_with_an_https_target_becomes_an_anchor():
    assert render("[Disk full](https://abc.live.dynatrace.com/#problems)") == (
        f'<p><a href="https://abc.live.dynatrace.com/#problems" {REL}>Disk full</a></p>'
    )


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "//evil.example/x",
        "/relative",
        "https:/missing-slash",
    ],
)
def test_any_other_target_stays_text(target):
    html = render(f"[click]({target})")
    assert "<a " not in html
    assert "click" in html


def test_html_in_text_and_labels_is_escaped():
    assert render_inline('<img src=x onerror="alert(1)"> & co') == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co"
    )
    html = render_inline('[<b>bold</b>](https://x.example/?a=1&b="2")')
    assert html == (
        f'<a href="https://x.example/?a=1&amp;b=&quot;2&quot;" {REL}>&lt;b&gt;bold&lt;/b&gt;</a>'
    )


def test_backslash_escapes_render_as_the_character():
    assert render_inline(r"\[not a link\]\(https://x.example\)") == (
        "[not a link](https://x.example)"
    )


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "*emph* _u_ `code` ![img](https://i.example/a.png)",
        '"><svg onload=alert(1)>',
        "a\\b [c] (d) <e> &f;",
    ],
)
def test_whatever_the_trigger_core_escapes_renders_back_as_the_same_text(name):
    html = render(escape_markdown(name))
    import html as stdlib_html

    assert html.startswith("<p>") and html.endswith("</p>")
    assert "<a " not in html and "<script" not in html and "<svg" not in html
    assert stdlib_html.unescape(html[3:-4]) == name


def test_an_escaped_name_linked_to_a_hostile_url_target_keeps_one_link():
    description = (
        f"[{escape_markdown('Deploy <b>v2</b>')}]({link_target('https://x.example/a b)')})"
    )
    html = render(description)
    assert html.count("<a ") == 1
    assert 'href="https://x.example/a%20b%29"' in html
    assert ">Deploy &lt;b&gt;v2&lt;/b&gt;</a>" in html


def test_paragraphs_and_line_breaks():
    assert render("one\ntwo\n\nValue: 3") == "<p>one<br>two</p><p>Value: 3</p>"
    assert render("") == ""
