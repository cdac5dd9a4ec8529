"""Runs `ldkit serve` as a real process on 127.0.0.1 (a free port chosen by
the kernel: `--port 0`) and talks to it with a real HTTP client (http.client).
Every wait is bounded so that a broken server fails a test instead of
hanging it."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
FIXTURE_ROOT = REPO / "tests" / "fixtures" / "serve"
START_SECONDS = 20
STOP_SECONDS = 20


def make_root(tmp: Path) -> Path:
    """An integrations root of our own: the fixture generic trigger plus the
    repository's Dynatrace integration."""
    root = tmp / "root"
    shutil.copytree(FIXTURE_ROOT / "integrations", root / "integrations")
    shutil.copytree(REPO / "integrations" / "dynatrace", root / "integrations" / "dynatrace")
    return root


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(
    url: str,
    method: str = "GET",
    body: bytes | str | dict | list | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> Response:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        if isinstance(body, dict | list):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        raw = conn.getresponse()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
    finally:
        conn.close()


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    token: str
    triggers: list[dict]
    stderr_lines: list[str] = field(default_factory=list)
    listening: dict = field(default_factory=dict)

    def api(self, method: str, path: str, body=None, headers=None) -> Response:
        merged = {"Authorization": self.token, **(headers or {})}
        return request(self.base + path, method, body, merged)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)
            raise AssertionError("the server did not stop within the time limit") from None

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)


def command(root: Path, db: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ldkit",
        "serve",
        "--root",
        str(root),
        "--db",
        str(db),
        "--port",
        "0",
        *args,
    ]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "tools") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def start(root: Path, db: Path, *args: str, token: str | None = "test-token") -> Server:
    """Starts the server and waits until `GET /` answers 200. `token` None:
    let the server generate and store one."""
    token_args = ("--token", token) if token is not None else ()
    process = subprocess.Popen(
        command(root, db, *token_args, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
        text=True,
    )
    stderr_lines: list[str] = []
    threading.Thread(
        target=lambda: stderr_lines.extend(iter(process.stderr.readline, "")), daemon=True
    ).start()
    lines: list[dict] = []
    found: list[str] = []

    def read_stdout() -> None:
        for line in iter(process.stdout.readline, ""):
            document = json.loads(line)
            lines.append(document)
            if "listening" in document:
                found.append(document)
                return

    reader = threading.Thread(target=read_stdout, daemon=True)
    reader.start()
    reader.join(START_SECONDS)
    if not found:
        process.kill()
        process.wait(STOP_SECONDS)
        raise AssertionError(f"the server did not start: {''.join(stderr_lines)}")
    base = found[0]["listening"]
    if token is None:
        token = Path(found[0]["tokenFile"]).read_text(encoding="utf-8").strip()
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            # The token opens the page when the server listens beyond loopback.
            if request(base + "/", headers={"Authorization": token}, timeout=2).status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("GET / never answered 200")
        time.sleep(0.05)
    triggers = [d for d in lines if "triggerURL" in d]
    return Server(process, base, token, triggers, stderr_lines, found[0])


def run_to_exit(root: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    """A server start that is expected to fail: returns its exit and output."""
    return subprocess.run(
        command(root, db, *args),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=START_SECONDS,
    )
