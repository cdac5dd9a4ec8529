"""How often `ldkit format` agrees byte for byte with real prettier 2.2.1 on a corpus.

Point it at a checkout of LaunchDarkly's integration-framework (or any folder):
every `*.json` file prettier would check there (`.prettierignore` names and
`node_modules` left out), plus every variant of each from
`scripts/format_variants.py`, is formatted by prettier (one `--write` run over
a temporary copy) and by ldkit, and the outputs compared. Needs Node.js and
prettier 2.2.1. Nothing from the corpus is written outside the temporary folder.

    python benchmarks/format_agreement.py /path/to/integration-framework \\
        --prettier /tmp/prettier221/node_modules/.bin/prettier
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tools"))
from format_goldens import PRETTIER_OPTIONS  # noqa: E402
from format_variants import VARIANTS  # noqa: E402

from ldkit.format import JsonSyntaxError, format_json  # noqa: E402
from ldkit.format.files import json_files  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--prettier", default="npx prettier@2.2.1")
    args = parser.parse_args()
    root = args.root.resolve()
    sources = json_files([root], root)
    counts: Counter[str] = Counter()
    mismatches: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        written: dict[Path, tuple[str, str]] = {}
        for index, source in enumerate(sources):
            text = source.read_bytes().decode("utf-8", errors="surrogateescape")
            relative = source.relative_to(root).as_posix()
            for name, variant in VARIANTS.items():
                try:
                    out = variant(text)
                except ValueError:
                    out = None
                if out is None:
                    continue
                folder = work / f"{index:04d}-{name}"
                folder.mkdir()
                target = folder / source.name
                target.write_bytes(out.encode("utf-8", errors="surrogateescape"))
                written[target] = (relative, name)
        inputs = {path: path.read_bytes() for path in written}
        command = args.prettier.split() + [*PRETTIER_OPTIONS, "--write", "**/*.json"]
        subprocess.run(command, cwd=work, check=False, capture_output=True)
        for path, (relative, name) in sorted(written.items()):
            expected = path.read_bytes()
            try:
                ours = format_json(inputs[path].decode("utf-8"), path.name).encode("utf-8")
            except (JsonSyntaxError, UnicodeDecodeError):
                ours = inputs[path]  # ldkit leaves it alone and reports it
                if expected == ours:
                    counts["both left unchanged (not JSON)"] += 1
                    continue
            if ours == expected:
                counts["identical" if name != "original" else "identical (original)"] += 1
            else:
                counts["different"] += 1
                mismatches.append(f"{relative} [{name}]")
    originals = len(sources)
    print(f"{originals} JSON files under {root}, {sum(counts.values())} inputs with variants")
    for label, count in sorted(counts.items()):
        print(f"  {label}: {count}")
    for line in mismatches[:50]:
        print(f"  DIFFERENT: {line}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
