"""The install snippets partners copy work as written, offline.

README.md's pre-commit snippet and the example workflow's install line name
ldkit's repository URL and pin a commit. Here they run verbatim against a local
clone of this repository: git's documented `url.<base>.insteadOf` setting (given
through `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_0`/`GIT_CONFIG_VALUE_0`, which
pre-commit and pip pass on to git) maps the URL to the clone, exactly as the
README tells partners to map it to their copy. No text is substituted, so a
snippet that rots (a wrong URL, a commit that is not in the history, a hook id
or an option that does not exist at that commit) fails here.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import REPO, partner_repository

README = REPO / "README.md"
WORKFLOW = REPO / ".github" / "workflows" / "validate.yml"
BROKEN = "integrations/broken/manifest.json"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(),
    reason="needs git and a git checkout of this repository",
)


def _repository_url() -> str:
    """`[project.urls] Repository` in pyproject.toml: the one the snippets must name."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    [url] = re.findall(r'^Repository = "([^"]+)"$', text, re.M)
    return url


def _pre_commit_snippet() -> dict:
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    [snippet] = [b for b in blocks if "id: ldkit-validate" in b and "repo:" in b]
    return yaml.safe_load(snippet)


def _workflow_steps() -> list[dict]:
    [job] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"].values()
    return job["steps"]


def _install_line() -> str:
    [step] = [s for s in _workflow_steps() if s.get("name") == "Install ldkit"]
    return step["run"].strip()


def _pinned(requirement_line: str) -> tuple[str, str]:
    match = re.search(r"git\+(\S+?)@([0-9a-f]{40})\"", requirement_line)
    assert match, f"not a git URL pinned to a commit: {requirement_line}"
    return match.group(1), match.group(2)


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


# --- the snippets agree, and pin a commit of this history ------------------------------------


def test_readme_workflow_and_project_urls_name_the_same_repository_and_commit():
    [repo] = _pre_commit_snippet()["repos"]
    url, commit = _pinned(_install_line())
    assert repo["repo"] == url == _repository_url()
    assert repo["rev"] == commit
    assert [hook["id"] for hook in repo["hooks"]] == [
        "ldkit-validate",
        "ldkit-replay",
        "ldkit-format",
    ]
    readme = README.read_text(encoding="utf-8")
    assert _install_line().removeprefix("python -m pip install ") in readme
    assert f'pipx install "git+{url}@{commit}"' in readme
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    links = re.findall(r"^\[[^\]]+\]: (\S+)$", changelog, re.M)
    assert links and all(link.startswith(f"{url}/") for link in links)


def test_the_pinned_commit_is_in_this_repository_s_history():
    if _git("rev-parse", "--is-shallow-repository", cwd=REPO) == "true":
        pytest.skip("a shallow clone does not hold the history the snippets pin")
    _, commit = _pinned(_install_line())
    ancestor = subprocess.run(
        ["git", "merge-base", "--is-ancestor", commit, "HEAD"], cwd=REPO, capture_output=True
    )
    assert ancestor.returncode == 0, f"{commit} is not an ancestor of HEAD"


def documented_options() -> dict[tuple[str, ...], set[str]]:
    """Every `ldkit` command line in the README's and the example workflow's code,
    as the command (`("validate",)`, `("dynatrace", "check")`) and the long
    options it uses."""
    lines: list[str] = []
    fenced = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1] + line  # a continued command line
        elif fenced:
            lines.append(line)
    lines += re.findall(r"run: (ldkit .*)", WORKFLOW.read_text(encoding="utf-8"))
    found: dict[tuple[str, ...], set[str]] = {}
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) < 2 or words[0] != "ldkit" or words[1].startswith("-"):
            continue
        command = tuple(words[1:3]) if words[1] == "dynatrace" else (words[1],)
        options = {w.split("=", 1)[0] for w in words if re.match(r"--[a-z][a-z-]*", w)}
        found.setdefault(command, set()).update(options)
    return found


def test_the_documented_command_lines_are_collected():
    documented = documented_options()
    assert {"--report", "--format", "--strict", "--schema"} <= documented[("validate",)]
    assert "--check" in documented[("format",)]
    assert ("dynatrace", "export") in documented


