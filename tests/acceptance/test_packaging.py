"""The release artefacts: the sdist, the wheel built from it, and that wheel
installed the way a user installs it.

The release workflow publishes exactly what `python -m build` makes: an sdist,
and a wheel built from that sdist (so a file missing from the sdist breaks the
wheel here, not on PyPI). The wheel is installed into a fresh virtual
environment with its dependencies, and the installed `ldkit` runs from a folder
far from the source tree: only what the wheel carries (schemas, scaffold
templates) can be found there.
"""

from __future__ import annotations

import email
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from pathlib import Path

import pytest

from conftest import REPO
from ldkit import __version__

DIST_NAME = "ld_integration_kit"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """`python -m build` output: the sdist, then the wheel built from it. The dev
    extra provides hatchling, so no build environment is downloaded."""
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> Path:
    [found] = dist.glob(f"{DIST_NAME}-{__version__}-py3-none-any.whl")
    return found


@pytest.fixture(scope="module")
def sdist(dist) -> Path:
    [found] = dist.glob(f"{DIST_NAME}-{__version__}.tar.gz")
    return found


@pytest.fixture(scope="module")
def metadata(wheel) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{DIST_NAME}-{__version__}.dist-info/METADATA").decode("utf-8")
    return email.message_from_string(text)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    env = {**_clean_env(), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert install.returncode == 0, f"pip install failed:\n{install.stdout}\n{install.stderr}"
    return venv


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS")}


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "ldkit"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=60,
    )


# --- one version, one licence --------------------------------------------------------------


@pytest.mark.slow
def test_the_version_has_one_source_and_the_wheel_carries_it(metadata):
    init = (REPO / "tools" / "ldkit" / "__init__.py").read_text(encoding="utf-8")
    assert re.findall(r'^__version__ = "([^"]+)"$', init, re.M) == [__version__]
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"^version\s*=", pyproject, re.M)
    assert metadata["Name"] == "ld-integration-kit"
    assert metadata["Version"] == __version__


def test_the_changelog_keeps_a_place_for_unreleased_notes():
    """That the current version has its section is scripts/check_release.py's
    check (tests/acceptance/test_release_check.py)."""
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog


@pytest.mark.slow
def test_the_licence_file_is_the_apache_2_0_text_the_metadata_declares(metadata, wheel):
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.lstrip().startswith("Apache License\n                           Version 2.0")
    assert "END OF TERMS AND CONDITIONS" in licence
    assert "APPENDIX: How to apply the Apache License to your work." in licence
    assert len(licence.splitlines()) == 202  # the whole text, not an excerpt
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["License-File"] == "LICENSE"
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read(f"{DIST_NAME}-{__version__}.dist-info/licenses/LICENSE")
    assert shipped == (REPO / "LICENSE").read_bytes()


@pytest.mark.slow
def test_the_metadata_names_python_dependencies_and_project_links(metadata):
    assert metadata["Requires-Python"] == ">=3.10"
    requires = {r.split(";")[0] for r in metadata.get_all("Requires-Dist")}
    assert {"click>=8.1", "jinja2>=3.1", "jsonschema>=4.18", "referencing>=0.28"} <= requires
    links = dict(link.split(", ", 1) for link in metadata.get_all("Project-URL"))
    assert set(links) == {"Homepage", "Repository", "Issues", "Changelog"}
    assert links["Issues"] == links["Repository"] + "/issues"
    assert links["Changelog"].startswith(links["Repository"] + "/")
    assert links["Changelog"].endswith("/CHANGELOG.md")


# --- what the archives hold ----------------------------------------------------------------


@pytest.mark.slow
def test_the_sdist_holds_the_package_schemas_and_documents_but_no_tests(sdist):
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for required in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "tools/ldkit/__init__.py",
        "tools/ldkit/scaffold/templates/manifest.json.j2",
        "schemas/manifest/base.json",
    ):
        assert required in names
    assert not [n for n in names if n.startswith(("tests/", "integrations/", ".github/"))]


