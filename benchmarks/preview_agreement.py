"""How often `ldkit preview` prints exactly what LaunchDarkly's `preview.js` prints.

Point it at a copy of LaunchDarkly's integration-framework whose `node_modules`
holds its dependencies (`npm ci`). Every integration there is previewed by
`node preview.js <key>` and `node preview.js --curl <key>` with the clock fixed
(a `--require` shim replaces `Date`) and `TZ=UTC`, and by `ldkit preview` with
the same `--timestamp`; standard output and whether the run failed are
compared. Integrations preview.js cannot preview (no audit-log endpoint, a
template that throws) are counted separately: there ldkit is meant to differ.

    python benchmarks/preview_agreement.py /tmp/integration-framework
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="integration-framework copy with node_modules")
    parser.add_argument("--timestamp", type=int, default=TIMESTAMP)
    parser.add_argument("--show", type=int, default=10, help="differences to print")
    parser.add_argument("--tz", default="UTC", help="time zone of both runs (TZ)")
    args = parser.parse_args()
    root = args.root.resolve()
    env = {**os.environ, "TZ": args.tz, "LDKIT_PREVIEW_NOW": str(args.timestamp)}
    counts: Counter[str] = Counter()
    shown = 0
    with tempfile.TemporaryDirectory() as tmp:
        shim = Path(tmp) / "fixed-now.js"
        shim.write_text(SHIM, encoding="utf-8")
        keys = sorted(p.name for p in (root / "integrations").iterdir() if p.is_dir())
        for key in keys:
            for extra in ([], ["--curl"]):
                node = subprocess.run(
                    ["node", "--require", str(shim), "preview.js", *extra, key],
                    cwd=root,
                    env=env,
                    capture_output=True,
                    check=False,
                )
                ours = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "ldkit",
                        "preview",
                        key,
                        *extra,
                        "--timestamp",
                        str(args.timestamp),
                    ],
                    cwd=root,
                    env=env,
                    capture_output=True,
                    check=False,
                )
                label = "curl" if extra else "plain"
                if b"does not make any outbound" in node.stdout:
                    same = node.stdout == ours.stdout and ours.returncode == node.returncode
                    kind = "same sentence" if same else "ldkit shows the trigger side"
                    counts[f"{label}: no outbound requests, {kind}"] += 1
                    continue
                if node.returncode != 0:
                    counts[f"{label}: preview.js fails (exit {node.returncode})"] += 1
                    continue
                if node.stdout == ours.stdout and ours.returncode == 0:
                    counts[f"{label}: identical"] += 1
                    continue
                counts[f"{label}: DIFFERENT"] += 1
                if shown < args.show:
                    shown += 1
                    print(f"--- {key} {label}: exit {node.returncode} vs {ours.returncode}")
                    print(ours.stderr.decode(errors="replace")[:400])
                    node_lines = node.stdout.decode(errors="replace").splitlines()
                    our_lines = ours.stdout.decode(errors="replace").splitlines()
                    for index, (a, b) in enumerate(zip(node_lines, our_lines, strict=False)):
                        if a != b:
                            print(f"  line {index + 1}\n  node:  {a[:200]!r}\n  ldkit: {b[:200]!r}")
                            break
                    else:
                        print(f"  lengths {len(node_lines)} vs {len(our_lines)}")
    print(f"{len(keys)} integrations under {root}")
    for label, count in sorted(counts.items()):
        print(f"  {label}: {count}")
    return 1 if any("DIFFERENT" in label for label in counts) else 0


if __name__ == "__main__":
    sys.exit(main())
