"""The fuzz suite with a long, random budget (the CI run is small and derandomized).

Runs `tests/unit/fuzz` with Hypothesis drawing fresh random examples, many per
property, and reports the time taken. Any failure prints Hypothesis's minimal
example; add it to the suite as a fixed case once fixed.

    python benchmarks/fuzz_long.py                 # 5,000 examples per property
    python benchmarks/fuzz_long.py --examples 50000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=5000, help="examples per property")
    args = parser.parse_args(argv)
    env = {**os.environ, "LDKIT_FUZZ_EXAMPLES": str(args.examples), "LDKIT_FUZZ_RANDOM": "1"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit/fuzz"],
        cwd=REPO,
        env=env,
    )
    elapsed = time.perf_counter() - started
    print(f"fuzz: {args.examples} examples per property, {elapsed:.0f} s, exit {result.returncode}")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
