"""The workflow check's findings come from the user's cache only while nothing
they depend on changed: an edited workflow (or sample, or manifest) is checked
again, and a damaged entry is never trusted."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO
from ldkit.checks.workflows import workflow_findings

pytestmark = pytest.mark.slow  # each test renders the workflow for every Davis sample


@pytest.fixture
def integration(tmp_path, monkeypatch):
    monkeypatch.setenv("LDKIT_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "integrations" / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", folder)
    return folder


def _workflow(folder):
    return next(p for p in sorted((folder / "workflows").iterdir()) if p.suffix == ".json")


def test_a_clean_workflow_is_stored_once_and_read_back(integration, tmp_path):
    manifest = str(integration / "manifest.json")
    assert workflow_findings(manifest, integration) == []
    entries = list((tmp_path / "cache").glob("workflow-findings-*.json"))
    assert len(entries) == 1
    assert workflow_findings(manifest, integration) == []


def test_an_edited_workflow_is_checked_again(integration):
    manifest = str(integration / "manifest.json")
    assert workflow_findings(manifest, integration) == []
    path = _workflow(integration)
    document = json.loads(path.read_text("utf-8"))
    document["schemaVersion"] = 2
    path.write_text(json.dumps(document, indent=2) + "\n", "utf-8")
    assert [f.rule for f in workflow_findings(manifest, integration)]


def test_a_forged_entry_is_ignored(integration, tmp_path):
    manifest = str(integration / "manifest.json")
    workflow_findings(manifest, integration)
    [entry] = (tmp_path / "cache").glob("workflow-findings-*.json")
    header, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(header + b"\n" + b'[["x", 1, 1, "LD999", "error", "forged", ""]]')
    assert workflow_findings(manifest, integration) == []


def test_an_editors_unsaved_manifest_is_checked_and_never_stored(integration, tmp_path):
    """`ldkit lsp` reads unsaved text through `unsaved_texts`; the disk's stamps
    do not describe it, so the cache neither answers for it nor keeps its findings."""
    from ldkit.fs import unsaved_texts

    manifest = integration / "manifest.json"
    assert workflow_findings(str(manifest), integration) == []
    broken = manifest.read_text("utf-8").replace('"eventName": "/title"', '"eventName": "/titel"')
    with unsaved_texts({str(manifest): broken.encode("utf-8")}):
        assert "LD763" in [f.rule for f in workflow_findings(str(manifest), integration)]
    assert len(list((tmp_path / "cache").glob("workflow-findings-*.json"))) == 1
    assert workflow_findings(str(manifest), integration) == []
