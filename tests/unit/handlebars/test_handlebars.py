"""Specification of ldkit's Handlebars subset (Handlebars.js 4.7.7 semantics, strict mode).

The strict-mode cases follow Handlebars.js 4.7 strict mode
(https://handlebarsjs.com/api-reference/compilation.html) rule by rule; each one
decides whether LaunchDarkly accepts a template, so each has its own test.
"""

from __future__ import annotations

import pytest

from ldkit.handlebars import (
    TemplateRenderError,
    TemplateSyntaxError,
    compile_template,
    render,
)

CTX = {
    "name": "Checkout <beta>",
    "nul": None,
    "num": 5,
    "zero": 0,
    "empty": "",
    "flag": True,
    "a": {"b": 7, "c": {"d": "deep"}},
    "arr": ["x", "y", "z"],
    "none": [],
    "obj": {"k1": "v1", "k2": "v2"},
    "member": {"email": "p@example.com"},
    "items": [{"n": 1}, {"n": 2}],
}


def throws(template: str, context: object = CTX) -> TemplateRenderError:
    with pytest.raises(TemplateRenderError) as info:
        render(template, context)
    return info.value


# --- strict mode: what throws ---------------------------------------------------------


def test_strict_missing_simple_field_throws_at_its_position():
    error = throws("ok\n  {{missing}}")
    assert (error.line, error.column) == (2, 5)
    assert "'missing' is not defined" in error.message


def test_strict_missing_nested_field_throws():
    error = throws("{{a.missing}}")
    assert "there is no 'missing' in 'a'" in error.message


def test_strict_path_through_null_throws():
    error = throws("{{nul.x}}")
    assert "'nul.x' is not defined" in error.message


def test_strict_path_through_a_number_throws():
    throws("{{a.b.c}}")


def test_strict_missing_field_inside_each_throws():
    error = throws("{{#each items}}{{missingInItem}}{{/each}}")
    assert error.column == 18


def test_strict_missing_field_inside_with_throws():
    throws("{{#with member}}{{name}}{{/with}}", {"member": {"email": "e"}, "x": 1})


def test_helper_parameter_with_missing_intermediate_segment_throws():
    error = throws("{{#if x.y}}yes{{/if}}")
    assert "cannot read 'y' of undefined" in error.message
    throws("{{#if nul.y}}yes{{/if}}")


def test_unknown_helper_with_arguments_throws():
    error = throws("{{edgeGridAuth 'GET' '/path' hostname}}")
    assert "unknown helper 'edgeGridAuth'" in error.message


def test_missing_partial_throws():
    error = throws("before {{> footer}}")
    assert "partial 'footer'" in error.message
    assert error.column == 8


@pytest.mark.parametrize(
    ("template", "line", "column"),
    [
        ("{{#if a}}x", 1, 1),
        ("{{#if a}}\n{{/each}}", 2, 1),
        ("{{foo", 1, 1),
        ("text {{/if}}", 1, 6),
        ('{{"unterminated}}', 1, 3),
    ],
)
def test_parse_errors_carry_line_and_column(template, line, column):
    with pytest.raises(TemplateSyntaxError) as info:
        compile_template(template)
    assert (info.value.line, info.value.column) == (line, column)


# --- strict mode: what does not throw ------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "{{#if missing}}y{{/if}}",
        "{{#each missing}}y{{/each}}",
        "{{#with missing}}y{{/with}}",
        "{{#unless missing}}y{{/unless}}",
        '{{#equal missing "x"}}y{{/equal}}',
    ],
)
def test_missing_simple_helper_parameter_does_not_throw(template):
    assert render(template, CTX) in ("", "y")


def test_query_encode_of_missing_value_renders_undefined():
    assert render("{{queryEncode missing}}", CTX) == "undefined"


def test_null_value_renders_empty():
    assert render("[{{nul}}]", CTX) == "[]"


def test_lookup_of_absent_key_renders_empty():
    assert render('[{{lookup obj "absent"}}]', CTX) == "[]"


def test_parent_path_reaches_the_enclosing_context():
    assert render("{{#with a}}{{../num}}{{/with}}", CTX) == "5"


def test_parent_path_does_not_count_if_blocks_as_a_level():
    throws("{{#if flag}}{{../num}}{{/if}}")


# --- escaping and output -------------------------------------------------------


def test_double_stash_escapes_the_seven_html_characters():
    assert render("{{v}}", {"v": "&<>\"'`="}) == "&amp;&lt;&gt;&quot;&#x27;&#x60;&#x3D;"


def test_triple_stash_and_ampersand_do_not_escape():
    assert render("{{{name}}}|{{&name}}", CTX) == "Checkout <beta>|Checkout <beta>"


def test_values_print_like_javascript():
    context = {"t": True, "f": False, "z": 0, "fl": 2.50, "l": [1, None, "a"], "o": {}}
    assert render("{{t}} {{f}} {{z}} {{fl}} {{l}} {{o}}", context) == (
        "true false 0 2.5 1,,a [object Object]"
    )


def test_comments_render_nothing():
    assert render("a{{! short }}b{{!-- {{long}} --}}c", CTX) == "abc"


def test_tilde_strips_whitespace_on_its_side():
    assert render("a  {{~num~}}  b", CTX) == "a5b"


def test_standalone_block_lines_are_removed():
    template = "[\n  {{#each arr}}\n  {{this}}\n  {{/each}}\n]"
    assert render(template, CTX) == "[\n  x\n  y\n  z\n]"


def test_escaped_mustache_is_literal_text():
    assert render("\\{{num}} {{num}}", CTX) == "{{num}} 5"


