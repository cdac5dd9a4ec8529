"""The workflow expression renderer: Dynatrace's functions as documented, the
strict readings where Dynatrace documents nothing, and a sandbox whose budgets
stop a hostile expression within seconds and bounded memory."""

from __future__ import annotations

import json
import time

import pytest

from ldkit.dynatrace.workflow.expressions import (
    MAX_SECONDS,
    Context,
    ExpressionError,
    outputs,
    render,
)

EVENT = {
    "event.id": "-1_1V2",
    "event.name": 'Failure on "Checkout" C:\\api\nline two',
    "event.status": "ACTIVE",
    "timestamp": "2025-11-17T09:32:05Z",
    "affected_entity_ids": ["SERVICE-1", "SERVICE-2"],
}
CONTEXT = Context(EVENT)


def test_to_json_keeps_any_title_one_json_string():
    body = render('{"title": {{ event()["event.name"] | to_json }}}', CONTEXT)
    assert json.loads(body) == {"title": EVENT["event.name"]}


def test_secret_renders_a_marker_never_a_value():
    assert render('{{ secret("ld-url") }}', CONTEXT) == "<secret:ld-url>"


def test_other_tasks_results_are_unknown_offline_and_empty():
    assert render('{{ result("fetch").records | length }}', CONTEXT) == "0"
    assert render('{{ result("fetch").records }}', CONTEXT) == '<result("fetch").records>'


def test_jinja_statements_loops_and_filters_work():
    text = "{% for e in event()['affected_entity_ids'] %}{{ e | lower }};{% endfor %}"
    assert render(text, CONTEXT) == "service-1;service-2;"


def test_a_field_the_event_lacks_is_an_error_not_an_empty_string():
    with pytest.raises(ExpressionError, match="does not have"):
        render('{{ event()["event.title"] }}', CONTEXT)
    assert render('{{ event().get("event.title", "-") }}', CONTEXT) == "-"


def test_a_syntax_error_names_its_line():
    with pytest.raises(ExpressionError) as caught:
        render('{\n  "a": {{ event( }}\n}', CONTEXT)
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "text",
    [
        '{{ "a" * 10**9 }}',
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        '{{ "x" | center(1000000000) }}',
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        '{{ "%0999999999d" % 1 }}',
        '{{ "{:>999999999}".format(1) }}',
        "{{ 2 ** 100000 }}",
        '{{ range(100000) | join("x" * 100000) }}',
        '{{ ("a\\n" * 400000) | indent(1000) }}',
        "{{ lipsum(1000000) }}",
        "{{ ().__class__.__mro__ }}",
        "{{ event().clear() }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_hostile_expressions_end_as_errors_within_the_budget(text):
    started = time.monotonic()
    with pytest.raises(ExpressionError):
        render(text, CONTEXT)
    assert time.monotonic() - started < MAX_SECONDS + 1


def test_event_text_is_never_evaluated_again():
    event = dict(EVENT, **{"event.name": '{{ secret("x") }}{% raw %}'})
    assert render('{{ event()["event.name"] }}', Context(event)) == '{{ secret("x") }}{% raw %}'


def test_outputs_tell_escaped_event_text_from_raw_and_from_system_fields():
    found = outputs(
        '{"a": "{{ event()["event.name"] }}", "b": {{ event()["event.name"] | to_json }}, '
        '"c": "{{ event()["event.id"] }}"}'
    )
    assert [(o.reads_event, o.escaped) for o in found] == [
        (True, False),
        (True, True),
        (False, False),
    ]
    assert found[0].source == '{{ event()["event.name"] }}'
