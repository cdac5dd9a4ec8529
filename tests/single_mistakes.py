"""The single-mistake corpus (issue 21): each case under
`tests/fixtures/mistakes/<file kind>.mistakes.json` is one realistic mistake, made in a
copy of `integrations/dynatrace`, and the one finding it must draw.

A case names the `file` (relative to the integration folder) and how to make
the mistake: `replace` [old, new] (the first occurrence; every one with
`"all": true`), `prepend` text, `strip_end` (drop the final newline), `delete`
the file, `bytes` (hex) or `text` to write. `expect` is the finding: `rule`,
`severity`, `file`, `line`; a configuration mistake expects `usage` (a text
the one-line usage error contains) instead. `known_gap` says why ldkit does
not draw exactly that finding yet (the test expects it to fail).

`python tests/single_mistakes.py [PYTHONPATH]` measures how many cases draw
exactly their finding with the ldkit in PYTHONPATH (default: this checkout's
tools/), so the corpus can be run against another revision.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "mistakes"
INTEGRATION = "integrations/dynatrace"
SUFFIX = ".mistakes.json"


@dataclass(frozen=True)
class Mistake:
    kind: str
    case: dict

    @property
    def id(self) -> str:
        return f"{self.kind}: {self.case['name']}"

    def make(self, root: Path) -> None:
        """A partner repository under `root` holding the integration with this mistake."""
        folder = root / INTEGRATION
        shutil.copytree(REPO / INTEGRATION, folder)
        shutil.copyfile(REPO / ".prettierignore", root / ".prettierignore")
        (root / ".git").mkdir()  # the configuration search stops here
        case = self.case
        target = folder / case["file"]
        if case.get("delete"):
            target.unlink()
        elif "bytes" in case:
            target.write_bytes(bytes.fromhex(case["bytes"]))
        elif "text" in case:
            target.write_text(case["text"], encoding="utf-8")
        else:
            text = target.read_bytes().decode("utf-8")
            if "replace" in case:
                old, new = case["replace"]
                assert old in text, f"{self.id}: {old!r} is not in {case['file']}"
                text = text.replace(old, new) if case.get("all") else text.replace(old, new, 1)
            if "prepend" in case:
                text = case["prepend"] + text
            if case.get("strip_end"):
                text = text.rstrip("\n")
            target.write_bytes(text.encode("utf-8"))


def corpus() -> list[Mistake]:
    return [
        Mistake(path.name.removesuffix(SUFFIX), case)
        for path in sorted(CORPUS.glob(f"*{SUFFIX}"))
        for case in json.loads(path.read_text(encoding="utf-8"))
    ]


def findings_of(report: dict) -> list[dict]:
    return [finding for file in report["files"] for finding in file["findings"]]


def verdict(mistake: Mistake, code: int, stdout: str, stderr: str) -> str | None:
    """None when the run drew exactly the expected finding, else what it drew."""
    expect = mistake.case["expect"]
    if "usage" in expect:
        errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
        if code == 2 and len(errors) == 1 and expect["usage"] in errors[0]:
            return None
        return f"exit {code}: {stderr.strip()!r}"
    try:
        found = findings_of(json.loads(stdout))
    except ValueError:
        return f"exit {code}: {stderr.strip()[:200]!r}"
    wanted = (expect["rule"], expect["severity"], f"{INTEGRATION}/{expect['file']}", expect["line"])
    drawn = [(f["rule"], f["severity"], f["path"], f["line"]) for f in found]
    return None if drawn == [wanted] else repr(drawn)


ARGS = ("validate", INTEGRATION, "--format", "json")


def measure(pythonpath: str, scratch: Path) -> tuple[int, list[str]]:
    """How many cases draw exactly their finding with the ldkit in `pythonpath`."""
    env = {**os.environ, "PYTHONPATH": pythonpath, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    good, report = 0, []
    for index, mistake in enumerate(corpus()):
        root = scratch / str(index)
        mistake.make(root)
        ran = subprocess.run(
            [sys.executable, "-m", "ldkit", *ARGS],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        wrong = verdict(mistake, ran.returncode, ran.stdout, ran.stderr)
        good += wrong is None
        mark = "ok  " if wrong is None else "FAIL"
        report.append(f"{mark} {mistake.id}: {(wrong or '')[:300]}")
    return good, report


if __name__ == "__main__":
    import tempfile

    path = sys.argv[1] if len(sys.argv) > 1 else str(REPO / "tools")
    with tempfile.TemporaryDirectory() as scratch:
        good, lines = measure(path, Path(scratch))
    print("\n".join(lines))
    print(f"{good} of {len(lines)} mistakes drew exactly their one finding")
