"""How fast `ldkit lsp` republishes diagnostics after an edit, and whether its
memory stays flat.

A real client (pygls's) starts the installed `ldkit lsp`, opens a copy of the
Dynatrace integration's manifest and edits it, one edit at a time, alternating
a clean text and one with a parser pointer that is not a JSON pointer (LD410),
so every edit changes what is published. For each edit it measures the time
from sending `didChange` to receiving the diagnostics of that version: the
debounce, the check and the round trip. Then it sends a burst of edits without
waiting, and counts the publications the burst drew (the debounce promises one).
The server's resident memory is read from /proc after the warm-up and after the
last edit. Targets: median under 100 ms; memory flat (growth under 10 MB)
over a thousand edits; one publication per burst. Run from the repository root:

    python benchmarks/lsp_bench.py [--edits 1000] [--burst 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
MANIFEST = "integrations/dynatrace/manifest.json"
GOOD, BAD = '"eventName": "/title"', '"eventName": "title"'
TARGET_MS = 100.0
FLAT_MB = 10.0
WARM_UP = 20


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class Bench:
    def __init__(self) -> None:
        self.client = LanguageClient("ldkit-bench", "1")
        self.arrived: dict[int, float] = {}
        self.count = 0
        self.event = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            if params.uri.endswith(MANIFEST) and params.version is not None:
                self.arrived[params.version] = time.perf_counter()
                self.count += 1
                self.event.set()

    async def wait_for(self, version: int, timeout: float = 60) -> float:
        deadline = time.perf_counter() + timeout
        while version not in self.arrived:
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), max(deadline - time.perf_counter(), 0.01))
        return self.arrived[version]


async def run(edits: int, burst: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "integrations" / "dynatrace", root / "integrations" / "dynatrace")
        text = (root / MANIFEST).read_text()
        uri = (root / MANIFEST).as_uri()
        bench = Bench()
        script = shutil.which("ldkit", path=str(Path(sys.executable).parent)) or "ldkit"
        await bench.client.start_io(script, "lsp")
        pid = bench.client._server.pid  # noqa: SLF001 - the process we started
        await bench.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=root.as_uri(),
                process_id=os.getpid(),
            )
        )
        bench.client.initialized(types.InitializedParams())
        bench.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="json", version=1, text=text
                )
            )
        )
        await bench.wait_for(1)
        version = 1

        def change(new: str) -> int:
            nonlocal version
            version += 1
            bench.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=new)],
                )
            )
            return version

        times: list[float] = []
        memory_after_warm_up = 0.0
        for n in range(edits):
            start = time.perf_counter()
            sent = change(text.replace(GOOD, BAD) if n % 2 == 0 else text)
            times.append((await bench.wait_for(sent)) - start)
            if n == WARM_UP - 1:
                memory_after_warm_up = rss_mb(pid)
        memory_at_end = rss_mb(pid)
        before = bench.count
        for n in range(burst):
            last = change(text.replace(GOOD, f'"eventName": "t{n}"'))
        await bench.wait_for(last)
        await asyncio.sleep(1.0)
        burst_publications = bench.count - before
        await bench.client.shutdown_async(None)
        bench.client.exit(None)
        await bench.client.stop()
    measured = sorted(times[WARM_UP:] or times)
    median = statistics.median(measured) * 1000
    p90 = measured[int(len(measured) * 0.9) - 1] * 1000 if len(measured) >= 10 else median
    growth = memory_at_end - memory_after_warm_up
    load = os.getloadavg()[0]
    print(f"edits: {edits} (median of {len(measured)} after {WARM_UP} warm-up edits)")
    print(
        f"republish after an edit: median {median:.1f} ms, p90 {p90:.1f} ms "
        f"(target < {TARGET_MS:.0f} ms)"
    )
    print(
        f"server memory: {memory_after_warm_up:.1f} MB after warm-up, "
        f"{memory_at_end:.1f} MB at the end "
        f"({growth:+.1f} MB; target under {FLAT_MB:.0f} MB)"
    )
    print(f"burst of {burst} edits: {burst_publications} publication(s) (target 1)")
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} cores")
    ok = median < TARGET_MS and growth < FLAT_MB and burst_publications == 1
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--burst", type=int, default=50)
    args = parser.parse_args()
    return asyncio.run(run(args.edits, args.burst))


if __name__ == "__main__":
    sys.exit(main())
