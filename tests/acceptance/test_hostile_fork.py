"""A fork built from every attack class at once, run through every command a
CI job runs on a pull request: `validate`, `replay`, `format --check` and
`dynatrace check`.

The fork holds, together: a form variable whose type is an object, ten
thousand object categories (quadratic `uniqueItems`), a flag template that
nests `{{#each @root}}` six deep, a payload that repeats `{ProblemDetailsJSON}`
twenty thousand times, a replay case nested a hundred thousand levels deep, a
loop of symbolic links in `replays/`, a FIFO and a link out of the tree among
the JSON files, a `.prettierignore` of pathological globs, a Terraform file
that reads the runner's environment and holds a 5,000-digit number, and a
Monaco configuration whose template is `/etc/passwd`.

Each command runs as a real process under a time limit and a 1 GiB address
space, and must end in findings or a one-line error: no traceback, no internal
error, nothing from outside the tree in its output (a canary variable stands
in for the CI job's secrets).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="FIFOs, symbolic links and rlimits need POSIX"),
]

SECONDS = 60
MEMORY = 1 << 30
CANARY = "ldkit-canary-7f3a9c1e"
OUTSIDE = f"outside the tree: {CANARY}-file"


def _ldkit(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    env = {**os.environ, "LDKIT_CANARY_SECRET": CANARY}
    env.pop("LDKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "ldkit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=SECONDS,
        preexec_fn=limit,
    )


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fork")
    secret_file = root.parent / f"{root.name}-outside.txt"
    secret_file.write_text(OUTSIDE + "\n", encoding="utf-8")

    folder = root / "integrations" / "evil"
    shutil.copytree(REPO / "integrations" / "dynatrace", folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["formVariables"][0]["type"] = {"an": "object"}
    manifest["categories"] = [{"i": i} for i in range(10_000)]
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")

    each = "{{#each @root}}" * 6 + "x" + "{{/each}}" * 6
    (folder / "templates" / "flag.json.hbs").write_text(each, encoding="utf-8")
    repeated = ",".join(["{ProblemDetailsJSON}"] * 20_000)
    (folder / "payloads" / "recommended.json").write_text(
        '{"title": "{ProblemTitle}", "x": [' + repeated + "]}", encoding="utf-8"
    )
    (folder / "replays" / "deep.case.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (folder / "replays" / "loop-a.case.json").symlink_to("loop-b.case.json")
    (folder / "replays" / "loop-b.case.json").symlink_to("loop-a.case.json")
    os.mkfifo(folder / "samples" / "fifo.problem.json")
    (folder / "outside.json").symlink_to(secret_file)

    (root / ".prettierignore").write_text(
        "[z-a]\n" + "*a" * 40 + "b\n" + "**/" * 200 + "x\n", encoding="utf-8"
    )
    big = "9" * 5000
    (root / "notification.tf").write_text(
        'resource "dynatrace_webhook_notification" "x" {\n'
        '  name    = "LaunchDarkly"\n  active  = true\n  profile = "p"\n'
        '  url     = file("/proc/self/environ")\n'
        f'  payload = jsonencode({{ title = "{{ProblemTitle}}", n = {big} }})\n'
        '  header {\n    name  = "X-Env"\n'
        f'    value = file("{secret_file}")\n  }}\n}}\n',
        encoding="utf-8",
    )
    monaco = root / "monaco"
    monaco.mkdir()
    (monaco / "config.yaml").write_text(
        "configs:\n- id: ld\n  type:\n    settings:\n      schema: builtin:problem.notifications\n"
        f"      scope: environment\n  config:\n    name: ld\n    template: {secret_file}\n",
        encoding="utf-8",
    )
    return root


def _assert_contained(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1, 2), output[-2000:]
    assert "Traceback" not in output
    assert "internal error" not in output
    assert CANARY not in output, "a file or variable from outside the tree was printed"


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "integrations/evil", "--format", "json"),
        ("validate", "integrations/evil"),
        ("replay", "integrations/evil"),
        ("format", "--check", "."),
        ("format", "--diff", "."),
        ("dynatrace", "check", "notification.tf", "--integration", "integrations/evil"),
        ("dynatrace", "check", "monaco/config.yaml", "--integration", "integrations/evil"),
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_every_command_ends_in_findings_within_bounds(fork, args):
    result = _ldkit(fork, *args)
    _assert_contained(result)


def test_validate_reports_the_causes_it_can_see(fork, tmp_path):
    # A file that cannot be read at all (the FIFO, the loop of links) stops
    # validate with exit 2 and its reason; without them, every cause is a finding.
    unreadable = shutil.ignore_patterns("fifo.problem.json", "loop-*.case.json", "outside.json")
    copy = tmp_path / "fork"
    shutil.copytree(fork / "integrations", copy / "integrations", symlinks=True, ignore=unreadable)
    stopped = _ldkit(fork, "validate", "integrations/evil")
    assert stopped.returncode == 2
    assert "Too many levels of symbolic links" in stopped.stderr or "FIFO" in stopped.stderr
    result = _ldkit(copy, "validate", "integrations/evil", "--format", "json")
    _assert_contained(result)
    rules = {f["rule"] for file in json.loads(result.stdout)["files"] for f in file["findings"]}
    # The object type, the object categories, the runaway template, the payload
    # Dynatrace refuses to save, the case nested too deeply.
    assert {"LD103", "LD304", "LD605", "LD001"} <= rules


def test_format_never_replaces_a_link_with_a_copy_of_its_target(fork):
    link = fork / "integrations" / "evil" / "outside.json"
    _ldkit(fork, "format", ".")
    assert link.is_symlink()