# --- paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    ["{{a.c.d}}", "{{a/c/d}}", "{{this.a.c.d}}", "{{./a.c.d}}", "{{[a].c.[d]}}", "{{@root.a.c.d}}"],
)
def test_path_forms_resolve_the_same_field(template):
    assert render(template, CTX) == "deep"


def test_each_over_array_sets_index_first_last():
    template = (
        "{{#each arr}}{{@index}}{{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}} {{/each}}"
    )
    assert render(template, CTX) == "0xF 1y 2zL "


def test_each_over_object_sets_key():
    assert render("{{#each obj}}{{@key}}={{.}};{{/each}}", CTX) == "k1=v1;k2=v2;"


def test_each_else_renders_for_empty_list():
    assert render("{{#each none}}x{{else}}empty{{/each}}", CTX) == "empty"


def test_block_params_are_undefined_in_strict_mode_as_in_handlebars_4_7_7():
    # Handlebars.js 4.7.7 compiled with `strict: true` never binds `as |...|` names.
    assert render("{{#each arr as |item i|}}[{{i}}{{item}}]{{/each}}", CTX) == "[][][]"
    throws("{{#with a as |x|}}{{x.b}}{{/with}}")


def test_numeric_path_segment_needs_brackets():
    with pytest.raises(TemplateSyntaxError) as info:
        compile_template("{{arr.1}}")
    assert info.value.column == 7 and "write 'arr.[1]'" in info.value.message
    assert render("{{arr.[1]}}", CTX) == "y"


# --- block helpers and sections --------------------------------------------------


def test_if_treats_zero_empty_string_and_empty_list_as_false():
    assert render("{{#if zero}}a{{else}}b{{/if}}{{#if empty}}a{{^}}b{{/if}}", CTX) == "bb"
    assert render("{{#if none}}a{{else}}b{{/if}}{{#if obj}}a{{/if}}", CTX) == "ba"


def test_else_if_chains():
    template = "{{#if nul}}1{{else if zero}}2{{else if num}}3{{else}}4{{/if}}"
    assert render(template, CTX) == "3"


def test_unless_inverts_if():
    assert render("{{#unless flag}}a{{else}}b{{/unless}}", CTX) == "b"


def test_inverse_section_renders_for_falsy_value():
    assert render("{{^none}}nothing{{/none}}{{^flag}}hidden{{/flag}}", CTX) == "nothing"


def test_section_over_object_changes_context():
    assert render("{{#a}}{{b}}{{/a}}", CTX) == "7"


def test_with_changes_context_and_has_else():
    assert render("{{#with a.c}}{{d}}{{/with}}{{#with nul}}x{{else}}y{{/with}}", CTX) == "deepy"


def test_equal_uses_javascript_strict_equality():
    template = '{{#equal num 5}}a{{else}}b{{/equal}}{{#equal num "5"}}a{{else}}b{{/equal}}'
    assert render(template, CTX) == "ab"
    assert render("{{#equalWithElse flag 1}}a{{else}}b{{/equalWithElse}}", CTX) == "b"


def test_lookup_and_log():
    assert render("{{lookup arr 1}}{{log 'x'}}", CTX) == "y"


def test_subexpressions_and_hash_arguments():
    assert render("{{#if (lookup obj 'k1') includeZero=true}}yes{{/if}}", CTX) == "yes"


# --- LaunchDarkly helpers ---------------------------------------------------------


def test_path_encode_is_encode_uri():
    assert render("{{{pathEncode v}}}", {"v": "a b/ü?x=1#f"}) == "a%20b/%C3%BC?x=1#f"


def test_query_encode_is_encode_uri_component():
    assert render("{{{queryEncode v}}}", {"v": "a b/ü?x=1#f!'()*~"}) == (
        "a%20b%2F%C3%BC%3Fx%3D1%23f!'()*~"
    )


def test_basic_auth_header_value():
    assert (
        render('{{basicAuthHeaderValue "user" "päss"}}', CTX) == "Basic dXNlcjpww6Rzcw&#x3D;&#x3D;"
    )


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("milliseconds", "3660000"),
        ("seconds", "3660"),
        ("rfc3339", "1970-01-01T01:01:00.000Z"),
        ("other", "3660000"),
    ],
)
def test_format_with_offset(fmt, expected):
    assert render('{{formatWithOffset ms 3600 "' + fmt + '"}}', {"ms": 60000}) == expected


def test_format_with_offset_simple_uses_twelve_hour_clock(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        out = render('{{formatWithOffset ms 0 "simple"}}', {"ms": 13 * 3600 * 1000 + 5000})
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert out == "1970-01-01 1:00:05"


def test_inline_use_of_a_block_helper_throws():
    throws("{{equal num 5}}")
    throws("{{#if}}x{{/if}}")


def test_compile_cache_returns_the_same_template():
    assert compile_template("{{num}}") is compile_template("{{num}}")


def test_standalone_comment_keeps_trailing_spaces_of_the_line_before():
    # JavaScript's `$` does not match before a final newline; Python's does.
    assert render("  \n{{!-- c --}}\n  {{num}}\n", CTX) == "  \n  5\n"


def test_standalone_else_lines_are_removed():
    assert render("{{#if flag}}\n a\n{{else}}\n b\n{{/if}}\n", CTX) == " a\n"


def test_absurd_nesting_is_a_syntax_error_not_a_crash():
    with pytest.raises(TemplateSyntaxError) as info:
        compile_template("{{#if a}}" * 500 + "{{/if}}" * 500)
    assert "nested more than 64 levels" in info.value.message
    with pytest.raises(TemplateSyntaxError):
        compile_template("{{x " + "(lookup " * 300 + "a" + ")" * 300 + "}}")
    assert render("{{#if flag}}" * 60 + "deep" + "{{/if}}" * 60, CTX) == "deep"