@pytest.mark.slow
def test_the_wheel_holds_the_package_schemas_and_scaffold_templates(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "ldkit/cli.py" in names
    assert "ldkit/schemas/manifest/base.json" in names
    assert "ldkit/scaffold/templates/LICENSE.md.j2" in names
    assert not [n for n in names if n.startswith(("tests/", "tools/"))]


# --- the installed wheel -------------------------------------------------------------------


@pytest.mark.slow
def test_installed_ldkit_reports_the_version(installed, tmp_path):
    result = _run(installed, tmp_path, "-V")
    assert result.stdout == f"ldkit, version {__version__}\n"


@pytest.mark.slow
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
        env=_clean_env(),
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


@pytest.mark.slow
def test_installed_ldkit_validates_the_dynatrace_integration_cleanly(installed, tmp_path):
    shutil.copytree(REPO / "integrations" / "dynatrace", tmp_path / "dynatrace")
    result = _run(installed, tmp_path, "validate", "dynatrace", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["summary"] == {"files": len(report["files"]), "errors": 0, "warnings": 0}
    assert report["files"][0]["path"] == "dynatrace/manifest.json"


@pytest.mark.slow
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


@pytest.mark.slow
def test_installed_ldkit_scaffolds_with_the_templates_it_carries(installed, tmp_path):
    options = ["--no-input", "--author", "Acme Inc.", "--support-email", "s@acme.example"]
    options += ["--site", "https://acme.example", "--privacy-policy", "https://acme.example/p"]
    created = _run(installed, tmp_path, "new", "acme", *options)
    assert created.returncode == 0, created.stderr
    checked = _run(installed, tmp_path, "validate", "integrations", "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["summary"]["errors"] == 0


# --- the release workflow ------------------------------------------------------------------

RELEASE = REPO / ".github" / "workflows" / "release.yml"


def _release() -> dict:
    import yaml

    return yaml.safe_load(RELEASE.read_text(encoding="utf-8"))


# Each job's permissions: exactly what its steps use, and a token only where one is minted.
RELEASE_PERMISSIONS = {
    "check": {"contents": "read"},
    "test": {"contents": "read"},
    "build": {"contents": "read"},
    "attest": {"id-token": "write", "attestations": "write"},
    "publish": {"id-token": "write"},
    "github-release": {"contents": "write"},
}


def test_release_runs_on_version_tags_with_least_privilege_per_job():
    workflow = _release()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == RELEASE_PERMISSIONS
    for name, job in jobs.items():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


def test_nothing_is_built_before_the_tag_version_and_changelog_agree():
    jobs = _release()["jobs"]
    assert jobs["build"]["needs"] == ["check"]
    [run] = [s["run"] for s in jobs["check"]["steps"] if "run" in s]
    assert run == 'python3 scripts/check_release.py --tag "$GITHUB_REF_NAME"'
    assert [s.get("run") for s in jobs["test"]["steps"]][-1] == ".ci/run"


def test_release_publishes_tested_attested_files_to_pypi_then_github():
    jobs = _release()["jobs"]
    assert set(jobs["attest"]["needs"]) == {"test", "build"}
    assert set(jobs["publish"]["needs"]) == {"test", "build", "attest"}
    assert jobs["github-release"]["needs"] == ["publish"]
    assert jobs["publish"]["environment"]["name"] == "pypi"
    [pypi] = [s for s in jobs["publish"]["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert pypi["with"] == {"attestations": True}  # PEP 740; trusted publishing, no password
    [attest] = [
        s for s in jobs["attest"]["steps"] if s.get("uses", "").startswith("actions/attest@")
    ]
    assert attest["with"] == {"subject-path": "dist/*"}
    [create] = [
        s["run"] for s in jobs["github-release"]["steps"] if "gh release" in s.get("run", "")
    ]
    assert "dist/*.whl dist/*.tar.gz" in create and "--verify-tag" in create
    build = next(s["run"] for s in jobs["build"]["steps"] if "python -m build" in s.get("run", ""))
    assert "--require-hashes" in build and "-r .github/build-requirements.txt" in build
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in build
    assert "python -m build --no-isolation" in build


def _release_check(wheel: Path, tmp_path: Path, tag: str) -> subprocess.CompletedProcess[str]:
    """The build job's check of the built wheel, run as GitHub runs a step."""
    [step] = [
        s for s in _release()["jobs"]["build"]["steps"] if "installed wheel" in s.get("name", "")
    ]
    checkout = tmp_path / "checkout"
    if not checkout.exists():
        (checkout / "dist").mkdir(parents=True)
        shutil.copy(wheel, checkout / "dist")
        shutil.copytree(REPO / "integrations", checkout / "integrations")
    env = {**_clean_env(), "RUNNER_TEMP": str(tmp_path), "GITHUB_REF_NAME": tag}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_the_release_check_passes_the_wheel_for_its_tag_and_stops_any_other_tag(wheel, tmp_path):
    tagged = _release_check(wheel, tmp_path, f"v{__version__}")
    assert tagged.returncode == 0, tagged.stdout + tagged.stderr
    assert "0 errors, 0 warnings" in tagged.stdout
    other = _release_check(wheel, tmp_path, "v99.0.0")
    assert other.returncode == 1


@pytest.mark.slow
def test_installed_ldkit_schema_names_the_upstream_commit_it_ships(installed, tmp_path):
    """`schemas/manifest/UPSTREAM` ships with the schema files it describes."""
    from ldkit.schema.judge import bundled_upstream

    result = _run(installed, tmp_path, "schema")
    assert result.returncode == 0, result.stderr
    assert bundled_upstream().commit in json.loads(result.stdout)["$comment"]
