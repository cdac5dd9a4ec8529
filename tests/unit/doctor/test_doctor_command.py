"""`ldkit doctor` end to end against an API on 127.0.0.1 that echoes the token
back inside the bodies it says it kept: the token must not reach the output,
in text or in JSON (a hostile or careless server must not make doctor print it)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from ldkit.commands.doctor import command

TOKEN = "api-echoed-secret-5678"


class Echoing(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        said = self.headers.get("Authorization", "")
        path = self.path.split("?")[0]
        if path.endswith("/triggers/production"):
            body = {
                "title": f"alert for {said}",
                "url": f"https://example.com/{said}",
                said: said,
            }
            document: object = {
                "items": [
                    {
                        "_id": f"id-{said}",
                        "_integrationKey": "dynatrace",
                        "enabled": True,
                        "_triggerCount": 1,
                        "instructions": [{"kind": "turnFlagOff"}],
                        "_recentTriggerBodies": [
                            {"timestamp": 1_765_000_000_000, "jsonBody": body}
                        ],
                    }
                ]
            }
        elif path.startswith("/api/v2/flags/"):
            document = {"key": "f", "environments": {"production": {"on": True}}}
        else:
            document = {"items": []}
        data = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echoing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_token_the_api_echoes_in_kept_bodies_is_never_printed(api, fmt):
    result = CliRunner().invoke(
        command,
        ["f", "--project", "p", "--env", "production", "--api", api, "--format", fmt],
        env={"LD_API_KEY": TOKEN},
    )
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    assert "alert for [token]" in result.output
    if fmt == "json":
        report = json.loads(result.output)
        assert report["triggers"][0]["calls"][0]["jsonBody"]["title"] == "alert for [token]"


@pytest.mark.parametrize(
    "token", ["api-sécret\nline-two", "api-secret\r\nX-Injected: 1", "api-\x1b[2Jx"]
)
def test_a_token_no_api_could_have_is_refused_without_showing_it(token):
    result = CliRunner().invoke(
        command,
        ["f", "--project", "p", "--env", "production", "--api", "http://127.0.0.1:9"],
        env={"LD_API_KEY": token},
    )
    assert result.exit_code == 2
    assert "LD_API_KEY" in result.output and len(result.output.strip().splitlines()) == 1
    for part in ("sécret", "line-two", "X-Injected", "[2J"):
        assert part not in result.output
