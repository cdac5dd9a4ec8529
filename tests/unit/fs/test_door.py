"""The one door to the file system (`ldkit.fs`): reading and writing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from ldkit.fs import USER_NAMED, FileRefused, WriteRefused, confined, read_bytes, write_text

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
        "import sys; from ldkit.fs import USER_NAMED, read_bytes, FileRefused\n"
        "try: read_bytes(sys.argv[1], root=USER_NAMED)\n"
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
        read_bytes(tmp_path, root=USER_NAMED)
    with pytest.raises(FileRefused, match="NUL"):
        read_bytes(str(tmp_path / "a\x00b"), root=USER_NAMED)
    with pytest.raises(FileRefused, match="cannot read: No such file or directory"):
        read_bytes(tmp_path / "missing", root=USER_NAMED)


def test_a_file_over_the_limit_is_refused(tmp_path):
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(FileRefused, match="at most 100 bytes"):
        read_bytes(tmp_path / "big", root=USER_NAMED, limit=100)


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
    write_text(path, old, root=USER_NAMED)
    seen: set[str] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.add(path.read_text())

    thread = threading.Thread(target=reader)
    thread.start()
    for text in (new, old) * 20:
        write_text(path, text, root=USER_NAMED)
    stop.set()
    thread.join()
    assert seen <= {old, new}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_write_leaves_no_temporary_file_and_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "baseline.json"
    write_text(path, "old", root=tmp_path)

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(WriteRefused) as info:
        write_text(path, "new", root=tmp_path)
    assert info.value.detail == "No space left on device"
    assert str(info.value) == f"{path}: cannot write: No space left on device"
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_a_write_keeps_the_mode_of_the_file_it_replaces_or_takes_the_one_given(tmp_path):
    path = tmp_path / "script.json"
    path.write_text("old")
    path.chmod(0o640)
    write_text(path, "new", root=tmp_path)
    assert path.stat().st_mode & 0o777 == 0o640
    token = tmp_path / "db.token"
    write_text(token, "secret\n", root=USER_NAMED, mode=0o600)
    assert token.stat().st_mode & 0o777 == 0o600


@posix_only
def test_a_symbolic_link_inside_the_tree_is_replaced_never_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "expected.json").symlink_to(outside)
    write_text(tree / "expected.json", "new", root=tree)
    assert outside.read_text() == "keep"
    assert not (tree / "expected.json").is_symlink()
    assert (tree / "expected.json").read_text() == "new"


@posix_only
def test_a_fifo_is_refused_at_once_for_reading_and_streaming(tmp_path):
    from ldkit.fs import open_for_reading

    fifo = tmp_path / "body.fifo"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match="a FIFO"):
        read_bytes(fifo, root=tmp_path)
    with pytest.raises(FileRefused, match="a FIFO"):
        open_for_reading(fifo, root=USER_NAMED)


def test_make_folders_and_remove_file_stay_inside_the_tree(tmp_path):
    from ldkit.fs import make_folders, remove_file

    tree = tmp_path / "tree"
    make_folders(tree / "a" / "b", root=tmp_path)
    assert (tree / "a" / "b").is_dir()
    with pytest.raises(WriteRefused, match="outside"):
        make_folders(tmp_path.parent / "elsewhere", root=tree)
    (tmp_path / "victim").write_text("keep")
    with pytest.raises(WriteRefused, match="outside"):
        remove_file(tree / ".." / "victim", root=tree)
    assert (tmp_path / "victim").read_text() == "keep"
    remove_file(tree / "missing", root=tree)  # nothing to remove is no error


def test_invalid_utf8_is_replaced_by_default_and_refused_when_strict(tmp_path):
    from ldkit.fs import read_text

    path = tmp_path / "t.hbs"
    path.write_bytes(b"a\xffb")
    assert read_text(path, root=tmp_path) == "a\ufffdb"
    with pytest.raises(FileRefused, match="not UTF-8"):
        read_text(path, root=tmp_path, errors="strict")
