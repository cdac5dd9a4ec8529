"""A real, non-editable install finds its schemas (what pre-commit does).

pre-commit installs the hook repository with a plain `pip install .` into its
own environment and runs `ldkit` from the partner's repository, far from our
source tree. The schemas live at the repository root, so only the wheel's
force-include puts them where an installed `ldkit` can find them. This test
builds and installs the package exactly that way (hatchling is fetched from
PyPI by pip's build isolation) and validates from a directory outside the tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--no-deps", str(REPO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert install.returncode == 0, f"pip install failed:\n{install.stdout}\n{install.stderr}"
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS")}
    return subprocess.run(
        [str(venv / "bin" / "ldkit"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_installed_package_carries_its_schemas_outside_the_source_tree(installed, tmp_path):
    probe = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import ldkit, ldkit.schema.files as s; print(ldkit.__file__); print(s.schemas_root())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        check=True,
    )
    package_file, schemas = probe.stdout.splitlines()
    assert Path(package_file).is_relative_to(installed)
    assert Path(schemas) == Path(package_file).parent / "schemas"
    shipped = sorted(p.relative_to(schemas).as_posix() for p in Path(schemas).rglob("*.json"))
    in_repo = sorted(
        p.relative_to(REPO / "schemas").as_posix() for p in (REPO / "schemas").rglob("*.json")
    )
    assert shipped == in_repo


def test_installed_ldkit_validates_the_dynatrace_integration_cleanly(installed, tmp_path):
    shutil.copytree(REPO / "integrations" / "dynatrace", tmp_path / "dynatrace")
    result = _run(installed, tmp_path, "validate", "dynatrace", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["summary"] == {"files": len(report["files"]), "errors": 0, "warnings": 0}
    assert report["files"][0]["path"] == "dynatrace/manifest.json"


def test_installed_ldkit_applies_the_schema(installed, tmp_path):
    """A clean result could also mean "no schema"; a broken copy proves it is used."""
    target = tmp_path / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", target)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["version"] = "1.0.0\n"
    manifest["capabilities"]["trigger"]["parser"]["eventname"] = "/title"
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    result = _run(installed, tmp_path, "validate", "dynatrace", "--format", "json")
    assert result.returncode == 1
    found = {(f["rule"], f["pointer"]) for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert {("LD105", "/version"), ("LD102", "/capabilities/trigger/parser/eventname")} <= found
