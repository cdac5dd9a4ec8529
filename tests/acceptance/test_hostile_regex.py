"""A catastrophic-backtracking test pattern cannot hang `ldkit trigger`, `replay` or `validate`.

Each run is a real subprocess with a timeout: a hang fails the test instead of
hanging the suite. The bound is generous; RE2 needs milliseconds.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import FIXTURES

INTEGRATION = FIXTURES / "hostile" / "backtracking-regexp" / "integrations" / "slow-tool"
HANG_LIMIT_SECONDS = 60


def ldkit(*args: str, stdin: bytes = b"", cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ldkit", *args],
        input=stdin,
        capture_output=True,
        timeout=HANG_LIMIT_SECONDS,
        cwd=cwd,
    )


def test_trigger_with_a_backtracking_pattern_and_a_long_event_name_returns(tmp_path):
    body = json.dumps({"title": "a" * 100_000 + "!"}).encode()
    result = ldkit("trigger", str(INTEGRATION), "--body", "-", stdin=body)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["isTest"] is False
    assert outcome["outcome"] == "applied"


def test_validate_reports_the_backtracking_shape_as_a_warning_and_returns():
    result = ldkit("validate", str(INTEGRATION), "--format", "json")
    findings = [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]
    [warning] = [f for f in findings if f["rule"] == "LD432"]
    assert warning["severity"] == "warning"
    assert warning["pointer"] == "/capabilities/trigger/testEventNameRegexp"
