"""How long `ldkit dynatrace check` takes for each form of configuration.

Two figures per form, each the median of several runs:

* cold: a fresh `ldkit dynatrace check CONFIG` process against the flagship
  integration (the payload rendered for the test notification and all six
  problem samples, each body parsed by the trigger), as a pre-commit hook or a
  CI step runs it;
* warm: the same check in one process, after the first (what a file costs
  when many are checked at once).

Terraform and Monaco need the `dynatrace` extra. Run from the repository root:

    python benchmarks/dynatrace_check_bench.py [--runs N]
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
CONFIGS = REPO / "tests" / "fixtures" / "dynatrace-config"
INTEGRATION = REPO / "integrations" / "dynatrace"
FORMS = {
    "settings": CONFIGS / "settings" / "good.json",
    "config-v1": CONFIGS / "classic" / "good.json",
    "terraform": CONFIGS / "terraform" / "good.tf",
    "monaco": CONFIGS / "monaco" / "good" / "config.yaml",
}


def cold(config: Path, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(TOOLS)}
    command = [sys.executable, "-m", "ldkit", "dynatrace", "check", str(config)]
    command += ["--integration", str(INTEGRATION), "--format", "json"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm(config: Path, runs: int) -> float:
    sys.path.insert(0, str(TOOLS))
    from ldkit.dynatrace.config.payload import load_integration
    from ldkit.dynatrace.config.run import check_paths

    integration = load_integration(INTEGRATION)
    check_paths([str(config)], integration)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check_paths([str(config)], integration)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{'form':<10} {'cold (process)':>15} {'warm (in process)':>18}")
    for form, config in FORMS.items():
        try:
            warm_time = warm(config, args.runs)
        except Exception as exc:  # noqa: BLE001 - a missing extra: say so, measure the rest
            print(f"{form:<10} skipped: {exc}")
            continue
        print(f"{form:<10} {cold(config, args.runs):>14.3f}s {warm_time * 1000:>16.1f}ms")


if __name__ == "__main__":
    main()
