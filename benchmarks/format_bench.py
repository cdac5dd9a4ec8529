"""How long `ldkit format --check` takes over a whole corpus, against prettier's check.

LaunchDarkly's CI runs `prettier --list-different "./**/*.{js,json}"`; a
partner running `ldkit format --check` instead should not wait longer. Both are
run as fresh processes over the same folder (by default a copy of LaunchDarkly's
integration-framework checkout, JSON files only), median of several runs.
Prettier is skipped when Node.js or prettier 2.2.1 is not there. Target:
ldkit at least 10 times faster. Run from the repository root:

    python benchmarks/format_bench.py /path/to/integration-framework \\
        [--prettier /tmp/prettier221/node_modules/.bin/prettier] [--runs N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from format_goldens import PRETTIER_OPTIONS  # noqa: E402

TARGET_SPEEDUP = 10.0


def _time(command: list[str], cwd: Path, runs: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU (user + system) seconds of `runs` fresh processes."""
    walls, cpus = [], []
    code = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        code = subprocess.run(command, cwd=cwd, capture_output=True, check=False).returncode
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="corpus folder (LaunchDarkly's repository)")
    parser.add_argument("--prettier", default="npx --no-install prettier")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(
            args.root,
            corpus,
            ignore=shutil.ignore_patterns("node_modules", ".git", "*.png", "*.svg", "*.jpg"),
        )
        count = sum(1 for p in corpus.rglob("*.json") if "node_modules" not in p.parts)
        ldkit = [sys.executable, "-m", "ldkit", "format", "--check", "."]
        ours, our_cpu, code = _time(ldkit, corpus, args.runs)
        print(f"{count} JSON files in {args.root}")
        print(f"ldkit format --check:       {ours:.3f} s wall, {our_cpu:.3f} s CPU (exit {code})")
        prettier = args.prettier.split()
        if shutil.which("node") is None or shutil.which(prettier[0]) is None:
            print("prettier: skipped (Node.js or prettier not found)")
            return 0
        theirs, their_cpu, code = _time(
            [*prettier, *PRETTIER_OPTIONS, "--list-different", "./**/*.json"], corpus, args.runs
        )
        print(
            f"prettier --list-different:  {theirs:.3f} s wall, {their_cpu:.3f} s CPU (exit {code})"
        )
        speedup = theirs / ours
        verdict = "meets" if speedup >= TARGET_SPEEDUP else "MISSES"
        print(
            f"speed-up: {speedup:.1f}x wall ({verdict} the {TARGET_SPEEDUP:.0f}x target), "
            f"{their_cpu / our_cpu:.1f}x CPU"
        )
        return 0 if speedup >= TARGET_SPEEDUP else 1


if __name__ == "__main__":
    sys.exit(main())
