"""Reading Terraform writes nothing into the installation: python-hcl2's parser
tables are kept in ldkit's user cache folder, built once, and a run without a
writable cache still reads the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

pytest.importorskip("hcl2", reason="Terraform needs the dynatrace extra")
pytestmark = pytest.mark.slow  # each build of the parser tables takes seconds

GOOD = FIXTURES / "dynatrace-config" / "terraform" / "good.tf"

# Reads one .tf file through ldkit in a fresh process, recording every file
# opened for writing; prints the findings' rules and the written paths.
PROBE = """
import json, sys
written = []
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[1] and set(args[1]) & set("wax+"):
        written.append(args[0])
    if event == "os.rename" or event == "os.replace":
        written.append(str(args[1]))
sys.addaudithook(hook)
from ldkit.dynatrace.config.terraform import read
config = read(sys.argv[1], open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"webhooks": len(config.webhooks), "findings": [f.rule for f in config.findings],
                  "written": written}))
"""


def _read(cache: str) -> dict:
    env = {**os.environ, "LDKIT_CACHE_DIR": cache}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(GOOD)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_parser_tables_go_to_the_user_cache_once_and_never_into_site_packages(tmp_path):
    import hcl2

    package = Path(hcl2.__file__).resolve().parent
    cache = tmp_path / "cache"
    first = _read(str(cache))
    [entry] = cache.iterdir()
    assert entry.name.startswith("hcl2-") and entry.stat().st_size > 10_000
    assert first["webhooks"] >= 1
    assert not [p for p in first["written"] if Path(p).resolve().is_relative_to(package)]
    second = _read(str(cache))
    assert second["written"] == []  # loaded, not rebuilt
    assert second["webhooks"] == first["webhooks"]
    assert second["findings"] == first["findings"]


def test_without_a_writable_cache_the_file_is_still_read(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with_cache = _read(str(tmp_path / "cache"))
    for cache in ("", str(blocker / "ldkit")):
        result = _read(cache)
        assert result["written"] == []
        assert result["webhooks"] == with_cache["webhooks"]
        assert result["findings"] == with_cache["findings"]
