"""`.ci/run` runs the README's test command, verbatim, on every CPython from
3.10 to 3.13 it finds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

CI_RUN = REPO / ".ci" / "run"


def _readme_set_up_commands() -> list[str]:
    set_up = (REPO / "README.md").read_text("utf-8").split("## Set-up", 1)[1].split("\n### ", 1)[0]
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", set_up, re.S)]


def _readme_test_command() -> str:
    [command] = [c for c in _readme_set_up_commands() if "pytest" in c]
    return command


def test_the_readme_sets_up_with_exactly_two_commands_each_making_its_own_environment():
    install_and_validate, run_tests = _readme_set_up_commands()
    assert install_and_validate.endswith("&& ldkit validate")
    assert run_tests == _readme_test_command()
    for command in (install_and_validate, run_tests):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && ")


def test_ci_runs_the_readme_test_command_verbatim():
    command = _readme_test_command()
    assert command == (
        "python3 -m venv .venv && . .venv/bin/activate && sh scripts/install-test-deps.sh"
        " && python3 -m pip install -e '.[dev]' && python3 -m pytest -m 'slow or not slow'"
    )
    lines = [line.strip() for line in CI_RUN.read_text("utf-8").splitlines()]
    assert command in lines


def test_ci_covers_python_3_10_to_3_13_as_pyproject_allows():
    assert "VERSIONS=(3.10 3.11 3.12 3.13)" in CI_RUN.read_text("utf-8")
    assert 'requires-python = ">=3.10"' in (REPO / "pyproject.toml").read_text("utf-8")
    assert os.access(CI_RUN, os.X_OK)


def test_ci_finds_the_running_interpreter_by_its_version():
    """The lookup `.ci/run` uses, for the Python running this test (on PATH as
    python3.X, as actions/setup-python and virtual environments provide it)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    script = CI_RUN.read_text("utf-8")
    function = script[script.index("find_python() {") : script.index("\n}\n") + 3]
    env = {**os.environ, "PYENV_ROOT": "/nonexistent"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    found = subprocess.run(
        ["bash", "-c", f"{function}\nfind_python {version}; find_python 2.9"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(found) == 1
    probe = subprocess.run(
        [found[0], "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == version
