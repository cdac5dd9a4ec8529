"""Trigger throughput and NDJSON memory.

1. In-process: invocations per second through `ldkit.trigger.core.invoke` with
   the change-history entry rendered every time (target: >= 20,000/s).
2. Streaming: a million NDJSON lines through `ldkit trigger --body - --ndjson`
   in a child process; its RSS is sampled near the start and at the end
   (target: flat, i.e. the end within a few MB of the start).

Run from the repository root: `python benchmarks/trigger_bench.py [--lines N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from ldkit.trigger.core import (  # noqa: E402
    TriggerConfig,
    TriggerHistory,
    TriggerRequest,
    TriggerSpec,
    invoke,
    to_json,
)

MANIFEST = ROOT / "integrations" / "dynatrace" / "manifest.json"
BODY = json.dumps(
    {
        "title": "Response time degradation on [easyTravel] *frontend*",
        "url": "https://abc12345.live.dynatrace.com/#problems/problemdetails;pid=1_2V2",
    }
).encode()


def in_process(seconds: float) -> float:
    manifest = json.loads(MANIFEST.read_text())
    spec = TriggerSpec.from_manifest(manifest)
    config = TriggerConfig()
    history = TriggerHistory()
    # warm up: compile templates and the regexp once, as a long run would
    invoke(manifest, "dynatrace", config, True, TriggerRequest(BODY, 0), history, spec=spec)
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while True:
        for _ in range(1000):
            result = invoke(
                manifest, "dynatrace", config, True, TriggerRequest(BODY, count), history, spec=spec
            )
            count += 1
        if time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - started
    assert result.entry is not None, "every call must render an entry"
    return count / elapsed


def in_process_with_json(seconds: float) -> float:
    """The same, plus serialising the result as `--format json` does."""
    manifest = json.loads(MANIFEST.read_text())
    spec = TriggerSpec.from_manifest(manifest)
    config = TriggerConfig()
    history = TriggerHistory()
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for _ in range(1000):
            result = invoke(
                manifest, "dynatrace", config, True, TriggerRequest(BODY, count), history, spec=spec
            )
            to_json(result.to_dict(), indent=None)
            count += 1
    return count / (time.perf_counter() - started)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def streaming(lines: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tools"))
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ldkit",
            "trigger",
            str(MANIFEST.parent),
            "--body",
            "-",
            "--ndjson",
            "--timestamp",
            "1",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None
    samples: list[tuple[int, int]] = []
    out_lines = 0

    def read() -> None:
        nonlocal out_lines
        for _ in child.stdout:  # type: ignore[union-attr]
            out_lines += 1
            if out_lines in (10_000, lines // 2) or out_lines % 100_000 == 0:
                samples.append((out_lines, rss_kib(child.pid)))

    reader = threading.Thread(target=read)
    reader.start()
    started = time.perf_counter()
    # alternate a real problem, a test notification, junk and a javascript:
    # url so that parsing, test detection and warnings run throughout (the
    # flag state carries over: after the first line the flag is off)
    chunk = b"\n".join(
        [
            BODY,
            b'{"title": "Dynatrace problem notification test run"}',
            b"not json at all",
            b'{"title": "CPU", "url": "javascript:alert(1)"}',
        ]
    )
    written = 0
    while written < lines:
        block = min(1000, (lines - written) // 4 or 1)
        child.stdin.write((chunk + b"\n") * block)
        written += 4 * block
    child.stdin.close()
    reader.join()
    child.wait()
    elapsed = time.perf_counter() - started
    first = samples[0][1] if samples else 0
    last = samples[-1][1] if samples else 0
    return {
        "lines": out_lines,
        "seconds": elapsed,
        "lines_per_s": out_lines / elapsed,
        "rss_start_mib": first / 1024,
        "rss_end_mib": last / 1024,
        "rss_max_mib": max((s[1] for s in samples), default=0) / 1024,
        "exit": child.returncode,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()

    rate = in_process(args.seconds)
    print(f"in-process invoke with entry rendered: {rate:,.0f} invocations/s (target >= 20,000)")
    rate_json = in_process_with_json(args.seconds)
    print(f"  ... plus JSON serialisation:          {rate_json:,.0f} invocations/s")
    result = streaming(args.lines)
    print(
        f"ndjson: {result['lines']:,} lines in {result['seconds']:.1f} s "
        f"({result['lines_per_s']:,.0f} lines/s), exit {result['exit']}; RSS "
        f"start {result['rss_start_mib']:.1f} MiB, end {result['rss_end_mib']:.1f} MiB, "
        f"max {result['rss_max_mib']:.1f} MiB"
    )


if __name__ == "__main__":
    main()
