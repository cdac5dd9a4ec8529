"""The one safe reader and the one safe writer (`ldkit.load.files`, `ldkit.write`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from ldkit.load.files import FileRefused, confined, read_bytes
from ldkit.write import WriteRefused, write_text

posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX FIFOs and symlinks")


def test_reads_a_regular_file_inside_the_root(tmp_path):
    (tmp_path / "a.json").write_bytes(b"{}")
    assert read_bytes(tmp_path / "a.json", root=tmp_path) == b"{}"


@posix_only
def test_a_symlink_out_of_the_root_is_refused_before_it_is_opened(tmp_path):
    (tmp_path / "secret").write_text("s")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(tmp_path / "secret")
    with pytest.raises(FileRefused, match="outside"):
        read_bytes(root / "link", root=root)


@posix_only
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    code = (
        "import sys; from ldkit.load.files import read_bytes, FileRefused\n"
        "try: read_bytes(sys.argv[1])\n"
        "except FileRefused as e: print(e.reason)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "pipe")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "it is a FIFO (named pipe), not a regular file"


def test_a_directory_nul_byte_and_missing_file_are_one_line_reasons(tmp_path):
    with pytest.raises(FileRefused, match="it is a directory, not a regular file"):
        read_bytes(tmp_path)
    with pytest.raises(FileRefused, match="NUL"):
        read_bytes(str(tmp_path / "a\x00b"))
    with pytest.raises(FileRefused, match="cannot read: No such file or directory"):
        read_bytes(tmp_path / "missing")


def test_a_file_over_the_limit_is_refused(tmp_path):
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(FileRefused, match="at most 100 bytes"):
        read_bytes(tmp_path / "big", limit=100)


@pytest.mark.parametrize("value", ["/etc/passwd", "../x", "a/../../x"])
def test_confined_refuses_paths_that_leave_the_root(tmp_path, value):
    with pytest.raises(FileRefused):
        confined(tmp_path, value)


@posix_only
def test_the_writer_replaces_a_symlink_and_never_touches_its_target(tmp_path):
    (tmp_path / "target").write_text("keep")
    (tmp_path / "out.json").symlink_to(tmp_path / "target")
    write_text(tmp_path / "out.json", "new", root=tmp_path)
    assert (tmp_path / "target").read_text() == "keep"
    assert (tmp_path / "out.json").read_text() == "new"
    assert not (tmp_path / "out.json").is_symlink()


def test_the_writer_refuses_outside_the_root_and_a_directory(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(WriteRefused, match="outside"):
        write_text(tmp_path / "x.json", "x", root=root)
    (root / "dir").mkdir()
    with pytest.raises(WriteRefused, match="not a regular file"):
        write_text(root / "dir", "x", root=root)


def test_a_reader_beside_the_writer_sees_the_old_or_the_new_file_never_a_partial_one(tmp_path):
    path = tmp_path / "expected.json"
    old, new = "a" * 200_000, "b" * 200_000
    write_text(path, old)
    seen: set[str] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.add(path.read_text())

    thread = threading.Thread(target=reader)
    thread.start()
    for text in (new, old) * 20:
        write_text(path, text)
    stop.set()
    thread.join()
    assert seen <= {old, new}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
