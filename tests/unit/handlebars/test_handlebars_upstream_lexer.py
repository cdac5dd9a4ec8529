"""Handlebars.js lexer behaviours that decide whether LaunchDarkly accepts a template.

Each test is named for what Handlebars.js 4.7.7 does (checked against the real
library; see golden.json in tests/fixtures/handlebars/).
"""

from __future__ import annotations

import pytest

from ldkit.handlebars import TemplateRenderError, TemplateSyntaxError, compile_template

FLAG_EVENT = {"title": {"plainText": "Flag updated"}, "context": {"key": "ctx-1"}}


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\u2028", "\u2029", "\u00a0", "\ufeff"])
def test_handlebars_lexer_skips_whitespace_before_a_path_dot(space):
    template = compile_template("{{{title" + space + ".plainText}}}")
    assert template.render(FLAG_EVENT) == "Flag updated"


def test_handlebars_lexer_reads_context_dot_key_with_a_space_as_one_path():
    assert compile_template("{{context .key}}").render(FLAG_EVENT) == "ctx-1"


def test_handlebars_lexer_skips_whitespace_around_a_slash_separator():
    assert compile_template("{{context / key}}").render(FLAG_EVENT) == "ctx-1"


def test_handlebars_whitespace_after_the_dot_makes_a_helper_call_that_throws():
    template = compile_template("{{title. plainText}}")
    with pytest.raises(TemplateRenderError) as info:
        template.render(FLAG_EVENT)
    assert "'title' is not a function" in info.value.message


def test_handlebars_lexer_does_not_treat_u001c_as_whitespace():
    with pytest.raises(TemplateRenderError) as info:
        compile_template("{{title\u001c.plainText}}").render(FLAG_EVENT)
    assert "'title\u001c' is missing" in info.value.message


def test_handlebars_raw_block_calls_its_helper_and_throws_raw_not_defined_when_rendered():
    template = compile_template('{"text": "{{{{raw}}}}{{title}}{{{{/raw}}}}"}')
    with pytest.raises(TemplateRenderError) as info:
        template.render(FLAG_EVENT)
    assert "'raw' is not defined" in info.value.message
    assert (info.value.line, info.value.column) == (1, 15)


def test_handlebars_raw_block_in_a_branch_that_does_not_render_is_accepted():
    template = compile_template("{{#if missingIsFine}}{{{{raw}}}}x{{{{/raw}}}}{{/if}}ok")
    assert template.render({"missingIsFine": False}) == "ok"


def test_handlebars_raw_block_body_is_text_not_mustaches():
    template = compile_template("{{{{title}}}}{{not.parsed}}{{{{/title}}}}")
    assert template.render(FLAG_EVENT) == "{{not.parsed}}"


def test_handlebars_raw_block_closed_by_another_name_does_not_compile():
    with pytest.raises(TemplateSyntaxError) as info:
        compile_template("{{{{raw}}}}x{{{{/other}}}}")
    assert "expected {{{{/raw}}}}" in info.value.message
