"""`ldkit lsp` while a partner types: unsaved text is what counts, a burst of
edits publishes once, a fix clears the file it was in, the configuration
applies, and formatting gives `ldkit format`'s bytes."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys

import pytest
from _lsp_harness import REPO, editor, ldkit_script
from lsprotocol import types

#: Each test starts the server and talks to it: the slow lane.
pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

MANIFEST = "integrations/dynatrace/manifest.json"
PAYLOAD = "integrations/dynatrace/payloads/recommended.json"
GOOD_POINTER = '"eventName": "/title"'
BAD_POINTER = '"eventName": "title"'


@pytest.fixture
def root(tmp_path):
    """A repository of our own holding a copy of the Dynatrace integration."""
    shutil.copytree(REPO / "integrations" / "dynatrace", tmp_path / "integrations" / "dynatrace")
    return tmp_path


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


async def test_the_editors_unsaved_text_is_checked_not_the_disk(root):
    on_disk = (root / MANIFEST).read_bytes()
    text = on_disk.decode()
    async with editor(root) as session:
        session.open(MANIFEST)
        assert await session.diagnostics(MANIFEST, 1) == []
        version = session.change(MANIFEST, text.replace(GOOD_POINTER, BAD_POINTER))
        found = await session.diagnostics(MANIFEST, version)
    assert codes(found) == ["LD410"]
    line = text[: text.index(GOOD_POINTER)].count("\n")
    changed = text.replace(GOOD_POINTER, BAD_POINTER).splitlines()[line]
    assert found[0].range.start == types.Position(line=line, character=changed.index('"title"'))
    assert found[0].severity == types.DiagnosticSeverity.Error
    assert (root / MANIFEST).read_bytes() == on_disk  # nothing was written


async def test_a_burst_of_edits_publishes_once_for_the_latest_version(root):
    text = (root / MANIFEST).read_text()
    async with editor(root) as session:
        session.open(MANIFEST)
        await session.diagnostics(MANIFEST, 1)
        start = len(session.published.log)
        for n in range(30):
            # every intermediate text has its own mistake; only the last one counts
            session.change(MANIFEST, text.replace(GOOD_POINTER, f'"eventName": "t{n}"'))
        last = session.change(MANIFEST, text.replace(GOOD_POINTER, BAD_POINTER))
        found = await session.diagnostics(MANIFEST, last, after=start)
        await asyncio.sleep(1.5)  # anything still in flight would arrive now
        later = [p for p in session.published.log[start:] if p.uri == session.uri(MANIFEST)]
    assert len(later) == 1
    assert later[0].version == last
    assert codes(found) == ["LD410"]
    assert "'title'" in found[0].message


async def test_files_that_depend_on_a_payload_refresh_with_it(root):
    """The replay cases that render a payload light up when it stops sending
    what the parser reads (a valid payload whose title key is renamed: the
    cases are where that shows, as `ldkit validate` reports them for that
    content) and clear when it is fixed, without being opened or touched. (A
    payload that is broken outright carries the one finding itself.)"""
    good = (root / PAYLOAD).read_text()
    bad = good.replace('"title":', '"heading":')
    assert bad != good
    case = "integrations/dynatrace/replays/chain-problem-opened.case.json"
    async with editor(root) as session:
        session.open(PAYLOAD)
        assert await session.diagnostics(PAYLOAD, 1) == []
        start = len(session.published.log)
        broken = session.change(PAYLOAD, bad)
        assert await session.diagnostics(PAYLOAD, broken, after=start) == []
        assert codes(await session.diagnostics(case, after=start)) == ["LD520"]
        start = len(session.published.log)
        fixed = session.change(PAYLOAD, good)
        assert await session.diagnostics(PAYLOAD, fixed, after=start) == []
        assert await session.diagnostics(case, after=start) == []
        assert session.all_latest() == {}


async def test_the_configuration_applies_and_its_unsaved_text_too(root):
    (root / ".ldkit.toml").write_text('ignore = ["LD410"]\n')
    text = (root / MANIFEST).read_text()
    async with editor(root) as session:
        session.open(MANIFEST)
        await session.diagnostics(MANIFEST, 1)
        version = session.change(MANIFEST, text.replace(GOOD_POINTER, BAD_POINTER))
        assert await session.diagnostics(MANIFEST, version) == []
        start = len(session.published.log)
        session.open(".ldkit.toml", 'ignore = ["LD410"]\n', language="toml")
        session.change(".ldkit.toml", "ignore = []\n")
        found = await session.diagnostics(MANIFEST, version, after=start)
        while "LD410" not in codes(found):
            start = len(session.published.log)
            found = await session.diagnostics(MANIFEST, version, after=start)
        assert codes(found) == ["LD410"]
        start = len(session.published.log)
        session.change(".ldkit.toml", 'ignore = ["LD9999"]\n')
        problems = await session.diagnostics(".ldkit.toml", after=start)
    assert len(problems) == 1
    assert "unknown rule code 'LD9999'" in problems[0].message


async def test_formatting_gives_exactly_what_ldkit_format_writes(root, tmp_path_factory):
    source = REPO / "tests" / "fixtures" / "formatting" / "unformatted" / "manifest.json"
    (root / "integrations" / "acme").mkdir()
    shutil.copy(source, root / "integrations" / "acme" / "manifest.json")
    other = tmp_path_factory.mktemp("format") / "manifest.json"
    shutil.copy(source, other)
    subprocess.run([ldkit_script(), "format", str(other)], check=True, capture_output=True)
    text = source.read_bytes().decode()
    async with editor(root) as session:
        uri = session.open("integrations/acme/manifest.json", text)
        edits = await session.client.text_document_formatting_async(
            types.DocumentFormattingParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                options=types.FormattingOptions(tab_size=4, insert_spaces=True),
            )
        )
        session.change("integrations/acme/manifest.json", other.read_text())
        again = await session.client.text_document_formatting_async(
            types.DocumentFormattingParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                options=types.FormattingOptions(tab_size=4, insert_spaces=True),
            )
        )
    assert len(edits) == 1
    assert edits[0].range.start == types.Position(line=0, character=0)
    assert edits[0].range.end == types.Position(line=text.count("\n"), character=0)
    assert edits[0].new_text.encode() == other.read_bytes()
    assert text.encode() != other.read_bytes()
    assert list(again) == []


async def test_hover_on_a_finding_explains_its_rule(root):
    text = (root / MANIFEST).read_text().replace(GOOD_POINTER, BAD_POINTER)
    async with editor(root) as session:
        session.open(MANIFEST, text)
        found = await session.diagnostics(MANIFEST, 1)
        assert codes(found) == ["LD410"]
        hover = await session.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=session.uri(MANIFEST)),
                position=found[0].range.start,
            )
        )
    from ldkit.catalogue import get_rule

    rule = get_rule("LD410")
    assert hover is not None
    assert f"**LD410** (error): {rule.title}" in hover.contents.value
    assert rule.explanation.strip()[:60] in hover.contents.value
    assert "docs/rules/LD410.md" in hover.contents.value
    assert found[0].code_description.href.endswith("docs/rules/LD410.md")


async def test_columns_are_utf16_code_units_when_the_client_speaks_utf16(root):
    text = (root / MANIFEST).read_text().replace(GOOD_POINTER, '"eventName": "t\U0001f600"')
    async with editor(root) as session:
        session.open(MANIFEST, text)
        [found] = await session.diagnostics(MANIFEST, 1)
    line = text.splitlines()[found.range.start.line]
    assert found.code == "LD410"
    assert found.range.start.character == line.index('"t')
    # the string "t😀" with its quotes: 4 code points, 5 UTF-16 code units
    assert found.range.end.character - found.range.start.character == 5


async def test_python_dash_m_ldkit_lsp_is_the_same_server(root):
    text = (root / MANIFEST).read_text().replace(GOOD_POINTER, BAD_POINTER)
    async with editor(root, command=[sys.executable, "-m", "ldkit", "lsp", "--stdio"]) as session:
        session.open(MANIFEST, text)
        assert codes(await session.diagnostics(MANIFEST, 1)) == ["LD410"]
