"""Regenerate tests/fixtures/preview/expected/: real `preview.js` output for our own integrations.

`ldkit preview` must print what LaunchDarkly's `preview.js` prints. This script
(the only part that needs Node.js) copies each fixture integration under
tests/fixtures/preview/ and this repository's integrations/dynatrace into a
copy of LaunchDarkly's integration-framework whose dependencies are installed
(`npm ci`), runs `node preview.js KEY` and `node preview.js --curl KEY` with
the clock fixed at TIMESTAMP (a `--require` shim replaces `Date`) and TZ=UTC,
and stores standard output as `<key>.txt` and `<key>.curl.txt`.

    python scripts/preview_goldens.py /tmp/integration-framework
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "preview"
EXPECTED = FIXTURES / "expected"
TIMESTAMP = 1732000000000
SHIM = """
const FIXED = Number(process.env.LDKIT_PREVIEW_NOW);
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(FIXED); else super(...args); }
  static now() { return FIXED; }
}
global.Date = FixedDate;
"""


def sources() -> list[Path]:
    fixtures = sorted(p for p in FIXTURES.iterdir() if (p / "manifest.json").is_file())
    return [*fixtures, REPO / "integrations" / "dynatrace"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("framework", type=Path, help="integration-framework copy with node_modules")
    args = parser.parse_args()
    env = {**os.environ, "TZ": "UTC", "LDKIT_PREVIEW_NOW": str(TIMESTAMP)}
    EXPECTED.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        shim = Path(tmp) / "fixed-now.js"
        shim.write_text(SHIM, encoding="utf-8")
        for source in sources():
            target = args.framework / "integrations" / source.name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)
            try:
                for extra, suffix in (([], ".txt"), (["--curl"], ".curl.txt")):
                    run = subprocess.run(
                        ["node", "--require", str(shim), "preview.js", *extra, source.name],
                        cwd=args.framework,
                        env=env,
                        capture_output=True,
                        check=True,
                    )
                    (EXPECTED / f"{source.name}{suffix}").write_bytes(run.stdout)
            finally:
                shutil.rmtree(target)
    print(f"wrote previews of {len(sources())} integrations to {EXPECTED.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
