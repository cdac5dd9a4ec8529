"""`ldkit.fs.Reads`: the files of one run, read once each, with the same
confinement and checks as `read_bytes`."""

from __future__ import annotations

import os

import pytest

from ldkit.fs import USER_NAMED, FileRefused, Reads, read_bytes, read_text


def _counting_opens(monkeypatch) -> list[str]:
    opened: list[str] = []
    real_open = os.open

    def counting(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting)
    return opened


def test_a_file_named_two_ways_is_read_once_and_gives_the_same_bytes(tmp_path, monkeypatch):
    (tmp_path / "samples").mkdir()
    (tmp_path / "replays").mkdir()
    (tmp_path / "samples" / "a.json").write_text('{"a": 1}', encoding="utf-8")
    opened = _counting_opens(monkeypatch)
    reads = Reads()
    first = read_bytes(tmp_path / "samples" / "a.json", reads=reads, root=tmp_path)
    second = read_text(
        tmp_path / "replays" / ".." / "samples" / "a.json", reads=reads, root=tmp_path
    )
    assert first == b'{"a": 1}' and second == '{"a": 1}'
    assert len(opened) == 1


def test_each_run_reads_afresh(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("1", encoding="utf-8")
    assert read_bytes(target, root=tmp_path, reads=Reads()) == b"1"
    target.write_text("2", encoding="utf-8")
    assert read_bytes(target, root=tmp_path, reads=Reads()) == b"2"


def test_a_file_read_for_one_root_is_still_refused_for_a_root_it_is_outside(tmp_path):
    inner = tmp_path / "integration"
    inner.mkdir()
    outside = tmp_path / "secret.json"
    outside.write_text("{}", encoding="utf-8")
    reads = Reads()
    assert read_bytes(outside, reads=reads, root=tmp_path) == b"{}"
    assert read_bytes(outside, reads=reads, root=USER_NAMED) == b"{}"
    with pytest.raises(FileRefused, match="outside"):
        read_bytes(inner / ".." / "secret.json", reads=reads, root=inner)


def test_a_symlink_out_of_the_root_is_refused_every_time(tmp_path):
    root = tmp_path / "integration"
    root.mkdir()
    (tmp_path / "secret").write_text("token", encoding="utf-8")
    (root / "link.json").symlink_to(tmp_path / "secret")
    reads = Reads()
    for _ in range(2):
        with pytest.raises(FileRefused, match="outside"):
            read_bytes(root / "link.json", reads=reads, root=root)


def test_the_size_bound_applies_to_each_limit(tmp_path):
    target = tmp_path / "big.json"
    target.write_bytes(b"x" * 100)
    reads = Reads()
    assert len(read_bytes(target, reads=reads, root=tmp_path)) == 100
    with pytest.raises(FileRefused, match="at most 10 bytes"):
        read_bytes(target, reads=reads, root=tmp_path, limit=10)
