"""Regenerates docs/images/serve-page.png: `ldkit serve` with a Dynatrace
trigger after a test notification, a real problem and the same problem again
(it changes nothing), as Debian's chromium
shows it (the same browser and options as the browser tests).

Run from the repository root: `python scripts/serve-screenshot.py`.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "serve-page.png"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def post(url: str, body: dict) -> None:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ldkit",
                "serve",
                "--root",
                ".",
                "--db",
                f"{tmp}/s.db",
                "--port",
                "0",
                "--token",
                "x",
                "--quiet",
                "--trigger",
                "integration=dynatrace,flag=new-checkout,environment=production,action=turnFlagOff",
            ],
            stdout=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(ROOT / "tools"), "PATH": "/usr/bin:/bin"},
            cwd=ROOT,
        )
        try:
            lines = [json.loads(server.stdout.readline()) for _ in range(2)]
            url, base = lines[0]["triggerURL"], lines[1]["listening"]
            post(url, {"title": "Dynatrace problem notification test run", "url": ""})
            time.sleep(0.05)
            problem = {
                "title": "Failure rate increase on Web request service <checkout>",
                "url": "https://abc12345.live.dynatrace.com/#problems/problemdetails;pid=-123",
            }
            post(url, problem)
            time.sleep(0.05)
            post(url, problem)  # the problem closing: the flag is already off
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                page.goto(base + "/")
                page.locator("li.entry").wait_for(timeout=10_000)
                page.locator("section.recent details").first.evaluate("d => d.open = true")
                OUT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUT), full_page=True)
                browser.close()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
