"""Commands that used to bypass the one file door (`ldkit.fs`): `ldkit format`
hung on a FIFO, and every writer now replaces files atomically without leaving
temporary files behind."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs need POSIX")


@posix_only
def test_format_refuses_a_fifo_at_once_instead_of_hanging(tmp_path):
    (tmp_path / "ok.json").write_text('{"a": 1}\n', encoding="utf-8")
    os.mkfifo(tmp_path / "trap.json")
    done = subprocess.run(
        [sys.executable, "-m", "ldkit", "format", "--check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "trap.json: it is a FIFO (named pipe), not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def test_format_rewrites_in_place_keeping_the_mode_and_no_temporary_file(run, tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text('{"a":1}', encoding="utf-8")
    path.chmod(0o640)
    result = run("format", tmp_path)
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == '{ "a": 1 }\n'
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_a_baseline_is_written_whole_without_a_temporary_file(run, tmp_path):
    from conftest import FIXTURES

    baseline = tmp_path / "out" / "baseline.json"
    fixture = FIXTURES / "triggerrules" / "no-test-regexp"
    result = run("validate", fixture, "--write-baseline", baseline)
    assert result.exit_code in (0, 1)
    assert baseline.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in baseline.parent.iterdir()) == ["baseline.json"]
