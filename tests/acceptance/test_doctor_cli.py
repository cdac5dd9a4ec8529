"""`ldkit doctor` end to end against a real `ldkit serve`: the worked example
of docs/commands/doctor.md is re-run here and must print what the page shows
(ids and times aside), the JSON lists every call with its event name, test
flag and outcome, and every way the API can fail is one line and exit 2,
never the token."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="ldkit serve needs the serve extra")

from _serve_harness import REPO, make_root, request, start  # noqa: E402

pytestmark = pytest.mark.slow  # a server, and a new process per doctor run

DOC = REPO / "docs" / "commands" / "doctor.md"
TOKEN = "api-doctor-test-token"
SPEC = "integration=dynatrace,flag=new-checkout,environment=production,action=turnFlagOff"
PROBLEMS = "https://abc12345.live.dynatrace.com/#problems"

# The calls of the worked example, in order (the doc's curl lines send these).
TEST_RUN = {"title": "Dynatrace problem notification test run", "url": PROBLEMS}
REAL_PROBLEM = {"title": "Failure rate increase on Web request service", "url": PROBLEMS + "/p1"}
WRONG_KEYS = {"ProblemTitle": "Response time degradation", "ProblemURL": PROBLEMS + "/p2"}
FLAG_ARGS = ("new-checkout", "--project", "default", "--env", "production")
SECOND_PROBLEM = {"title": "Memory saturation on checkout-service", "url": PROBLEMS + "/p3"}


def doctor(root: Path, *args: str, token: str | None = TOKEN) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LD_API_KEY"}
    env["PYTHONPATH"] = str(REPO / "tools")
    if token is not None:
        env["LD_API_KEY"] = token
    return subprocess.run(
        [sys.executable, "-m", "ldkit", "doctor", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The worked example: a Dynatrace trigger on new-checkout, its test
    notification, a real problem, a payload with the wrong keys, the flag
    turned back on through the API, and a second problem."""
    tmp = tmp_path_factory.mktemp("doctor")
    root = make_root(tmp)
    server = start(root, tmp / "serve.db", "--trigger", SPEC, token=TOKEN)
    url = server.triggers[0]["triggerURL"]
    try:
        for body in (TEST_RUN, REAL_PROBLEM, WRONG_KEYS):
            assert request(url, "POST", body).status == 200
        patch = [{"op": "replace", "path": "/environments/production/on", "value": True}]
        assert server.api("PATCH", "/api/v2/flags/default/new-checkout", patch).status == 200
        assert request(url, "POST", SECOND_PROBLEM).status == 200
        yield root, server
    finally:
        assert server.stop() == 0


def _mask(text: str) -> str:
    text = re.sub(r"\b[0-9a-f]{24}\b", "<id>", text)
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC", "<time>", text)


def _doc_block(marker: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(re.escape(marker) + r"\n+```text\n(.*?)```", text, re.S)
    assert found, f"{DOC} has no text block after {marker}"
    return found.group(1)


def test_the_worked_example_prints_what_the_docs_show(example):
    root, server = example
    result = doctor(root, *FLAG_ARGS, "--api", server.base)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert _mask(result.stdout) == _mask(_doc_block("<!-- doctor text output -->"))


def test_json_lists_each_call_with_event_name_test_flag_and_outcome(example):
    root, server = example
    result = doctor(root, *FLAG_ARGS, "--api", server.base, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    [trigger] = report["triggers"]
    assert trigger["integrationKey"] == "dynatrace" and trigger["triggerCount"] == 4
    calls = [(c["eventName"], c["isTest"], c["outcome"]) for c in trigger["calls"]]
    assert calls == [
        ("Dynatrace problem notification test run", True, "test-event"),
        ("Failure rate increase on Web request service", False, "applied"),
        ("An alert", False, "no-change"),
        ("Memory saturation on checkout-service", False, "applied"),
    ]
    wrong_keys = trigger["calls"][2]
    assert any("fallback 'An alert'" in fix for fix in wrong_keys["fixes"])
    assert any("url is null" in fix for fix in wrong_keys["fixes"])
    assert [c["entry"] is not None for c in trigger["calls"]] == [False, True, False, True]
    [api_change] = report["changeHistory"]["otherChanges"]
    assert api_change["on"] is True and "API token" in api_change["title"]
    assert report["flagOn"] is False


def test_an_integration_folder_replays_every_trigger(example, tmp_path):
    """--integration: a manifest whose test pattern misses Dynatrace's test
    notification explains that the test run would have flipped the flag."""
    root, server = example
    manifest = json.loads((root / "integrations" / "dynatrace" / "manifest.json").read_text())
    manifest["capabilities"]["trigger"]["testEventNameRegexp"] = "^Dynatrace test$"
    folder = tmp_path / "dynatrace"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    result = doctor(
        root, *FLAG_ARGS, "--api", server.base, "--integration", str(folder), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)["triggers"][0]["calls"][0]
    assert first["isTest"] is False
    assert first["outcome"] == "unknown"
    assert "change history has no such change" in first["reason"]
    assert any("looks like a test notification" in fix for fix in first["fixes"])


@pytest.mark.parametrize(
    ("token", "api", "expected"),
    [
        (None, None, "ldkit doctor: LD_API_KEY is not set"),
        ("wrong-token", None, "answered 401: LD_API_KEY is not a valid API access token"),
        (TOKEN, "http://127.0.0.1:9", "ldkit doctor: cannot reach http://127.0.0.1:9: "),
        (TOKEN, "ftp://example.com", "ldkit doctor: --api 'ftp://example.com' is not an http"),
    ],
)
def test_no_token_a_bad_token_or_no_api_is_one_line_and_exit_2(example, token, api, expected):
    root, server = example
    result = doctor(root, *FLAG_ARGS, "--api", api or server.base, token=token)
    assert result.returncode == 2
    assert result.stdout == ""
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1
    assert "wrong-token" not in result.stderr and TOKEN not in result.stderr


def test_an_unknown_flag_or_environment_is_exit_2(example):
    root, server = example
    result = doctor(
        root, "nope", "--project", "default", "--env", "production", "--api", server.base
    )
    assert (result.returncode, result.stderr) == (
        2,
        f"ldkit doctor: no flag 'nope' in project 'default' at {server.base}\n",
    )
    result = doctor(
        root, "new-checkout", "--project", "default", "--env", "prod", "--api", server.base
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"ldkit doctor: flag 'new-checkout' has no environment 'prod' at {server.base} "
        "(it has: production)\n"
    )


def test_the_docs_send_the_same_calls_as_this_test():
    """The worked example's curl lines carry exactly the bodies re-run above."""
    text = DOC.read_text(encoding="utf-8")
    sent = [
        json.loads(body.replace("'$P'", PROBLEMS))
        for body in re.findall(r"-d '(.+?)'$", text, re.M)
    ]
    patch = [{"op": "replace", "path": "/environments/production/on", "value": True}]
    assert sent == [TEST_RUN, REAL_PROBLEM, WRONG_KEYS, patch, SECOND_PROBLEM]
