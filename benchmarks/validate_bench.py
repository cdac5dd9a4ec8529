"""How long `ldkit validate` takes, measured the way partners run it.

Two figures, each the median of several runs of a fresh process:

* one manifest, cold: `ldkit validate dynatrace/manifest.json`, as a pre-commit
  hook runs it for one changed file (target < 0.30 s on a 2-core machine);
* 100 manifests in one process: copies and variants of the Dynatrace
  integration and of the schema test fixtures (target < 0.60 s).

It also prints the in-process cost of the schema pass per manifest, which is
the part this module's owner controls. Run from the repository root:

    python benchmarks/validate_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"
DYNATRACE = REPO / "integrations" / "dynatrace"
FIXTURES = REPO / "tests" / "fixtures" / "schema"

TARGET_ONE = 0.30
TARGET_HUNDRED = 0.60


def _variant(manifest: dict, index: int) -> dict:
    """A different but realistic manifest: renamed, re-versioned, fewer or more parts."""
    variant = json.loads(json.dumps(manifest))
    variant["name"] = f"{manifest['name']} {index}"
    variant["version"] = f"1.{index}.0"
    if index % 3 == 1:
        variant.get("capabilities", {}).pop("auditLogEventsHook", None)
    if index % 3 == 2:
        variant["formVariables"] = variant.get("formVariables", []) * 2
    if index % 5 == 0:
        variant["overview"] = "Broken on purpose\nto exercise the error path."
    return variant


def build_corpus(root: Path, count: int = 100) -> Path:
    """`root/integrations/<name>/` for `count` integrations."""
    integrations = root / "integrations"
    sources = [DYNATRACE] + [
        p for p in sorted(FIXTURES.iterdir()) if (p / "manifest.json").is_file()
    ]
    for index in range(count):
        source = sources[index % len(sources)]
        target = integrations / f"{source.name}-{index:03d}"
        # The manifest and what it references; replay cases and samples are other
        # kinds of file with their own costs, not manifests.
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("replays", "samples"))
        if source == DYNATRACE:
            manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
            text = json.dumps(_variant(manifest, index), indent=2, ensure_ascii=False) + "\n"
            (target / "manifest.json").write_text(text, encoding="utf-8")
    return root


def _timed_process(args: list[str], cwd: Path) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(TOOLS)}
    env.pop("GITHUB_ACTIONS", None)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ldkit", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"ldkit {' '.join(args)} failed: {done.stderr.decode()}")
    return elapsed, done.returncode


def median_process_time(args: list[str], cwd: Path, runs: int) -> float:
    _timed_process(args, cwd)  # warm the OS file cache and .pyc files first
    return statistics.median(_timed_process(args, cwd)[0] for _ in range(runs))


def schema_pass_per_manifest(corpus: Path) -> float:
    sys.path.insert(0, str(TOOLS))
    from ldkit.load.jsonpos import load_path
    from ldkit.schema.check import schema_findings
    from ldkit.schema.validator import validator

    validator()
    documents = [
        load_path(str(p)).document for p in sorted(corpus.glob("integrations/*/manifest.json"))
    ]
    start = time.perf_counter()
    for document in documents:
        schema_findings(document)
    return (time.perf_counter() - start) / len(documents)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="process runs per figure (median)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        one_dir = root / "one"
        shutil.copytree(DYNATRACE, one_dir / "dynatrace")
        one_manifest = "dynatrace/manifest.json"  # what pre-commit passes for one changed file
        corpus = build_corpus(root / "many")
        count = len(list(corpus.glob("integrations/*/manifest.json")))

        one = median_process_time(["validate", one_manifest], one_dir, options.runs)
        many = median_process_time(["validate", "."], corpus, options.runs)
        baseline = median_process_time(["--version"], one_dir, options.runs)
        per_manifest = schema_pass_per_manifest(corpus)

    print(f"python -m ldkit --version (startup floor): {baseline:.3f} s")
    print(
        f"1 manifest, whole process (median of {options.runs}): {one:.3f} s  "
        f"target < {TARGET_ONE:.2f} s"
    )
    print(
        f"{count} manifests, one process (median of {options.runs}): {many:.3f} s  "
        f"target < {TARGET_HUNDRED:.2f} s"
    )
    print(f"schema pass alone, in process: {per_manifest * 1000:.2f} ms per manifest")
    return 0 if one < TARGET_ONE and many < TARGET_HUNDRED else 1


if __name__ == "__main__":
    raise SystemExit(main())
