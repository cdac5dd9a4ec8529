"""The browser tests skip on a developer machine without chromium, and fail
under CI=true, where a skipped browser test would hide a broken page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from _serve_harness import REPO

BROWSER_TESTS = REPO / "tests" / "acceptance" / "test_serve_browser.py"

pytestmark = pytest.mark.slow  # each runs pytest in a new process


def _pytest(ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["LDKIT_CHROMIUM"] = str(REPO / "no-such-chromium")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "-m", "slow"]
        + [str(BROWSER_TESTS)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def test_without_the_browser_they_skip_with_a_reason():
    done = _pytest(None)
    assert done.returncode == 0, done.stdout
    assert "3 skipped" in done.stdout
    assert "no-such-chromium is missing: run scripts/install-test-deps.sh" in done.stdout


def test_under_ci_without_the_browser_they_fail():
    done = _pytest("true")
    assert done.returncode == 1, done.stdout
    assert "CI=true: browser tests must run" in done.stdout
