"""`ldkit lsp` publishes what `ldkit validate` prints, for the same content:
same rule, severity, message and position, in the same files."""

from __future__ import annotations

import json
import subprocess

import pytest
from _lsp_harness import REPO, editor, ldkit_script
from lsprotocol import types

#: Each test starts the server and talks to it: the slow lane.
pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

SEVERITIES = {types.DiagnosticSeverity.Error: "error", types.DiagnosticSeverity.Warning: "warning"}


def cli_findings(tree: str) -> set[tuple[str, int, int, str, str, str]]:
    """(path, line, column, rule, severity, message) of `ldkit validate --format json TREE`, run
    from the repository root."""
    done = subprocess.run(
        [ldkit_script(), "validate", "--format", "json", tree],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    return {
        (f["path"], f["line"], f["column"], f["rule"], f["severity"], f["message"])
        for result in report["files"]
        for f in result["findings"]
    }


def published(found: dict[str, list[types.Diagnostic]]) -> set[tuple[str, int, int, str, str, str]]:
    """The same tuples from published diagnostics (LSP positions are 0-based; these
    fixtures are ASCII, so UTF-16 columns are the CLI's code-point columns)."""
    rows = set()
    for uri, diagnostics in found.items():
        path = uri.removeprefix(REPO.as_uri() + "/")
        for d in diagnostics:
            rows.add(
                (
                    path,
                    d.range.start.line + 1,
                    d.range.start.character + 1,
                    str(d.code),
                    SEVERITIES[d.severity],
                    d.message,
                )
            )
    return rows


#: Fixture trees whose every manifest is opened (each opens its integration).
TREES = [
    "integrations/dynatrace",
    "tests/fixtures/replay/broken-cases",
    "tests/fixtures/templates/bad-json",
    "tests/fixtures/trigger/samples-contradict",
    "tests/fixtures/schema/typos",
    "tests/fixtures/upstream/fmt-crlf",
    "tests/fixtures/upstream/duplicate-keys",
    "tests/fixtures/preview/acme-events",
    "tests/fixtures/validate/repo",
    "tests/fixtures/validate/broken-syntax",
]


@pytest.mark.parametrize("tree", TREES)
async def test_published_diagnostics_equal_the_cli_report(tree):
    expected = cli_findings(tree)
    manifests = sorted((REPO / tree).rglob("manifest.json"))
    assert manifests
    async with editor(REPO) as session:
        for manifest in manifests:
            relative = manifest.relative_to(REPO).as_posix()
            session.open(relative)
            await session.diagnostics(relative)
        assert published(session.all_latest()) == expected
