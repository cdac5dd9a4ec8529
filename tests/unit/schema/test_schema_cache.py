"""The schema fast path's cache: the bundled tree is built once per content of
the schema files, kept under the user's cache directory, and used only when
the entry proves itself; a broken, foreign or unwritable cache costs a rebuild,
never a wrong tree or an error."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO
from ldkit.schema.cache import CACHE_VARIABLE, cache_dir, cached_tree, content_key
from ldkit.schema.load import build_bundled_schema, schema_files

TREE = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 100}}}


def _counting_build(calls: list[int]):
    def build() -> dict:
        calls.append(1)
        return json.loads(json.dumps(TREE))

    return build


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(folder))
    return folder


def test_the_second_use_loads_the_stored_tree_instead_of_building_it(cache):
    calls: list[int] = []
    key = content_key([("base.json", b"{}")])
    assert cached_tree(key, _counting_build(calls)) == TREE
    assert cached_tree(key, _counting_build(calls)) == TREE
    assert len(calls) == 1
    assert [p.name for p in cache.iterdir()] == [f"schema-{key}.json"]


def test_the_key_changes_with_any_byte_name_or_order_of_the_files():
    base = content_key([("a.json", b"{}"), ("b.json", b"[]")])
    assert base == content_key([("a.json", b"{}"), ("b.json", b"[]")])
    for other in (
        [("a.json", b"{ }"), ("b.json", b"[]")],
        [("c.json", b"{}"), ("b.json", b"[]")],
        [("b.json", b"[]"), ("a.json", b"{}")],
        [("a.json", b"{}b.json"), ("", b"[]")],
    ):
        assert content_key(other) != base


def _entry(cache, key):
    return cache / f"schema-{key}.json"


@pytest.mark.parametrize(
    "damage",
    [
        "body edited, header kept",
        "header names another key",
        "header names another format",
        "truncated",
        "not JSON",
        "an array, checksum right",
        "empty",
    ],
)
def test_an_entry_that_does_not_prove_itself_is_rebuilt(cache, damage):
    calls: list[int] = []
    key = content_key([("base.json", b"{}")])
    cached_tree(key, _counting_build(calls))
    entry = _entry(cache, key)
    header_line, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(header_line)
    if damage == "body edited, header kept":
        data = header_line + b"\n" + body.replace(b"100", b"999")
    elif damage == "header names another key":
        data = json.dumps({**header, "key": "0" * 64}).encode() + b"\n" + body
    elif damage == "header names another format":
        data = json.dumps({**header, "format": 0}).encode() + b"\n" + body
    elif damage == "truncated":
        data = entry.read_bytes()[:-10]
    elif damage == "not JSON":
        data = b"\x00\xff garbage"
    elif damage == "an array, checksum right":
        forged = b"[1, 2]"
        data = (
            json.dumps({**header, "sha256": hashlib.sha256(forged).hexdigest()}).encode()
            + b"\n"
            + forged
        )
    else:
        data = b""
    entry.write_bytes(data)
    assert cached_tree(key, _counting_build(calls)) == TREE
    assert len(calls) == 2
    assert cached_tree(key, _counting_build(calls)) == TREE  # rewritten, good again
    assert len(calls) == 2


def test_a_directory_or_fifo_in_place_of_the_entry_is_ignored(cache):
    calls: list[int] = []
    key = content_key([("x", b"1")])
    cache.mkdir()
    _entry(cache, key).mkdir()
    assert cached_tree(key, _counting_build(calls)) == TREE
    other = content_key([("y", b"2")])
    if hasattr(os, "mkfifo"):
        os.mkfifo(_entry(cache, other))
        assert cached_tree(other, _counting_build(calls)) == TREE  # no hang
    assert len(calls) >= 2


def test_an_unwritable_cache_costs_a_rebuild_and_nothing_else(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "ldkit"))
    calls: list[int] = []
    for _ in range(2):
        assert cached_tree("k" * 64, _counting_build(calls)) == TREE
    assert len(calls) == 2
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_empty_variable_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, "")
    assert cache_dir() is None
    calls: list[int] = []
    cached_tree("k" * 64, _counting_build(calls))
    cached_tree("k" * 64, _counting_build(calls))
    assert len(calls) == 2


def test_the_user_cache_directory_follows_xdg_on_linux(monkeypatch, tmp_path):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG_CACHE_HOME is the Linux and BSD convention")
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "ldkit"


def test_a_fresh_process_judges_with_the_cached_tree_exactly_as_with_the_built_one(cache):
    """Two processes: the first builds and stores, the second loads; both trees
    equal the one built from the files in this process."""
    program = (
        "import json, sys; from ldkit.schema.load import bundled_schema; "
        "sys.stdout.write(json.dumps(bundled_schema()))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "tools"), CACHE_VARIABLE: str(cache)}
    trees = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
        )
        trees.append(json.loads(done.stdout))
    key = content_key(schema_files())
    assert _entry(cache, key).is_file()
    assert trees[0] == trees[1] == build_bundled_schema()
