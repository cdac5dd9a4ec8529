"""What judging by a checkout's own schema costs, next to the bundled schema.

Inside a checkout of LaunchDarkly's repository, `ldkit validate` reads and
compiles the checkout's schema files once per process (the bundled schema is
compiled the same way). Three figures, each the median of several fresh
processes:

* one manifest, cold, inside the fixture checkout `tests/fixtures/schema-checkout/fork`
  (pre-commit's case; the same target as the bundled schema: < 0.30 s);
* the same manifest judged by the bundled schema (`--schema schemas/manifest`
  goes through the same checkout reader, so only the schema differs);
* when LaunchDarkly's repository is extracted at UPSTREAM (default
  /work/upstream/integration-framework-35c6f74): all of its manifests, judged
  by its own schema and by the bundled one.

Run from the repository root:

    python benchmarks/checkout_bench.py [--runs N] [--upstream DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"
FORK = REPO / "tests" / "fixtures" / "schema-checkout" / "fork"
BUNDLED = REPO / "schemas" / "manifest"


def _run(args: list[str], cwd: Path, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(TOOLS)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ldkit", "validate", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--upstream", type=Path, default=Path("/work/upstream/integration-framework-35c6f74")
    )
    args = parser.parse_args()
    manifest = FORK / "integrations" / "acme-notes"
    checkout = _run([str(manifest)], REPO, args.runs)
    bundled = _run([str(manifest), "--schema", str(BUNDLED)], REPO, args.runs)
    print(f"one manifest, checkout schema, cold:      {checkout:.3f} s (target < 0.30 s)")
    print(f"one manifest, bundled schema files, cold: {bundled:.3f} s")
    if (args.upstream / "integrations").is_dir():
        count = sum(1 for p in (args.upstream / "integrations").iterdir() if p.is_dir())
        own = _run([], args.upstream, args.runs)
        ours = _run(["--schema", str(BUNDLED)], args.upstream, args.runs)
        print(f"{count} upstream manifests, their own schema: {own:.3f} s")
        print(f"{count} upstream manifests, bundled schema:   {ours:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
