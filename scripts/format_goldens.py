"""Regenerate tests/fixtures/format/: inputs from our own files, outputs from real prettier 2.2.1.

The format tests compare `ldkit format` with prettier byte for byte, without
Node.js. This script (the only part that needs Node.js) writes the inputs:

* `inputs/<source>.<variant>.json`: this repository's own JSON files
  (integrations, audit contexts, schema test manifests) in every variant of
  `format_variants.VARIANTS`;
* `inputs/cases/*.json` and `inputs/package.json`: hand-written edge cases
  (80-column boundaries, long arrays, blank lines, numbers, escapes, wide
  characters, BOM, empty files, arrays of objects);

then runs prettier 2.2.1 with LaunchDarkly's options on a copy and stores what
it wrote under `expected/` with the same names. Run from the repository root:

    npm i --prefix /tmp/prettier221 prettier@2.2.1
    python scripts/format_goldens.py --prettier /tmp/prettier221/node_modules/.bin/prettier
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from format_variants import VARIANTS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "format"

# LaunchDarkly's .prettierrc, as command-line options.
PRETTIER_OPTIONS = [
    "--no-config",
    "--trailing-comma=es5",
    "--tab-width=2",
    "--single-quote",
    "--arrow-parens=avoid",
    "--end-of-line=lf",
]

SOURCES = [
    "integrations/dynatrace/manifest.json",
    "integrations/dynatrace/replays/problem-opened.case.json",
    "integrations/dynatrace/replays/problem-opened.expected.json",
    "integrations/dynatrace/samples/memory-exhausted-opened.problem.json",
    "integrations/dynatrace/samples/many-services-huge.problem.json",
    "integrations/dynatrace/samples/special-characters.problem.json",
    "tools/ldkit/audit_log/flag.json",
    "tools/ldkit/audit_log/member.json",
    "schemas/manifest/base.json",
]
SCHEMA_FIXTURES = "tests/fixtures/schema"


def _sources() -> list[Path]:
    paths = [REPO / name for name in SOURCES if (REPO / name).is_file()]
    for manifest in sorted((REPO / SCHEMA_FIXTURES).glob("*/manifest.json"))[:12]:
        try:
            json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            continue
        paths.append(manifest)
    return paths


def _long(n: int) -> str:
    return "x" * n


def _cases() -> dict[str, str]:
    """Edge cases, written as text on purpose (their exact spelling matters)."""
    cases: dict[str, str] = {}
    five = '["production", "staging", "development", "qa-environment", "sandbox"]'
    cases["five-allowed-values"] = (
        '{\n  "formVariables": [\n    {\n      "key": "env",\n      "type": "enum",\n'
        f'      "allowedValues": {five}\n    }}\n  ]\n}}\n'
    )
    for width in range(70, 86, 1):
        cases[f"boundary-object-{width}"] = (
            '{\n  "a": { "key": "' + _long(width - 22) + '" },\n  "b": 1\n}\n'
        )
        cases[f"boundary-last-{width}"] = '{\n  "a": ["' + _long(width - 10) + '"]\n}\n'
        cases[f"boundary-array-{width}"] = '[\n  ["' + _long(width - 14) + '", 1],\n  [1, 2]\n]\n'
    cases["numbers"] = (
        '{"a": [1.50, 1E10, 1e+05, 1e-07, -0, -1.0, 0.0e0, 1.00, 10.0e+0, 0.5,'
        " 123456789012345678901, 1.0E-0, 2e00, -3.140, 5e-0, 0.000001]}\n"
    )
    cases["escapes"] = (
        '{"slash": "a\\/b", "both": "\\\\/", "unicode": "\\u00e9\\u2028\\uD83D\\uDE00",'
        ' "quote": "say \\"hi\\"", "controls": "\\b\\f\\n\\r\\t", "é": "raw é ü ß"}\n'
    )
    cases["wide-characters"] = (
        '{"cjk": ["日本語のテキスト", "中文文本内容", "한국어 텍스트", "ｆｕｌｌｗｉｄｔｈ"],'
        ' "emoji": ["🚀 launch", "👍🏽", "🏳️‍🌈 flag"], "combining": "e\\u0301 é"}\n'
    )
    cases["empty-containers"] = (
        '{"a": {}, "b": [], "c": {\n}, "d": [\n\n], "e": [{}], "f": [[]], "g": {"h": {"i": {}}},'
        ' "j": [[], []], "k": [{}, {}]}\n'
    )
    cases["blank-lines"] = (
        '{\n  "a": 1,\n\n  "b": [1,\n\n 2],\n  \n  "c": {"d": 1,\n\n"e": 2},\n\t\n  "f": 3 ,\n\n'
        '  "g": [\n    1\n\n    , 2]\n}\n'
    )
    cases["arrays-of-objects"] = (
        '{"two-big": [{"a": 1, "b": 2}, {"c": 3, "d": 4}],'
        ' "one-small": [{"a": 1}, {"b": 2, "c": 3}],'
        ' "mixed": [{"a": 1, "b": 2}, [1, 2]], "arrays": [[1, 2], [3, 4]],'
        ' "single": [{"a": 1, "b": 2}],'
        ' "scalars": [1, "two", true, null, false]}\n'
    )
    cases["expanded-first-key"] = (
        '{"a": {\n"b": 1}, "c": {"d": 1\n}, "e": [{\n"f": 1}], "g": [1, {"h": 2}]}\n'
    )
    cases["top-level-array"] = '[{"a":1},{"b":2}]'
    cases["top-level-scalar"] = '  "just a string"  \n\n'
    cases["top-level-number"] = "1.50"
    cases["whitespace-only"] = "  \n\t\n"
    cases["empty"] = ""
    cases["bom"] = '\ufeff{"a": 1,\r\n"b": [1, 2]}'
    cases["lone-cr"] = '{\r"a": 1,\r\r"b": 2}\r'
    cases["deep"] = "[" * 40 + "1" + "]" * 40 + "\n"
    cases["long-key"] = '{"' + _long(90) + '": {"short": 1}, "' + _long(60) + '": [1, 2, 3]}\n'
    cases["duplicate-keys"] = '{"a": 1, "a": {"b": 2}}\n'
    return cases


def _write_inputs(inputs: Path) -> None:
    shutil.rmtree(inputs, ignore_errors=True)
    (inputs / "cases").mkdir(parents=True)
    for source in _sources():
        text = source.read_bytes().decode("utf-8")
        stem = source.relative_to(REPO).as_posix().replace("/", "--").removesuffix(".json")
        for name, variant in VARIANTS.items():
            out = variant(text)
            if out is not None:
                (inputs / f"{stem}.{name}.json").write_bytes(out.encode("utf-8"))
    for name, text in _cases().items():
        (inputs / "cases" / f"{name}.json").write_bytes(text.encode("utf-8"))
    package = {"name": "x", "version": "1.0.0", "n": 1e21, "m": 0.000001, "s": "\u00e9\\/"}
    (inputs / "package.json").write_text(json.dumps(package) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prettier", default="npx prettier@2.2.1", help="prettier command")
    args = parser.parse_args()
    inputs = FIXTURES / "inputs"
    expected = FIXTURES / "expected"
    _write_inputs(inputs)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        shutil.copytree(inputs, work)
        command = args.prettier.split() + [*PRETTIER_OPTIONS, "--write", "**/*.json"]
        subprocess.run(command, cwd=work, check=False, capture_output=True)
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(work, expected)
    print(f"wrote {sum(1 for _ in inputs.rglob('*.json'))} inputs and their outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