# --- and they work against a local clone ---------------------------------------------------


def _env(clone: Path, **extra: str) -> dict[str, str]:
    """The user's environment plus git's URL rewrite to the clone."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GITHUB_ACTIONS", "PYTHONPATH") and not k.startswith("GIT_CONFIG_")
    }
    env.update(
        GIT_CONFIG_COUNT="1",
        GIT_CONFIG_KEY_0=f"url.{clone.as_posix()}.insteadOf",
        GIT_CONFIG_VALUE_0=_repository_url(),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NO_COLOR="1",
        **extra,
    )
    return env


@pytest.mark.slow
def test_the_readme_pre_commit_snippet_installs_ldkit_and_runs_both_hooks(
    committed_clone, tmp_path
):
    partner = partner_repository(tmp_path)
    config = yaml.safe_dump(_pre_commit_snippet(), sort_keys=False)
    (partner / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _git("add", "-A", cwd=partner)
    home = tmp_path / "pre-commit-home"
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=partner,
        env=_env(committed_clone, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{BROKEN}:3:3: LD002 error: duplicate key 'name'" in output
    assert "integrations/dynatrace/manifest.json:" not in output
    assert re.search(r"ldkit replay\.+Passed", output), output

    # The hook's environment holds the installed ldkit (not this source tree),
    # with the templates `ldkit new` needs.
    [ldkit] = home.glob("repo*/py_env-*/bin/ldkit")
    assert not str(ldkit.resolve()).startswith(str(REPO))
    options = ["--no-input", "--author", "Acme Inc.", "--support-email", "s@acme.example"]
    options += ["--site", "https://acme.example", "--privacy-policy", "https://acme.example/p"]
    created = subprocess.run(
        [str(ldkit), "new", "acme", *options], cwd=partner, capture_output=True, text=True
    )
    assert created.returncode == 0, created.stderr
    checked = subprocess.run(
        [str(ldkit), "validate", "integrations/acme", "--format", "json"],
        cwd=partner,
        capture_output=True,
        text=True,
    )
    assert json.loads(checked.stdout)["summary"]["errors"] == 0, checked.stdout


@pytest.mark.slow
def test_the_workflow_install_line_and_ldkit_steps_work_as_written(committed_clone, tmp_path):
    """The workflow's `Install ldkit` command in a fresh virtual environment, then
    its ldkit steps in a partner checkout under GITHUB_ACTIONS=true."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    path = os.pathsep.join([str(venv / "bin"), os.environ.get("PATH", "")])
    env = _env(committed_clone, PATH=path, VIRTUAL_ENV=str(venv))
    install = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _install_line()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert (venv / "bin" / "ldkit").is_file()

    # What the README documents works at the revision the snippets pin.
    for command, options in documented_options().items():
        shown = subprocess.run(
            [str(venv / "bin" / "ldkit"), *command, "--help"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert shown.returncode == 0, f"ldkit {' '.join(command)}: {shown.stderr}"
        missing = sorted(o for o in options if o not in shown.stdout)
        assert not missing, f"the pinned ldkit {' '.join(command)} lacks {missing}"

    partner = partner_repository(tmp_path)
    env["GITHUB_ACTIONS"] = "true"
    ran: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in _workflow_steps():
        command = step.get("run", "").strip()
        if not command.startswith("ldkit "):
            continue
        argv = shlex.split(command)
        ran[argv[1]] = subprocess.run(
            argv, cwd=partner, env=env, capture_output=True, text=True, timeout=120
        )
    assert set(ran) == {"validate", "replay", "format"}

    validate = ran["validate"]
    assert validate.returncode == 1
    assert validate.stdout.startswith(f"::error file={BROKEN},line=3,col=3,title=LD002::")
    assert ran["replay"].returncode == 0, ran["replay"].stdout + ran["replay"].stderr
    # The partner's files are formatted: the format check passes.
    assert ran["format"].returncode == 0, ran["format"].stdout
    sarif = json.loads((partner / "ldkit.sarif").read_text(encoding="utf-8"))
    assert "LD002" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    junit = ET.parse(partner / "ldkit-junit.xml").getroot()
    assert int(junit.get("failures")) >= 1
