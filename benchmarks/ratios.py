"""The speed goals as ratios, each pair measured side by side in the same run.

A busy machine slows everything it runs; comparing two commands measured in
the same run, interleaved, cancels most of that out. Each figure is the median
of `--runs` fresh processes of each command, alternating:

* one manifest, whole process: `ldkit validate integrations/dynatrace/manifest.json`
  (pre-commit's case) ÷ a bare `python -c pass`, and ÷ `python -c "import click"`
  (the floor of any click program). Goal: at most 6× bare Python.
* with `--upstream DIR` (a copy of LaunchDarkly's integration-framework in
  which `npm ci` has been run): LaunchDarkly's jest manifest suite
  (`npx jest __tests__/validateIntegrationManifests.js`) ÷ `ldkit validate
  integrations` over the same folder, one process each. Goal: at least 20×.
  Add `--prettier` for `npx prettier --list-different` ÷ `ldkit format
  --check` over the folder's JSON files (goal: at least 10×).

With `--instructions` (needs valgrind), the one-manifest ratio is also given
in instructions executed, which no other load on the machine changes.
Run from the repository root after set-up:

    python benchmarks/ratios.py [--runs N] [--upstream DIR [--prettier]] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ONE_TARGET = 6.0
CORPUS_TARGET = 20.0
PRETTIER_TARGET = 10.0


#: Left out of the measured processes' environment: a user's installation has
#: its bytecode cached, so `PYTHONDONTWRITEBYTECODE` (set in some CI and
#: container images) would time compiling ldkit's sources instead of running
#: them; the warm-up run writes the cache.
_LEFT_OUT = ("GITHUB_ACTIONS", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")


def _environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LEFT_OUT}
    env["LDKIT_CACHE_DIR"] = str(cache)
    env["NO_COLOR"] = "1"
    return env


def _once(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-400:]!r}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def side_by_side(
    commands: dict[str, list[str]], cwd: Path, env: dict[str, str], runs: int
) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) of each command, run alternately after one warm-up each."""
    for command in commands.values():
        _once(command, cwd, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(_once(command, cwd, env))
    return {
        name: (
            statistics.median(wall for wall, _ in found),
            statistics.median(cpu for _, cpu in found),
        )
        for name, found in samples.items()
    }


def instructions(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Instructions one run executes, counted by valgrind (deterministic)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if not found:
        raise SystemExit(f"valgrind counted nothing: {done.stderr[-400:]}")
    return int(found.group(1))


def _line(label: str, numerator: tuple[float, float], denominator: tuple[float, float]) -> str:
    return (
        f"{label}: {numerator[0] * 1000:.0f} ms ÷ {denominator[0] * 1000:.0f} ms = "
        f"{numerator[0] / denominator[0]:.1f}× wall; "
        f"CPU {numerator[1] * 1000:.0f} ms ÷ {denominator[1] * 1000:.0f} ms = "
        f"{numerator[1] / max(denominator[1], 1e-9):.1f}×"
    )


def one_manifest(runs: int, cache: Path, count_instructions: bool) -> float:
    python = sys.executable
    env = _environment(cache)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "integrations" / "dynatrace", root / "integrations" / "dynatrace")
        validate = [python, "-m", "ldkit", "validate", "integrations/dynatrace/manifest.json"]
        found = side_by_side(
            {
                "validate": validate,
                "bare": [python, "-c", "pass"],
                "click": [python, "-c", "import click"],
            },
            root,
            env,
            runs,
        )
        print(_line("ldkit validate, one manifest ÷ bare python", found["validate"], found["bare"]))
        print(_line("  ÷ python -c 'import click'", found["validate"], found["click"]))
        print(_line("  (python -c 'import click' ÷ bare python)", found["click"], found["bare"]))
        if count_instructions:
            if shutil.which("valgrind") is None:
                print("  instructions: valgrind is not installed")
            else:
                ours = instructions(validate, root, env)
                bare = instructions([python, "-c", "pass"], root, env)
                click = instructions([python, "-c", "import click"], root, env)
                print(
                    f"  instructions: {ours / 1e6:.0f} M ÷ {bare / 1e6:.0f} M bare = "
                    f"{ours / bare:.1f}×; click alone {click / bare:.1f}×"
                )
    return found["validate"][0] / found["bare"][0]


def corpus(upstream: Path, runs: int, cache: Path, prettier: bool) -> tuple[float, float | None]:
    env = _environment(cache)
    manifests = len(list(upstream.glob("integrations/*/manifest.json")))
    npx = shutil.which("npx")
    if npx is None or not (upstream / "node_modules" / ".bin" / "jest").exists():
        raise SystemExit(f"{upstream}: needs Node.js and `npm ci` run in that folder")
    ldkit = [sys.executable, "-m", "ldkit", "validate", "integrations", "--format", "json"]
    jest = [npx, "jest", "--ci", "__tests__/validateIntegrationManifests.js"]
    found = side_by_side({"jest": jest, "ldkit": ldkit}, upstream, env, runs)
    print(_line(f"jest manifest suite ÷ ldkit validate, {manifests} manifests", *found.values()))
    speedup = found["jest"][0] / found["ldkit"][0]
    formatted: float | None = None
    if prettier:
        check = [npx, "prettier", "--list-different", "integrations/**/*.json"]
        ours = [sys.executable, "-m", "ldkit", "format", "--check", "integrations"]
        timed = side_by_side({"prettier": check, "ldkit": ours}, upstream, env, runs)
        print(_line("prettier --list-different ÷ ldkit format --check", *timed.values()))
        formatted = timed["prettier"][0] / timed["ldkit"][0]
    return speedup, formatted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh processes per command")
    parser.add_argument("--upstream", type=Path, help="integration-framework copy, npm ci done")
    parser.add_argument("--prettier", action="store_true", help="also prettier vs ldkit format")
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    options = parser.parse_args()
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as cache:
        ok = one_manifest(options.runs, Path(cache), options.instructions) <= ONE_TARGET
        if options.upstream is not None:
            speedup, formatted = corpus(
                options.upstream.resolve(), options.runs, Path(cache), options.prettier
            )
            ok = ok and speedup >= CORPUS_TARGET
            ok = ok and (formatted is None or formatted >= PRETTIER_TARGET)
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
