"""The guard on `ldkit validate`'s path: what validating one manifest imports
and which files it reads, counted exactly in a fresh process (no timing, so it
cannot flake). Every heavy stack stays off the path (jsonschema and
referencing, Jinja2, the web server, the HCL and YAML parsers, the language
server); the process reads the manifest and the files it names, the bundled
schema's files (to name the precompiled tree) and that one cached tree, and
nothing twice. A change that adds an import or a read here should be a choice;
docs/performance.md says what each costs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from ldkit.schema.files import schemas_root

HEAVY = (
    "jsonschema",
    "referencing",
    "jinja2",
    "starlette",
    "uvicorn",
    "anyio",
    "hcl2",
    "lark",
    "yaml",
    "pygls",
    "ldkit.serve",
)
GOOD = FIXTURES / "schema-checkout" / "fork" / "integrations" / "acme-notes"

# Runs `ldkit validate` with an audit hook that records every file opened,
# then writes what was opened and imported to the file named by argv[1].
PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" else None)
from ldkit.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules),
               "opened": [str(p) for p in opened if isinstance(p, (str, bytes))]}, out)
"""


def _validate(repo: Path, cache: Path, *args: str) -> dict:
    probe = repo.parent / "probe.json"
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONPATH")}
    env.update(LDKIT_CACHE_DIR=str(cache), NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(probe), "validate", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    result = json.loads(probe.read_text(encoding="utf-8"))
    result["opened"] = [p for p in result["opened"] if p != str(probe)]  # the probe's own
    return result


def _data_files(opened: list[str], cwd: Path) -> list[str]:
    """The files read that are not Python code being imported, as absolute paths
    (an attempt on a file that does not exist, such as a missing
    .prettierignore, reads nothing)."""
    code = (".py", ".pyc", ".so", ".pth")
    found = [os.path.normpath(os.path.join(cwd, p)) for p in opened if not p.endswith(code)]
    return [p for p in found if os.path.isfile(p)]


@pytest.fixture
def repo(tmp_path) -> Path:
    """A partner repository holding the Dynatrace integration: a manifest with
    icons, payload templates, problem samples and replay cases."""
    root = tmp_path / "partner"
    shutil.copytree(REPO / "integrations" / "dynatrace", root / "integrations" / "dynatrace")
    return root


MANIFEST = "integrations/dynatrace/manifest.json"


def test_validating_one_manifest_imports_none_of_the_heavy_stacks(repo, tmp_path):
    # The first run fills the user's cache (the schema tree, the workflow's
    # findings and requests, which need Jinja2); every later run, a pre-commit
    # hook's on each commit, stays off the heavy stacks.
    _validate(repo, tmp_path / "cache", MANIFEST)
    result = _validate(repo, tmp_path / "cache", MANIFEST)
    assert result["code"] == 0
    assert [m for m in result["modules"] if m.split(".")[0] in HEAVY or m in HEAVY] == []


def test_validating_one_manifest_reads_its_integration_the_schema_and_one_cached_tree(
    repo, tmp_path
):
    cache = tmp_path / "cache"
    _validate(repo, cache, MANIFEST)  # the first run builds and stores the cache entries
    entries = sorted(str(p) for p in cache.iterdir())
    assert [Path(e).name.split("-")[0] for e in entries].count("schema") == 1
    read = _data_files(_validate(repo, cache, MANIFEST)["opened"], repo)
    integration = repo / "integrations" / "dynatrace"

    schema = sorted(str(p) for p in (schemas_root() / "manifest").rglob("*.json"))
    assert sorted(p for p in read if p in schema) == schema  # each once: they name the tree
    counts = {Path(e).name: read.count(e) for e in entries}
    schema_entry = next(e for e in entries if Path(e).name.startswith("schema-"))
    assert read.count(schema_entry) == 1
    # A workflow's cached request is read by each rule that replays its case,
    # like the case itself: at most twice.
    assert all(1 <= read.count(e) <= 2 for e in entries), counts
    ours = [p for p in read if Path(p).is_relative_to(integration)]
    package = [p for p in read if Path(p).is_relative_to(REPO / "tools")]
    assert len(package) == 1  # the audit-log sample context
    assert sorted(set(read) - set(ours) - set(package) - set(schema) - set(entries)) == [
        str(schemas_root() / "manifest" / "UPSTREAM"),
        str(schemas_root() / "replay" / "case.schema.json"),
    ]
    # Every file of the integration that validate checks is read, the README is not.
    names = {os.path.relpath(p, integration) for p in ours}
    assert "README.md" not in names and "manifest.json" in names
    assert {n.split(os.sep)[0] for n in names} == {
        "manifest.json", "assets", "templates", "payloads", "samples", "replays", "workflows",
    }  # fmt: skip
    # The budget: each file once, however many checks use it (the replay cases,
    # the samples and the payload the chain cases name are read through the
    # run's `ldkit.fs.Reads`; see docs/performance.md).
    twice = sorted(p for p in set(ours) if ours.count(p) > 1)
    assert twice == [], f"{len(ours)} reads of {len(set(ours))} files"
