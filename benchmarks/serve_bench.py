"""`ldkit serve` throughput, latency and memory, with durability on.

Starts `ldkit serve` (the real command, SQLite with synchronous=FULL) on
127.0.0.1 with two Dynatrace triggers on one flag, one turning it off and one
on, and has 16 concurrent clients (keep-alive connections, in one asyncio
process) post Dynatrace problem bodies to them, half to each, so that the flag
flips and change-history entries are rendered and written throughout.
Reports calls per second, p50/p99 latency and the server's resident memory
early and at the end, then checks that the trigger counts equal the calls
answered 200 and that the database passes `PRAGMA integrity_check`.

Targets on 2 cores: >= 1,000 calls/s, p99 < 50 ms, flat memory over 100,000
calls. Run from the repository root after `pip install -e '.[serve]'`:
`python benchmarks/serve_bench.py [--calls N] [--clients 16]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BODY = json.dumps(
    {
        "title": "Response time degradation on [easyTravel] *frontend*",
        "url": "https://abc12345.live.dynatrace.com/#problems/problemdetails;pid=1_2V2",
        "state": "OPEN",
        "impact": "SERVICE",
    }
).encode()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def client(
    url: str, calls: int, latencies: list[float], statuses: dict[int, int], progress: list[int]
) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    request = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(BODY)}\r\n\r\n"
    ).encode() + BODY
    for _ in range(calls):
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        status = int(head[9:12])
        statuses[status] = statuses.get(status, 0) + 1
        progress[0] += 1
    writer.close()


async def load(urls: list[str], clients: int, calls: int, pid: int) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    progress = [0]
    memory: list[tuple[int, int]] = []

    async def sample() -> None:
        while True:
            memory.append((progress[0], rss_kib(pid)))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    each = calls // clients
    cpu_before = cpu_seconds(pid)
    client_before = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(
        *(client(urls[i % len(urls)], each, latencies, statuses, progress) for i in range(clients))
    )
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    client_cpu = time.process_time() - client_before
    sampler.cancel()
    memory.append((progress[0], rss_kib(pid)))
    latencies.sort()
    done = len(latencies)
    early = next((kib for count, kib in memory if count >= done // 10), memory[0][1])
    return {
        "calls": done,
        "statuses": statuses,
        "seconds": round(elapsed, 2),
        "callsPerSecond": round(done / elapsed),
        "p50ms": round(latencies[done // 2] * 1000, 2),
        "p99ms": round(latencies[int(done * 0.99)] * 1000, 2),
        "maxms": round(latencies[-1] * 1000, 2),
        "serverCpuMsPerCall": round(cpu / done * 1000, 3),
        "serverCpuCores": round(cpu / elapsed, 2),
        "clientCpuCores": round(client_cpu / elapsed, 2),
        "rssKiBAt10Percent": early,
        "rssKiBAtEnd": memory[-1][1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "tools"))
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ldkit",
                "serve",
                "--root",
                str(ROOT),
                "--db",
                str(db),
                "--port",
                "0",
                "--token",
                "bench",
                "--quiet",
                "--trigger",
                "integration=dynatrace,flag=bench,action=turnFlagOff,state=on",
                "--trigger",
                "integration=dynatrace,flag=bench,action=turnFlagOn",
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            urls = []
            while True:
                line = json.loads(server.stdout.readline())
                if "listening" in line:
                    break
                urls.append(line["triggerURL"])
            result = asyncio.run(load(urls, args.clients, args.calls, server.pid))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(60)
        conn = sqlite3.connect(db)
        counted = conn.execute("SELECT sum(trigger_count) FROM triggers").fetchone()[0]
        entries = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()

    result.update(
        {
            "clients": args.clients,
            "cores": os.cpu_count(),
            "countedCalls": counted,
            "historyEntries": entries,
            "integrityCheck": integrity,
            "serverExit": server.returncode,
        }
    )
    print(json.dumps(result, indent=2))
    ok = (
        result["statuses"] == {200: result["calls"]}
        and counted == result["calls"]
        and integrity == "ok"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
