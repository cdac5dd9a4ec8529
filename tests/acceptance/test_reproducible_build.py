"""Building the sdist and the wheel twice from the same commit gives byte-identical files.

The release workflow builds with SOURCE_DATE_EPOCH set to the tagged commit's
time (`git log -1 --format=%ct`), so anyone can rebuild a release from its tag
and compare hashes with the published files (docs/releasing.md). Here two clean
copies of the tracked files are built the way the workflow builds
(`python -m build --no-isolation`): the second copy is written in the opposite
order, with other permissions and other modification times, in a folder of
another name, which is what differs between two machines' checkouts. Nothing of
that may reach the archives: every timestamp in them is SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from ldkit import __version__

DIST_NAME = "ld_integration_kit"
ARTEFACTS = [f"{DIST_NAME}-{__version__}.tar.gz", f"{DIST_NAME}-{__version__}-py3-none-any.whl"]

pytestmark = pytest.mark.slow  # two builds of the sdist and the wheel


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def epoch() -> int:
    """What the release workflow sets SOURCE_DATE_EPOCH to: the commit's time."""
    return int(_git("log", "-1", "--format=%ct").strip())


def tracked_files() -> list[str]:
    """The files of the commit (with any uncommitted edits): what a clean clone holds."""
    names = _git("ls-files", "-z", "--cached").split("\0")
    return [n for n in names if n and (REPO / n).is_file() and not (REPO / n).is_symlink()]


def clean_copy(target: Path, files: list[str], *, disturbed: bool) -> Path:
    """A checkout of `files` in `target`; `disturbed` writes it in reverse order,
    with other modification times and the permissions another umask gives. The
    executable bit is content (git records it), so it is kept."""
    for number, name in enumerate(reversed(files) if disturbed else files):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, destination)
        executable = os.access(REPO / name, os.X_OK)
        if disturbed:
            modes = (0o700, 0o775) if executable else (0o600, 0o664)  # umask 077, 002
            destination.chmod(modes[number % 2])
            stamp = 1_000_000_000 + number * 7919
            os.utime(destination, (stamp, stamp))
        else:
            destination.chmod(0o755 if executable else 0o644)  # umask 022
    return target


def build(source: Path, out: Path, epoch: int) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["SOURCE_DATE_EPOCH"] = str(epoch)
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(ARTEFACTS)
    return {name: (out / name).read_bytes() for name in ARTEFACTS}


@pytest.fixture(scope="module")
def builds(tmp_path_factory, epoch) -> tuple[dict[str, bytes], dict[str, bytes]]:
    files = tracked_files()
    first = clean_copy(tmp_path_factory.mktemp("checkout"), files, disturbed=False)
    second = clean_copy(tmp_path_factory.mktemp("elsewhere"), files, disturbed=True)
    return (
        build(first, tmp_path_factory.mktemp("dist"), epoch),
        build(second, tmp_path_factory.mktemp("dist"), epoch),
    )


def test_two_builds_of_the_same_commit_are_byte_identical(builds):
    first, second = builds
    digests = [{n: hashlib.sha256(b).hexdigest() for n, b in run.items()} for run in builds]
    assert digests[0] == digests[1]
    assert first == second


def test_every_timestamp_in_the_sdist_is_source_date_epoch(builds, epoch, tmp_path):
    sdist = tmp_path / ARTEFACTS[0]
    sdist.write_bytes(builds[0][ARTEFACTS[0]])
    with gzip.open(sdist) as stream:
        stream.read(1)
        assert stream.mtime == epoch  # the gzip header
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
    assert {m.mtime for m in members} == {epoch}
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
    names = [m.name for m in members]
    assert f"{DIST_NAME}-{__version__}/tools/ldkit/__init__.py" in names


def test_every_timestamp_in_the_wheel_is_source_date_epoch(builds, epoch, tmp_path):
    wheel = tmp_path / ARTEFACTS[1]
    wheel.write_bytes(builds[0][ARTEFACTS[1]])
    with zipfile.ZipFile(wheel) as archive:
        infos = archive.infolist()
    # ZIP keeps local time to two seconds; hatchling writes the epoch as UTC.
    expected = time.gmtime(epoch - epoch % 2)[:6]
    assert {info.date_time for info in infos} == {expected}
    assert "ldkit/cli.py" in {info.filename for info in infos}
