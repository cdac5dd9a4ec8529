"""The command line as a whole: help, version, and staying light to start."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_help_lists_every_command(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in ("validate", "rules", "trigger", "replay", "render", "new", "dynatrace"):
        assert f"  {name} " in result.stdout


def test_help_does_not_import_the_heavy_libraries():
    """`ldkit --help` and pre-commit start-up should not pay for jsonschema or Jinja2."""
    code = (
        "import sys\n"
        "from ldkit.cli import main\n"
        "main(['--help'])\n"
        "heavy = [m for m in ('jsonschema', 'jinja2', 'referencing') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "tools")},
        check=True,
    ).stdout
    assert "HEAVY []" in out


def test_python_dash_m_ldkit_runs_the_same_cli():
    out = subprocess.run(
        [sys.executable, "-m", "ldkit", "--version"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "tools")},
        check=True,
    ).stdout
    assert out.startswith("ldkit, version ")


def test_unknown_command_is_a_usage_error(run):
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.stderr
