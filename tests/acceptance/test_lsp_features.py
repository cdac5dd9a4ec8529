"""`ldkit lsp` beyond diagnostics: quick fixes that apply, completion from the
schema and the samples, hover on keys, placeholders and pointers, and go to
definition, each asked over JSON-RPC as an editor asks."""

from __future__ import annotations

import shutil

import pytest
from _lsp_harness import REPO, editor
from lsprotocol import types

#: Each test starts the server and talks to it: the slow lane.
pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

MANIFEST = "integrations/dynatrace/manifest.json"
PAYLOAD = "integrations/dynatrace/payloads/recommended.json"


@pytest.fixture
def root(tmp_path):
    shutil.copytree(REPO / "integrations" / "dynatrace", tmp_path / "integrations" / "dynatrace")
    shutil.copytree(
        REPO / "tests" / "fixtures" / "schema" / "typos", tmp_path / "integrations" / "typos"
    )
    return tmp_path


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """The text after `edits` (ASCII text: UTF-16 offsets are characters)."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def identifier(session, relative):
    return types.TextDocumentIdentifier(uri=session.uri(relative))


async def actions_for(session, relative, diagnostic):
    return await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=identifier(session, relative),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


async def test_did_you_mean_fixes_apply_and_the_finding_goes(root):
    relative = "integrations/typos/manifest.json"
    text = (root / relative).read_text()
    async with editor(root) as session:
        session.open(relative)
        found = await session.diagnostics(relative, 1)
        typo = next(d for d in found if '"overveiw"' in d.message)
        actions = await actions_for(session, relative, typo)
        fix = next(a for a in actions if a.is_preferred)
        assert fix.title == 'Change to "overview"'
        fixed = apply(text, fix.edit.changes[session.uri(relative)])
        assert '"overview":' in fixed and "overveiw" not in fixed
        start = len(session.published.log)
        version = session.change(relative, fixed)
        after = await session.diagnostics(relative, version, after=start)
    # the misspelt key stands for the required key it misses (one finding, the
    # cause model), and it goes; nothing about "overview" is left
    assert not any('"overveiw"' in d.message for d in after)
    assert not any('missing the required key "overview"' in d.message for d in found + after)
    assert len(after) == len(found) - 1


async def test_a_pointer_without_its_slash_is_one_action_away(root):
    text = (root / MANIFEST).read_text().replace('"eventName": "/title"', '"eventName": "title"')
    async with editor(root) as session:
        session.open(MANIFEST, text)
        [finding] = await session.diagnostics(MANIFEST, 1)
        actions = await actions_for(session, MANIFEST, finding)
        fix = next(a for a in actions if a.is_preferred)
        fixed = apply(text, fix.edit.changes[session.uri(MANIFEST)])
        ignore = next(a for a in actions if "Ignore LD410" in a.title)
    assert fixed == (root / MANIFEST).read_text()
    # the per-path ignore creates .ldkit.toml with the manifest's entry
    create, edit = ignore.edit.document_changes
    assert create.uri == (root / ".ldkit.toml").as_uri()
    assert edit.edits[0].new_text == (
        '[per-path-ignores]\n"integrations/dynatrace/manifest.json" = ["LD410"]\n'
    )


async def test_an_unquoted_placeholder_is_quoted_by_its_fix(root):
    good = (root / PAYLOAD).read_text()
    bad = good.replace('"{ProblemTitle}"', "{ProblemTitle}")
    async with editor(root) as session:
        session.open(PAYLOAD, bad)
        found = await session.diagnostics(PAYLOAD, 1)
        unquoted = next(d for d in found if d.code == "LD600")
        actions = await actions_for(session, PAYLOAD, unquoted)
    fix = next(a for a in actions if a.is_preferred)
    assert fix.title == "Put {ProblemTitle} in double quotes"
    assert apply(bad, fix.edit.changes[session.uri(PAYLOAD)]) == good


async def test_completion_offers_schema_keys_enum_values_pointers_and_placeholders(root):
    text = (root / MANIFEST).read_text()
    typed = text.replace('"parser": {', '"parser": {\n        "', 1)
    line = typed[: typed.index('"parser": {')].count("\n") + 1
    async with editor(root) as session:
        session.open(MANIFEST, typed)
        keys = await session.client.text_document_completion_async(
            types.CompletionParams(
                text_document=identifier(session, MANIFEST),
                position=types.Position(line=line, character=9),
            )
        )
        pointer_line = typed.splitlines().index('        "eventName": "/title",')
        pointers = await session.client.text_document_completion_async(
            types.CompletionParams(
                text_document=identifier(session, MANIFEST),
                position=types.Position(line=pointer_line, character=23),
            )
        )
        category_line = typed.splitlines().index('  "categories": ["monitoring", "automation"],')
        categories = await session.client.text_document_completion_async(
            types.CompletionParams(
                text_document=identifier(session, MANIFEST),
                position=types.Position(line=category_line, character=19),
            )
        )
        session.open(PAYLOAD)
        placeholders = await session.client.text_document_completion_async(
            types.CompletionParams(
                text_document=identifier(session, PAYLOAD),
                position=types.Position(line=0, character=10),
            )
        )
    assert {item.label for item in keys.items} == {"eventName", "value", "url"}
    assert {"/title", "/url"} <= {item.label for item in pointers.items}
    assert "monitoring" in {item.label for item in categories.items}
    assert "analytics" in {item.label for item in categories.items}
    assert {"{ProblemTitle}", "{ImpactedEntities}", "{ProblemDetailsJSONv2}"} <= {
        item.label for item in placeholders.items
    }


async def test_hover_on_a_key_a_placeholder_and_a_parser_pointer(root):
    text = (root / MANIFEST).read_text()
    lines = text.splitlines()
    pointer_line = lines.index('        "eventName": "/title",')
    async with editor(root) as session:
        session.open(MANIFEST)
        on_key = await session.client.text_document_hover_async(
            types.HoverParams(
                text_document=identifier(session, MANIFEST),
                position=types.Position(line=pointer_line, character=10),
            )
        )
        on_pointer = await session.client.text_document_hover_async(
            types.HoverParams(
                text_document=identifier(session, MANIFEST),
                position=types.Position(line=pointer_line, character=23),
            )
        )
        session.open(PAYLOAD)
        on_placeholder = await session.client.text_document_hover_async(
            types.HoverParams(
                text_document=identifier(session, PAYLOAD),
                position=types.Position(line=0, character=13),
            )
        )
    assert "**Event name pointer**" in on_key.contents.value
    assert "`/title` reads, from the sample cases:" in on_pointer.contents.value
    assert 'replays/problem-opened.case.json: `"Response time degradation' in (
        on_pointer.contents.value
    )
    assert "`{ProblemTitle}`: short description of the problem" in on_placeholder.contents.value
    assert "- the test notification: `Dynatrace problem notification test run`" in (
        on_placeholder.contents.value
    )
    assert "memory-exhausted-opened.problem.json: `Memory resources exhausted`" in (
        on_placeholder.contents.value
    )


async def test_go_to_definition_from_an_icon_and_a_template_path(root):
    text = (root / MANIFEST).read_text()
    lines = text.splitlines()
    icon_line = next(i for i, line in enumerate(lines) if '"square":' in line)
    async with editor(root) as session:
        session.open(MANIFEST)
        found = await session.client.text_document_definition_async(
            types.DefinitionParams(
                text_document=identifier(session, MANIFEST),
                position=types.Position(line=icon_line, character=lines[icon_line].index(".svg")),
            )
        )
        nowhere = await session.client.text_document_definition_async(
            types.DefinitionParams(
                text_document=identifier(session, MANIFEST),
                position=types.Position(line=1, character=12),
            )
        )
    value = lines[icon_line].split('"')[3]
    assert found.uri == (root / "integrations" / "dynatrace" / value).resolve().as_uri()
    assert nowhere is None
