"""`unsaved_texts`: the one seam through which `ldkit lsp` lays an editor's
unsaved text over the disk, for every reader and only inside the block."""

from __future__ import annotations

import os
import threading

import pytest

from ldkit.fs import (
    USER_NAMED,
    FileRefused,
    exists,
    is_regular_file,
    read_bytes,
    read_text,
    unsaved_texts,
)


def test_unsaved_text_is_read_instead_of_the_disk_only_inside_the_block(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text("on disk")
    with unsaved_texts({str(path): b"unsaved"}):
        assert read_bytes(path, root=tmp_path) == b"unsaved"
        assert read_text(tmp_path / "." / "manifest.json", root=USER_NAMED) == "unsaved"
    assert read_text(path, root=tmp_path) == "on disk"


def test_a_document_not_yet_saved_exists_inside_the_block(tmp_path):
    new = tmp_path / "new.case.json"
    with unsaved_texts({str(new): b"{}"}):
        assert exists(new) and is_regular_file(new)
        assert read_bytes(new, root=tmp_path) == b"{}"
    assert not exists(new)


def test_containment_and_size_limits_still_apply(tmp_path):
    inside = tmp_path / "root"
    inside.mkdir()
    outside = tmp_path / "secret.json"
    with unsaved_texts({str(outside): b"{}", str(inside / "big.json"): b"x" * 11}):
        with pytest.raises(FileRefused, match="outside"):
            read_bytes(outside, root=inside)
        with pytest.raises(FileRefused, match="at most 10 bytes"):
            read_bytes(inside / "big.json", root=inside, limit=10)


def test_another_thread_does_not_see_the_block(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("disk")
    seen: list[str] = []
    with unsaved_texts({os.fspath(path): b"editor"}):
        worker = threading.Thread(target=lambda: seen.append(read_text(path, root=tmp_path)))
        worker.start()
        worker.join()
        assert read_text(path, root=tmp_path) == "editor"
    assert seen == ["disk"]
